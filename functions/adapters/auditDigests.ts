import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry, ChainHead, DailyDigest } from '../domain/audit.js';
import { documents } from './clients/dynamo.js';
import { objects } from './clients/s3.js';
import { env, tables } from './env.js';

/** Every audit entry's key and hash, read once: the heads and any entry's hash come from it. */
export async function scanChains(): Promise<Map<string, Map<number, string>>> {
  const chains = new Map<string, Map<number, string>>();
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documents().send(
      new ScanCommand({
        TableName: tables.audit,
        ProjectionExpression: 'caseId, seq, #h',
        ExpressionAttributeNames: { '#h': 'hash' },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of (page.Items ?? []) as Pick<AuditEntry, 'caseId' | 'seq' | 'hash'>[]) {
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
const keyOf = (day: string) => `digests/${day}.json`;

/** Written once per day: Object Lock (in AWS) keeps it from being changed or deleted. */
export async function putDigest(d: DailyDigest): Promise<void> {
  await objects().send(
    new PutObjectCommand({
      Bucket: bucket(),
      Key: keyOf(d.day),
      Body: JSON.stringify(d),
      ContentType: 'application/json',
    }),
  );
}

export async function listDigests(): Promise<DailyDigest[]> {
  const out: DailyDigest[] = [];
  let token: string | undefined;
  do {
    const page = await objects().send(
      new ListObjectsV2Command({ Bucket: bucket(), Prefix: 'digests/', ContinuationToken: token }),
    );
    for (const o of page.Contents ?? []) {
      const body = await objects().send(new GetObjectCommand({ Bucket: bucket(), Key: o.Key! }));
      out.push(JSON.parse(await body.Body!.transformToString()) as DailyDigest);
    }
    token = page.NextContinuationToken;
  } while (token);
  return out.sort((a, b) => a.day.localeCompare(b.day));
}
