import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { CaseRecord } from '../domain/records.js';
import { countsDelta, sumCounts, type Counts } from '../domain/stats.js';
import { get, queryAll, update } from './clients/dynamo.js';
import { tables } from './env.js';

/**
 * A force's statistics counters, in the `cases` table: one item per month a
 * case was opened in and per shard of case ids (so no item grows past a few
 * KB, and no item takes every write of a busy force), `STATS#<force>` /
 * `<yyyy-mm>#<shard>`. Each holds the counters' sums and, per case, the
 * version of the case they have counted (`v#<caseId>`).
 *
 * Without transactions: the case item carries the change its write makes to
 * the counters (`countsDelta`, from version `countsFrom`), written with the
 * case; the counters take it with one conditional UpdateItem that holds only
 * if they have not yet counted the case's version, so a change is counted
 * once. A write cut short before the counters took its change leaves the
 * change on the case item, and the next write of the case settles it before
 * overwriting it, so changes are counted in the case's order.
 *
 * Most writes of a case change no counter (a task opened, a summary kept): such
 * a write carries an empty change and neither reads nor writes the counters.
 */
const SHARDS = 8;
const statsPk = (force: string) => `STATS#${force}`;
const shardOf = (caseId: string) =>
  Number.parseInt(createHash('sha256').update(caseId).digest('hex').slice(0, 8), 16) % SHARDS;
const keyOf = (k: CaseRecord) => ({ pk: statsPk(k.force), sk: `${k.createdAt.slice(0, 7)}#${shardOf(k.caseId)}` });
const countedName = (caseId: string) => `v#${caseId}`;

/** What a case item holds for its counters. */
export interface PendingCounts {
  countsFrom: number;
  countsDelta: Counts;
}
type Counted = CaseRecord & Partial<PendingCounts>;

/**
 * What the write of `after` over `before` (none: a new case) must add. A case
 * written before the counters existed has never been counted: its first write
 * adds all of it.
 */
export const pendingCounts = (before: Counted | undefined, after: CaseRecord): PendingCounts =>
  before?.countsFrom === undefined
    ? { countsFrom: 0, countsDelta: countsDelta(undefined, after) }
    : { countsFrom: before.version, countsDelta: countsDelta(before, after) };

const isConditionFailure = (e: unknown) =>
  e instanceof ConditionalCheckFailedException || (e as { name?: string })?.name === 'ConditionalCheckFailedException';

/** A case item whose write changed some counter (an empty change has nothing to count, and nothing to settle). */
const changesCounts = (kase: Counted): kase is CaseRecord & PendingCounts =>
  kase.countsFrom !== undefined && kase.countsDelta !== undefined && Object.keys(kase.countsDelta).length > 0;

/** The counters take the change the case item carries, unless they have counted its version already. */
export async function applyCounts(kase: Counted): Promise<void> {
  if (!changesCounts(kase)) return;
  const names: Record<string, string> = { '#v': countedName(kase.caseId) };
  const values: Record<string, number> = { ':to': kase.version };
  const adds = Object.entries(kase.countsDelta).map(([k, n], i) => {
    names[`#k${i}`] = k;
    values[`:n${i}`] = n;
    return `#k${i} :n${i}`;
  });
  try {
    await update({
      TableName: tables.cases,
      Key: keyOf(kase),
      UpdateExpression: `SET #v = :to ADD ${adds.join(', ')}`,
      ConditionExpression: 'attribute_not_exists(#v) OR #v < :to',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    });
  } catch (e) {
    // Counted already (a write run again), or by the next write's settling.
    if (!isConditionFailure(e)) throw e;
  }
}

/** Before a case item is overwritten: the change its last write carries is counted (a write cut short had not). */
export async function settleCounts(kase: Counted): Promise<void> {
  if (!changesCounts(kase)) return;
  const item = await get({
    TableName: tables.cases,
    Key: keyOf(kase),
    ProjectionExpression: '#v',
    ExpressionAttributeNames: { '#v': countedName(kase.caseId) },
    ConsistentRead: true,
  });
  const counted = (item?.[countedName(kase.caseId)] as number | undefined) ?? 0;
  if (counted < kase.version) await applyCounts(kase);
}

/** A force's counters: every month's and shard's items of its partition, added together (one query). */
export async function forceCounts(force: string): Promise<Counts> {
  const items = await queryAll({
    TableName: tables.cases,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': statsPk(force) },
  });
  return sumCounts(
    items.map((i) =>
      Object.fromEntries(
        Object.entries(i).filter(([k, v]) => typeof v === 'number' && !k.startsWith('v#')) as [string, number][],
      ),
    ),
  );
}
