import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { afterTailRead, appendToChain, type AuditDraft, type AuditEntry, type StoredEntry } from '../domain/audit.js';
import { chainHeadKey, onceKey, remember, store } from './audit.js';
import { documents } from './clients/dynamo.js';
import { tables } from './env.js';
import { TransientError } from './transient.js';

/**
 * A chain's head and a once key's marker, both single items (seq 0) of the audit table, in one BatchGetItem. A key
 * the store leaves unprocessed (it is throttled) fails the read as transient, as a throttled call does.
 */
async function headAndMarker(
  caseId: string,
  once: string,
): Promise<{ headSeq: number; marker: AuditEntry | undefined }> {
  const key = onceKey(caseId, once);
  const out = await documents().send(
    new BatchGetCommand({
      RequestItems: { [tables.audit]: { Keys: [chainHeadKey(caseId), { caseId: key, seq: 0 }], ConsistentRead: true } },
    }),
  );
  if (Object.keys(out.UnprocessedKeys ?? {}).length > 0) throw new TransientError('AuditReadUnprocessed');
  const items = Object.values(out.Responses ?? {}).flat();
  const marker = items.find((i) => i.caseId === key)?.entry as AuditEntry | undefined;
  if (marker) remember(key, marker);
  return { headSeq: Number(items.find((i) => i.caseId === chainHeadKey(caseId).caseId)?.headSeq ?? 0), marker };
}

/**
 * A once append by a caller that has just read the chain's newest entry (a case read, its timeline): that entry is
 * the append's tail, and the head and the marker are read together (domain/audit.ts afterTailRead), so a person's
 * view of a case costs a read and its three writes. Every other append goes through adapters/audit.ts appendAudit.
 */
export async function appendAfterRead(
  draft: AuditDraft,
  once: string,
  tail: StoredEntry | undefined,
): Promise<AuditEntry> {
  const entry = await appendToChain(afterTailRead(store, tail, once, headAndMarker), draft, once);
  if (!entry) throw new TransientError('AuditAppendContention');
  return entry;
}
