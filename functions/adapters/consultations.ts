import { sha256 } from '../domain/audit.js';
import type { Consultation } from '../domain/consultations.js';
import { isConditionFailure } from './audit.js';
import { put, query, queryAll, scan } from './clients/dynamo.js';
import { tables } from './env.js';
import { type Page, type PageRequest, queryPage } from './pages.js';

/**
 * The `consultations` table: the consultation log (domain/consultations.ts), keyed by case and `viewKey` (the
 * window's start and the person), one item per person per case per window. Functions may PutItem (only if absent)
 * and Query, never UpdateItem or DeleteItem. The `consultationsByTime` index holds the items by when they were
 * recorded, spread over a few partitions, for the daily digest that seals them.
 */
export const CONSULTATIONS_INDEX = 'consultationsByTime';
const SHARDS = 8;
const shardOf = (caseId: string) => `VIEWS#${Number.parseInt(sha256(caseId).slice(0, 8), 16) % SHARDS}`;

/**
 * The consultations this process has recorded or found recorded: a log item never changes, so a person's refreshes
 * of a case within the window need no call at all. Bounded: the oldest are forgotten first.
 */
const known = new Set<string>();
const KNOWN = 20_000;

/**
 * Record a consultation: one PutItem, written only if the (case, window, person) has none, so a repeat in the window
 * (another refresh, another process, 50 at once) changes nothing and the view is recorded exactly once.
 */
export async function recordConsultation(c: Consultation): Promise<void> {
  const key = `${c.caseId}|${c.viewKey}`;
  if (known.has(key)) return;
  await put({
    TableName: tables.consultations,
    Item: { ...c, viewShard: shardOf(c.caseId) },
    ConditionExpression: 'attribute_not_exists(viewKey)',
  }).catch((e: unknown) => {
    // Recorded already (another refresh, another process): nothing to do.
    if (!isConditionFailure(e)) throw e;
  });
  if (known.size >= KNOWN) known.delete(known.values().next().value!);
  known.add(key);
}

const asConsultation = (i: Record<string, unknown>): Consultation => ({
  caseId: String(i.caseId),
  viewKey: String(i.viewKey),
  actor: String(i.actor),
  at: String(i.at),
});

/** A case's consultations a page at a time, newest window first: one Query on the table's key. */
export function consultationsPage<T>(
  caseId: string,
  page: PageRequest,
  view: (c: Consultation) => T,
): Promise<Page<T>> {
  return queryPage(
    {
      TableName: tables.consultations,
      KeyConditionExpression: 'caseId = :c',
      ExpressionAttributeValues: { ':c': caseId },
      ScanIndexForward: false,
      ConsistentRead: true,
    },
    ['caseId', 'viewKey'],
    page,
    (i) => view(asConsultation(i)),
  );
}

/**
 * How many people the window starting at `windowStart` has recorded for a case (a count, from one Query of that
 * window's records: at most the force's people): what the views page's tag is made from. Views are recorded in the
 * window of their own time, so only the current window's count moves.
 */
export async function viewsInWindow(caseId: string, windowStart: string): Promise<number> {
  const out = await query({
    TableName: tables.consultations,
    KeyConditionExpression: 'caseId = :c AND viewKey >= :w',
    ExpressionAttributeValues: { ':c': caseId, ':w': windowStart },
    Select: 'COUNT',
    ConsistentRead: true,
  });
  return out.Count ?? 0;
}

/**
 * The consultations recorded at or after `from` ('' for all) and before `to`, from the index: one Query per
 * partition, for the daily digest (never a user-facing path).
 */
export async function consultationsBetween(from: string, to: string): Promise<Consultation[]> {
  const found: Consultation[] = [];
  for (let shard = 0; shard < SHARDS; shard++) {
    const items = await queryAll({
      TableName: tables.consultations,
      IndexName: CONSULTATIONS_INDEX,
      // A key's value may not be empty: with no `from` the range is open below.
      KeyConditionExpression: from ? 'viewShard = :s AND #at BETWEEN :f AND :t' : 'viewShard = :s AND #at < :t',
      ExpressionAttributeNames: { '#at': 'at' },
      ExpressionAttributeValues: { ':s': `VIEWS#${shard}`, ':t': to, ...(from ? { ':f': from } : {}) },
    });
    for (const i of items) if (String(i.at) < to) found.push(asConsultation(i));
  }
  return found;
}

/** Every consultation, read once: for `npm run audit:verify`, which checks every digest's seal. */
export async function scanConsultations(): Promise<Consultation[]> {
  const all: Consultation[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await scan({ TableName: tables.consultations, ConsistentRead: true, ExclusiveStartKey: start });
    for (const i of page.Items) all.push(asConsultation(i));
    start = page.LastEvaluatedKey;
  } while (start);
  return all;
}
