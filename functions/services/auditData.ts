import type { AuditEntry } from '../domain/audit.js';
import type { User } from '../domain/users.js';
import { dataDigester } from '../adapters/auditKey.js';
import { audit } from './audit.js';
import type { AuditAction } from '../domain/auditActions.js';

/**
 * Append to the case's audit chain with a keyed digest of the data the entry
 * concerns (HMAC-SHA-256, domain/audit.ts keyedDigestOf): the trail proves
 * what was seen or sent, and gives nothing away to a reader who guesses and
 * hashes. Apart from services/audit.ts so that only the handlers that digest
 * data carry the key (need `audit:digest`).
 */
export async function auditData(
  caseId: string,
  actor: User | 'workflow' | 'notify',
  action: AuditAction,
  ids: Record<string, string>,
  data: unknown,
  at?: string,
  once?: true | string,
): Promise<AuditEntry> {
  return audit(caseId, actor, action, ids, (await dataDigester())(data), at, once);
}
