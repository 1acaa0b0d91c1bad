import type { RequestRecord } from '../domain/records.js';
import { updateRequest } from '../adapters/request.js';
import { completeTask } from '../adapters/task.js';
import { audit } from './audit.js';

/**
 * A request given up (its chase ran out, or a closure ended it): written abandoned unless it is already, its
 * return's task completed while still open, and its trail entry keyed on the request. Each part is made once, and a
 * run of a step that stopped part way is finished by the next. False, and nothing written, when a return came in
 * first.
 */
export async function giveUpRequest(caseId: string, r: RequestRecord, now: string): Promise<boolean> {
  if (r.status !== 'abandoned' && !(await updateRequest(r, r.status, { status: 'abandoned', abandonedAt: now })))
    return false;
  await completeTask(caseId, `REQUEST_RETURN#${r.requestId}`, { requestId: r.requestId, status: 'abandoned' }, now);
  await audit(caseId, 'workflow', 'request.abandoned', { requestId: r.requestId }, undefined, now, true);
  return true;
}
