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
  /** Only these attributes (placeholder to name), when given: a projection. */
  fields: Record<string, string> = {},
): Promise<Page<T>> {
  const names = Object.keys(fields);
  return queryPage(
    {
      TableName: tables.audit,
      KeyConditionExpression: ENTRIES,
      ExpressionAttributeValues: { ':c': caseId, ':none': 0 },
      ScanIndexForward: order === 'oldest_first',
      ConsistentRead: true,
      ...(names.length ? { ProjectionExpression: names.join(', '), ExpressionAttributeNames: fields } : {}),
    },
    ['caseId', 'seq'],
    page,
    (item) => view(item as unknown as AuditEntry),
  );
}

/**
 * What a timeline shows of an entry (domain/timeline.ts timelineEntry), and the key a page ends on: a timeline read
 * asks only for these, not the entry's hashes and once key, which are most of its size.
 */
const TIMELINE_FIELDS = {
  '#c': 'caseId',
  '#s': 'seq',
  '#t': 'at',
  '#w': 'actor',
  '#a': 'action',
  '#i': 'ids',
} satisfies Record<string, keyof AuditEntry>;
type TimelineFields = Pick<AuditEntry, (typeof TIMELINE_FIELDS)[keyof typeof TIMELINE_FIELDS]>;

/** A case's timeline a page at a time, newest first: what each entry shows, read and no more. */
export function timelinePage<T>(caseId: string, page: PageRequest, view: (e: TimelineFields) => T): Promise<Page<T>> {
  return auditPage(caseId, 'newest_first', page, view, TIMELINE_FIELDS);
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
