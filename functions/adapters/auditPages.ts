import type { AuditEntry } from '../domain/audit.js';
import { query } from './clients/dynamo.js';
import { tables } from './env.js';
import { type Page, type PageRequest, queryPage } from './pages.js';

/**
 * A case's trail a page at a time: one Query on the audit table's key (case,
 * sequence number), oldest first for the trail, newest first for the
 * timeline. Entries are numbered from 1; the heads and once markers the table
 * keeps live in partitions of their own (adapters/audit.ts), and nothing
 * numbered below 1 is an entry.
 */
const ENTRIES = 'caseId = :c AND seq > :none';

export function auditPage<T>(
  caseId: string,
  order: 'oldest_first' | 'newest_first',
  page: PageRequest,
  view: (e: AuditEntry) => T,
): Promise<Page<T>> {
  return queryPage(
    {
      TableName: tables.audit,
      KeyConditionExpression: ENTRIES,
      ExpressionAttributeValues: { ':c': caseId, ':none': 0 },
      ScanIndexForward: order === 'oldest_first',
      ConsistentRead: true,
    },
    ['caseId', 'seq'],
    page,
    (item) => view(item as unknown as AuditEntry),
  );
}

/** How long a case's chain is: its newest entry's number (a read of one entry), what the trail's ETag is made from. */
export async function chainLength(caseId: string): Promise<number> {
  const out = await query({
    TableName: tables.audit,
    KeyConditionExpression: ENTRIES,
    ExpressionAttributeValues: { ':c': caseId, ':none': 0 },
    ScanIndexForward: false,
    Limit: 1,
    ConsistentRead: true,
  });
  return Number(out.Items[0]?.seq ?? 0);
}
