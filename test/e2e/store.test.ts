import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, test } from 'vitest';
import { startDynalite } from '../../local/stack.js';
import { tableReady } from '../../local/table-ready.js';

/**
 * The local store stays flat: dynalite 4.0.0 ends its LevelDB streams with
 * `iterator.return()`, which abstract-level 3.1.1's iterators lack, so as
 * published every Query leaves a native iterator open. The store process
 * (local/dynalite-process.cjs, with local/dynalite-iterators.cjs) gives them
 * one; here many queries of every shape the adapters use leave none open,
 * and the store as published, counted the same way, leaves them all.
 */
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const QUERIES = 300;

async function openIteratorsAfterQueries(env: NodeJS.ProcessEnv) {
  const dir = mkdtempSync(join(process.cwd(), '.tmp', 'store-'));
  dirs.push(dir);
  const store = await startDynalite(dir, 0, env);
  const client = new DynamoDBClient({
    endpoint: store.url,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const db = DynamoDBDocumentClient.from(client);
  try {
    await client.send(
      new CreateTableCommand({
        TableName: 'items',
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'seq', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'seq', AttributeType: 'N' },
          { AttributeName: 'g', AttributeType: 'S' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byG',
            KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
        ],
      }),
    );
    await tableReady(client, 'items');
    for (let seq = 1; seq <= 20; seq++)
      await db.send(new PutCommand({ TableName: 'items', Item: { pk: 'a', seq, g: 'x' } }));
    const before = await store.stats();
    const query = (input: Partial<QueryCommandInput>) =>
      db.send(
        new QueryCommand({
          TableName: 'items',
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': 'a' },
          ...input,
        }),
      );
    const shapes = [
      // The chain's tail, as an audit append reads it: stops after one item.
      () => query({ ScanIndexForward: false, Limit: 1, ConsistentRead: true }),
      // A whole partition, a page of it, an empty one, an index.
      () => query({}),
      () =>
        query({
          KeyConditionExpression: 'pk = :p AND seq > :s',
          ExpressionAttributeValues: { ':p': 'a', ':s': 5 },
          Limit: 5,
        }),
      () => query({ ExpressionAttributeValues: { ':p': 'b' } }),
      () =>
        query({
          IndexName: 'byG',
          KeyConditionExpression: 'g = :g',
          ExpressionAttributeValues: { ':g': 'x' },
          Limit: 3,
        }),
      () => db.send(new ScanCommand({ TableName: 'items', Limit: 4 })),
      () => db.send(new GetCommand({ TableName: 'items', Key: { pk: 'a', seq: 3 } })),
    ];
    for (let i = 0; i < QUERIES; i++) await shapes[i % shapes.length]!();
    return { before: before.openIterators, after: (await store.stats()).openIterators };
  } finally {
    client.destroy();
    await store.close();
  }
}

describe('the local store’s LevelDB iterators', () => {
  test(`${QUERIES} queries of every shape leave no iterator open`, async () => {
    const { before, after } = await openIteratorsAfterQueries(process.env);
    expect(before).toBe(0);
    expect(after).toBe(0);
  });

  test('dynalite as published leaves them open (what the fix closes; if this fails, dynalite fixed it and the shim can go)', async () => {
    const { after } = await openIteratorsAfterQueries({ ...process.env, RTK_DYNALITE_UNPATCHED: '1' });
    expect(after).toBeGreaterThan(QUERIES / 2);
  });
});
