import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry } from '../domain/audit.js';
import { FlowInvariantBroken } from '../domain/errors.js';
import { documents } from './clients/dynamo.js';
import { tables } from './env.js';
import { cursorAfter, type Page, type PageRequest, queryPage } from './pages.js';

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

/**
 * The newest page of a chain (auditPage, newest first, not a later page) with `entry` appended after it, as a read
 * of the page after the append would give it, without that read: when `entry` is the one right after the page's
 * newest (the page, then, with it in front, its oldest item dropped past the limit). When the entry is older (it was
 * on record already) the page stands as read; when it is newer (others appended between), undefined: read again.
 */
export async function newestPageWith(
  caseId: string,
  newest: Page<AuditEntry>,
  entry: AuditEntry,
  page: PageRequest,
): Promise<Page<AuditEntry> | undefined> {
  if (page.cursor) throw new FlowInvariantBroken('newestPageWith takes the newest page only');
  const tailSeq = newest.items[0]?.seq ?? 0;
  if (entry.seq <= tailSeq) return newest;
  if (entry.seq > tailSeq + 1) return undefined;
  const items = [entry, ...newest.items].slice(0, page.limit);
  const more = newest.nextCursor !== null || newest.items.length >= page.limit;
  return { items, nextCursor: more ? await cursorAfter({ caseId, seq: items.at(-1)!.seq }, page) : null };
}

/** How long a case's chain is: its newest entry's number (a read of one entry), what the trail's ETag is made from. */
export async function chainLength(caseId: string): Promise<number> {
  const out = await documents().send(
    new QueryCommand({
      TableName: tables.audit,
      KeyConditionExpression: ENTRIES,
      ExpressionAttributeValues: { ':c': caseId, ':none': 0 },
      ScanIndexForward: false,
      Limit: 1,
      ConsistentRead: true,
    }),
  );
  return Number(out.Items?.[0]?.seq ?? 0);
}
