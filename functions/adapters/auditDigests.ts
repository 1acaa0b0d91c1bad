import type { AuditEntry, ChainHead, DailyDigest } from '../domain/audit.js';
import { HEAD_SHARDS, HEADS_INDEX, isChainId } from './audit.js';
import { queryAll, scan } from './clients/dynamo.js';
import { getObject, listKeys, putObject } from './clients/s3.js';
import { env, tables } from './env.js';
import { DigestUnreadable } from './failures.js';

/**
 * The heads that moved since a time (all of them with none): one query per
 * index partition of the `headsByTime` index, never a read of an entry.
 */
export async function headsSince(since?: string): Promise<ChainHead[]> {
  const heads: ChainHead[] = [];
  for (let shard = 0; shard < HEAD_SHARDS; shard++) {
    const items = await queryAll({
      TableName: tables.audit,
      IndexName: HEADS_INDEX,
      KeyConditionExpression: since ? 'headShard = :s AND headAt >= :t' : 'headShard = :s',
      ExpressionAttributeValues: { ':s': `HEADS#${shard}`, ...(since ? { ':t': since } : {}) },
    });
    for (const i of items) heads.push({ caseId: String(i.chain), seq: Number(i.headSeq), hash: String(i.headHash) });
  }
  return heads;
}

/**
 * Every audit entry's key and hash, read once: for `npm run audit:verify`,
 * which checks every chain and every digest (the heads and markers beside the
 * chains are left out).
 */
export async function scanChains(): Promise<Map<string, Map<number, string>>> {
  const chains = new Map<string, Map<number, string>>();
  let start: Record<string, unknown> | undefined;
  do {
    const page = await scan({
      TableName: tables.audit,
      ProjectionExpression: 'caseId, seq, #h',
      ExpressionAttributeNames: { '#h': 'hash' },
      ExclusiveStartKey: start,
    });
    for (const item of page.Items as Pick<AuditEntry, 'caseId' | 'seq' | 'hash'>[]) {
      if (!isChainId(item.caseId)) continue;
      if (!chains.has(item.caseId)) chains.set(item.caseId, new Map());
      chains.get(item.caseId)!.set(item.seq, item.hash);
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return chains;
}

export function headsOf(chains: ReadonlyMap<string, ReadonlyMap<number, string>>): Map<string, ChainHead> {
  const heads = new Map<string, ChainHead>();
  for (const [caseId, entries] of chains) {
    const seq = Math.max(...entries.keys());
    heads.set(caseId, { caseId, seq, hash: entries.get(seq)! });
  }
  return heads;
}

const bucket = () => env('AUDIT_DIGEST_BUCKET');
const PREFIX = 'digests/';
const keyOf = (day: string) => `${PREFIX}${day}.json`;

/** Written once per day: Object Lock (in AWS) keeps it from being changed or deleted. */
export async function putDigest(d: DailyDigest): Promise<void> {
  await putObject(bucket(), keyOf(d.day), JSON.stringify(d), 'application/json');
}

async function getDigest(key: string): Promise<DailyDigest> {
  const body = await getObject(bucket(), key);
  // Listed a moment ago, and under Object Lock: a digest does not go away.
  if (!body) throw new DigestUnreadable(`the audit digest ${key} was listed but cannot be read`);
  return JSON.parse(Buffer.from(body).toString('utf8')) as DailyDigest;
}

const digestKeys = async (startAfter?: string): Promise<string[]> =>
  (await listKeys(bucket(), PREFIX, startAfter)).sort();

/**
 * The newest digest of a day before `day`: the keys of the last week's
 * digests (one listing), or of all of them only when no digest was written
 * that week; one digest read.
 */
export async function previousDigest(day: string): Promise<DailyDigest | undefined> {
  const weekBefore = new Date(Date.parse(day) - 8 * 86_400_000).toISOString().slice(0, 10);
  const before = (keys: string[]) => keys.filter((k) => k < keyOf(day)).at(-1);
  const key = before(await digestKeys(keyOf(weekBefore))) ?? before(await digestKeys());
  return key ? getDigest(key) : undefined;
}

export async function listDigests(): Promise<DailyDigest[]> {
  const out: DailyDigest[] = [];
  for (const key of await digestKeys()) out.push(await getDigest(key));
  return out.sort((a, b) => a.day.localeCompare(b.day));
}
