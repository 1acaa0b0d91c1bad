import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { chainNext, type AuditDraft, type AuditEntry } from '../domain/audit.js';
import { documents, queryAll } from './clients/dynamo.js';
import { tables } from './env.js';

/**
 * The `audit` table: append-only. An entry is written with a condition that
 * its sequence number is new, so two writers can never share a number; the
 * loser re-reads the head and chains after it.
 */
export async function appendAudit(draft: AuditDraft): Promise<AuditEntry> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const head = await auditHead(draft.caseId);
    const entry = chainNext(draft, head);
    try {
      await documents().send(
        new PutCommand({ TableName: tables.audit, Item: entry, ConditionExpression: 'attribute_not_exists(seq)' }),
      );
      return entry;
    } catch (e) {
      if (!(e instanceof ConditionalCheckFailedException) && (e as { name?: string }).name !== 'ConditionalCheckFailedException') throw e;
    }
  }
  throw new Error('audit append kept conflicting');
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
