import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { chainNext, type AuditDraft, type AuditEntry } from '../domain/audit.js';
import { documents, queryAll } from './clients/dynamo.js';
import { tables } from './env.js';
import { TransientError } from './transient.js';

/**
 * The `audit` table: append-only. An entry is written with a condition that
 * its sequence number is new, so two writers can never share a number; the
 * loser re-reads the head and chains after it.
 *
 * An entry with a `once` key is appended at most once per case: a step that
 * runs again (a retry, a duplicate invocation, a restart) finds its entry
 * already in the chain. Two writers racing with one key compete for one
 * sequence number, and the loser finds the winner's entry on its next look.
 */
export async function appendAudit(draft: AuditDraft, once?: string): Promise<AuditEntry> {
  for (let attempt = 0; attempt < 20; attempt++) {
    if (once) {
      const found = await findOnce(draft.caseId, once);
      if (found) return found;
    }
    const head = await auditHead(draft.caseId);
    const entry = chainNext(draft, head);
    try {
      await documents().send(
        new PutCommand({
          TableName: tables.audit,
          Item: once ? { ...entry, once } : entry,
          ConditionExpression: 'attribute_not_exists(seq)',
        }),
      );
      return entry;
    } catch (e) {
      if (
        !(e instanceof ConditionalCheckFailedException) &&
        (e as { name?: string }).name !== 'ConditionalCheckFailedException'
      )
        throw e;
    }
  }
  throw new TransientError('AuditAppendContention');
}

async function findOnce(caseId: string, once: string): Promise<AuditEntry | undefined> {
  const items = await queryAll({
    TableName: tables.audit,
    KeyConditionExpression: 'caseId = :c',
    FilterExpression: '#once = :k',
    ExpressionAttributeNames: { '#once': 'once' },
    ExpressionAttributeValues: { ':c': caseId, ':k': once },
    ConsistentRead: true,
  });
  return items[0] as AuditEntry | undefined;
}

async function auditHead(caseId: string): Promise<AuditEntry | undefined> {
  const out = await documents().send(
    new QueryCommand({
      TableName: tables.audit,
      KeyConditionExpression: 'caseId = :c',
      ExpressionAttributeValues: { ':c': caseId },
      ScanIndexForward: false,
      Limit: 1,
      ConsistentRead: true,
    }),
  );
  return out.Items?.[0] as AuditEntry | undefined;
}

export async function readAudit(caseId: string): Promise<AuditEntry[]> {
  return (await queryAll({
    TableName: tables.audit,
    KeyConditionExpression: 'caseId = :c',
    ExpressionAttributeValues: { ':c': caseId },
    ConsistentRead: true,
  })) as unknown as AuditEntry[];
}
