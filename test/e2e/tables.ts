import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { deriveTokenKey, openWith } from '../../functions/adapters/tokenCipher.js';
import { localTaskTokenKey } from '../../local/task-token-key.js';

/**
 * The local stack's tables read raw, as a thief of a backup would: every item
 * of every table, straight from dynalite, past the API and its adapters.
 */
export type RawItem = Record<string, unknown>;

export async function scanAll(endpoint: string, table: string): Promise<RawItem[]> {
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint,
      region: 'eu-west-2',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  const items: RawItem[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.send(
      new ScanCommand({ TableName: table, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) }),
    );
    items.push(...((out.Items ?? []) as RawItem[]));
    start = out.LastEvaluatedKey;
  } while (start);
  db.destroy();
  return items;
}

export const TABLES = ['cases', 'audit', 'consultations', 'idempotency'] as const;

/**
 * Items that reading and refusing may add or move: a view's record in the
 * consultation log; audit entries recording a refusal (or a view, in a store
 * from before the log), their once markers, and chain heads (a head moves with
 * every entry; the entries themselves are compared).
 */
export function isReadOrRefusal(table: (typeof TABLES)[number], item: RawItem): boolean {
  if (table === 'consultations') return true;
  if (table !== 'audit') return false;
  const id = String(item.caseId);
  if (id.startsWith('HEAD#')) return true;
  const entry = (id.startsWith('ONCE#') ? item.entry : item) as RawItem | undefined;
  return entry?.action === 'access.refused' || entry?.action === 'case.viewed';
}

/** The task tokens the cases table holds, opened with the local key: what must never be seen anywhere else. */
export async function storedTaskTokens(
  endpoint: string,
  dataDir: string,
): Promise<{ pk: string; sk: string; sealed: string; token: string }[]> {
  const key = deriveTokenKey(localTaskTokenKey(dataDir));
  return (await scanAll(endpoint, 'cases'))
    .filter((i) => typeof i.taskToken === 'string')
    .map((i) => {
      const pk = String(i.pk);
      const sk = String(i.sk);
      const sealed = String(i.taskToken);
      return { pk, sk, sealed, token: openWith(key, sealed, `${pk}|${sk}`) };
    });
}

/** A local task token: `<execution name>.<48 random bytes, base64url>`. */
export const TOKEN_SHAPE = /[A-Za-z0-9_-]{8,80}\.[A-Za-z0-9_-]{64}(?![A-Za-z0-9_-])/;

/** Read the tables of a stopped local stack from its data folder, with a dynalite of our own on the same files. */
export async function withStoppedStackTables<T>(dataDir: string, fn: (endpoint: string) => Promise<T>): Promise<T> {
  const { default: dynalite } = (await import('dynalite')) as { default: (o: object) => import('node:http').Server };
  const server = dynalite({ path: `${dataDir}/dynamo`, createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  try {
    return await fn(`http://127.0.0.1:${(server.address() as { port: number }).port}`);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
