import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  appendToChain,
  sha256,
  type AuditDraft,
  type AuditEntry,
  type ChainStore,
  type StoredEntry,
} from '../domain/audit.js';
import { type PutInput, put, query, queryAll } from './clients/dynamo.js';
import { tables } from './env.js';
import { TransientError } from './transient.js';

/**
 * The `audit` table: append-only, keyed by chain (caseId) and sequence number.
 * Beside each chain's entries, in partitions of their own so that a read of a
 * chain's entries never meets them:
 * - `HEAD#<caseId>` (seq 0): the chain's head, its last entry's number and
 *   hash, and when it moved (the `headsByTime` index, which the daily digest
 *   reads);
 * - `ONCE#<caseId>#<sha256 of the key>` (seq 0): the entry a once key was
 *   appended as.
 * Functions may PutItem, Query and BatchGetItem (a head beside its case) on the table, never UpdateItem or
 * DeleteItem.
 */
export const HEADS_INDEX = 'headsByTime';
/** Heads are spread over a few index partitions, so a busy day's appends never all write one. */
export const HEAD_SHARDS = 8;
const headKey = (caseId: string) => `HEAD#${caseId}`;
/** Where a chain's head is kept (its key in the audit table). */
export const chainHeadKey = (caseId: string) => ({ caseId: headKey(caseId), seq: 0 });
/** Where a once key's marker is kept (its partition, at seq 0). */
export const onceKey = (caseId: string, once: string) => `ONCE#${caseId}#${sha256(once).slice(0, 40)}`;
export const headShard = (caseId: string) => `HEADS#${Number.parseInt(sha256(caseId).slice(0, 8), 16) % HEAD_SHARDS}`;
/** Partitions of the audit table that are not chains. */
export const isChainId = (id: string) => !id.startsWith('HEAD#') && !id.startsWith('ONCE#');

/** A conditional write whose condition did not hold. */
export const isConditionFailure = (e: unknown) =>
  e instanceof ConditionalCheckFailedException || (e as { name?: string })?.name === 'ConditionalCheckFailedException';

/** A conditional put: true if written, false if its condition did not hold. */
export async function putIf(input: PutInput): Promise<boolean> {
  try {
    await put(input);
    return true;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    throw e;
  }
}

/** The one item of a partition at seq 0 (a head or a marker). */
async function single(caseId: string): Promise<Record<string, unknown> | undefined> {
  const out = await query({
    TableName: tables.audit,
    KeyConditionExpression: 'caseId = :c AND seq = :zero',
    ExpressionAttributeValues: { ':c': caseId, ':zero': 0 },
    ConsistentRead: true,
  });
  return out.Items[0];
}

/**
 * The markers this process has read or written. A marker never changes once
 * written (the table is append-only), so a second look for the same once key
 * (a person's refreshes of a case within the view window, a step run again)
 * needs no read. Bounded: the oldest are forgotten first.
 */
const knownMarkers = new Map<string, AuditEntry>();
const KNOWN_MARKERS = 20_000;
export function remember(key: string, entry: AuditEntry) {
  if (knownMarkers.size >= KNOWN_MARKERS) knownMarkers.delete(knownMarkers.keys().next().value!);
  knownMarkers.set(key, entry);
}

/** The chain as every append reads and writes it. */
export const store: ChainStore = {
  async tail(caseId) {
    const out = await query({
      TableName: tables.audit,
      KeyConditionExpression: 'caseId = :c',
      ExpressionAttributeValues: { ':c': caseId },
      ScanIndexForward: false,
      Limit: 1,
      ConsistentRead: true,
    });
    return out.Items[0] as StoredEntry | undefined;
  },
  async headSeq(caseId) {
    return ((await single(headKey(caseId)))?.headSeq as number | undefined) ?? 0;
  },
  remembered: (caseId, once) => knownMarkers.get(onceKey(caseId, once)),
  async marker(caseId, once) {
    const key = onceKey(caseId, once);
    const known = knownMarkers.get(key);
    if (known) return known;
    const found = (await single(key))?.entry as AuditEntry | undefined;
    if (found) remember(key, found);
    return found;
  },
  putEntry: (entry) =>
    putIf({ TableName: tables.audit, Item: entry, ConditionExpression: 'attribute_not_exists(seq)' }),
  async putMarker(caseId, once, entry) {
    const key = onceKey(caseId, once);
    const written = await putIf({
      TableName: tables.audit,
      Item: { caseId: key, seq: 0, entry },
      ConditionExpression: 'attribute_not_exists(seq)',
    });
    if (written) remember(key, entry);
  },
  async putHead(entry) {
    await putIf({
      TableName: tables.audit,
      Item: {
        caseId: headKey(entry.caseId),
        seq: 0,
        chain: entry.caseId,
        headSeq: entry.seq,
        headHash: entry.hash,
        headShard: headShard(entry.caseId),
        headAt: new Date().toISOString(),
      },
      ConditionExpression: 'attribute_not_exists(seq) OR headSeq < :s',
      ExpressionAttributeValues: { ':s': entry.seq },
    });
  },
  pause: (attempt) => sleep(Math.random() * Math.min(200, 5 * 2 ** Math.min(attempt, 6))),
};

/**
 * Append to a case's chain (domain/audit.ts appendToChain): a handful of reads
 * and conditional writes, the same at any length of chain. With a `once` key
 * the entry is appended at most once per case: a step that runs again (a
 * retry, a duplicate invocation, a restart) gets the entry already there.
 */
export async function appendAudit(draft: AuditDraft, once?: string): Promise<AuditEntry> {
  const entry = await appendToChain(store, draft, once);
  if (!entry) throw new TransientError('AuditAppendContention');
  return entry;
}

export async function readAudit(caseId: string): Promise<AuditEntry[]> {
  return (await queryAll({
    TableName: tables.audit,
    KeyConditionExpression: 'caseId = :c',
    ExpressionAttributeValues: { ':c': caseId },
    ConsistentRead: true,
  })) as unknown as AuditEntry[];
}
