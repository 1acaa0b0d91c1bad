import { canonical, type AuditEntry } from '../domain/audit.js';
import type { User } from '../domain/users.js';
import { appendAudit } from '../adapters/audit.js';
import type { AuditAction } from '../domain/auditActions.js';

/**
 * Append to the case's audit chain: who, what, when, the ids involved, and a
 * keyed digest of the data, never the data. A workflow step, which may run more
 * than once for one event, passes `once`: `true` when the action and its ids
 * name the event, or a key of its own when they do not; the entry is then
 * appended at most once, and a step that runs again asserts it again, so a
 * crash between the step's write and its entry loses nothing.
 */
export async function audit(
  caseId: string,
  actor: User | 'workflow' | 'notify',
  action: AuditAction,
  ids: Record<string, string> = {},
  /** A keyed digest of the data the entry concerns: made by auditData (services/auditData.ts), which holds the key. */
  dataDigest?: string,
  at = new Date().toISOString(),
  once?: true | string,
): Promise<AuditEntry> {
  const key = once === true ? `${action}|${canonical(ids)}` : once;
  return appendAudit(
    {
      caseId,
      at,
      actor: typeof actor === 'string' ? actor : actor.sub,
      action,
      ids,
      ...(dataDigest !== undefined ? { dataDigest } : {}),
    },
    key,
  );
}
