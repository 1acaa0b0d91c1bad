import { AuthorisationExpired, authorisationCurrent, ispRequests } from '../../domain/cases.js';
import { CaseEvent } from '../../schemas/workflow.js';
import { mustLoadCase, mutateCase, putRequest } from '../../adapters/cases.js';
import { workflowHandler } from '../../http/workflow.js';
import { audit, newId } from '../shared.js';

/** An ISP look-up for each address and time the platforms returned; idempotent on address, time and port. */
export const handler = workflowHandler('planIspRequests', CaseEvent, async ({ caseId }, now) => {
  const { kase, requests } = await mustLoadCase(caseId);
  const made = ispRequests(requests, kase, now, newId);
  if (made.length && !authorisationCurrent(kase, now)) {
    await audit(caseId, 'workflow', 'requests.blocked.authorisation_expired', { wanted: String(made.length) }, undefined, now);
    throw new AuthorisationExpired();
  }
  for (const r of made) await putRequest(r);
  if (made.length) await audit(caseId, 'workflow', 'requests.isp.created', { count: String(made.length) }, undefined, now);
  if (kase.stage !== 'ISP_RESOLUTION') await mutateCase(caseId, (k) => ({ ...k, stage: 'ISP_RESOLUTION' }), now);
  return { requestIds: [...requests, ...made].filter((r) => r.kind === 'isp_resolution').map((r) => r.requestId) };
});
