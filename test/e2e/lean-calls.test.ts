import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ConditionalCheckFailedException, CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startDynalite } from '../../local/stack.js';
import { tableReady } from '../../local/table-ready.js';

/**
 * functions/adapters/clients/dynamo.ts sends the reads of a case (query, batchGet) and the consultation's put as the
 * DynamoDB client's own commands, marshalling native values itself, where every other call goes through the
 * document client. Both must see the same items: what one writes the other reads back unchanged, every kind of
 * value, and a failed condition is the same exception. One store, one table, no stack.
 */
const dir = mkdtempSync(join(process.cwd(), '.tmp', 'lean-'));
let store: Awaited<ReturnType<typeof startDynalite>>;
let dynamo: typeof import('../../functions/adapters/clients/dynamo.js');
const TABLE = 'lean';

/** An item with every kind of value the adapters write (nested maps and lists, numbers, sets, null, empty strings). */
const item = (pk: string, sk: string) => ({
  pk,
  sk,
  text: 'DC Alice Hughes',
  empty: '',
  count: 42,
  fraction: 0.25,
  flag: false,
  nothing: null,
  list: [1, 'two', { three: 3 }, [4]],
  map: { a: { b: ['c'] }, at: '2026-12-01T06:00:00.000Z' },
  names: new Set(['x', 'y']),
  numbers: new Set([1, 2]),
});

const ENV = ['AWS_ENDPOINT_URL_DYNAMODB', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] as const;
const envBefore = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));

beforeAll(async () => {
  store = await startDynalite(dir, 0);
  // The functions' client takes its endpoint and credentials from the environment, as in Lambda.
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: store.url,
    AWS_REGION: 'eu-west-2',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
  dynamo = await import('../../functions/adapters/clients/dynamo.js');
  const client = new DynamoDBClient({
    endpoint: store.url,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await client.send(
    new CreateTableCommand({
      TableName: TABLE,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
    }),
  );
  await tableReady(client, TABLE);
  client.destroy();
});
afterAll(async () => {
  for (const k of ENV)
    if (envBefore[k] === undefined) delete process.env[k];
    else process.env[k] = envBefore[k];
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the lean calls and the document client see the same items', () => {
  test('an item the document client wrote, read by query and batchGet; one put by put, read by the document client', async () => {
    const db = dynamo.documents();
    for (const sk of ['A', 'B', 'C']) await db.send(new PutCommand({ TableName: TABLE, Item: item('doc', sk) }));
    // The document client's own call first: it writes its defaults into the options it is given, which must not
    // change what the lean calls send (they once did, and every later query was refused).
    const byDocument = await db.send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': 'doc' },
      }),
    );
    const lean = await dynamo.query({
      TableName: TABLE,
      KeyConditionExpression: 'pk = :p AND sk > :s',
      ExpressionAttributeValues: { ':p': 'doc', ':s': '' },
    });
    expect(lean.Items).toEqual(byDocument.Items);
    expect(lean.Items).toEqual(['A', 'B', 'C'].map((sk) => item('doc', sk)));

    // Paged: the last key comes back native and carries the next page on.
    const first = await dynamo.query({
      TableName: TABLE,
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': 'doc' },
      Limit: 2,
    });
    expect(first.LastEvaluatedKey).toEqual({ pk: 'doc', sk: 'B' });
    const rest = await dynamo.query({
      TableName: TABLE,
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': 'doc' },
      ExclusiveStartKey: first.LastEvaluatedKey,
    });
    expect(rest.Items.map((i) => i.sk)).toEqual(['C']);
    expect(
      await dynamo.queryAll({
        TableName: TABLE,
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': 'doc' },
        Limit: 1,
      }),
    ).toEqual(lean.Items);

    const keys = [
      { pk: 'doc', sk: 'A' },
      { pk: 'doc', sk: 'missing' },
    ];
    const batch = await dynamo.batchGet({ RequestItems: { [TABLE]: { Keys: keys, ConsistentRead: true } } });
    const docBatch = await db.send(new BatchGetCommand({ RequestItems: { [TABLE]: { Keys: keys } } }));
    expect(batch.Responses).toEqual(docBatch.Responses);
    expect(batch.Responses[TABLE]).toEqual([item('doc', 'A')]);
    expect(batch.UnprocessedKeys).toBeUndefined();

    await dynamo.put({ TableName: TABLE, Item: { ...item('lean', 'A'), gone: undefined } });
    const read = await db.send(new GetCommand({ TableName: TABLE, Key: { pk: 'lean', sk: 'A' } }));
    expect(read.Item).toEqual(item('lean', 'A'));
  });

  test('a put whose condition does not hold is a ConditionalCheckFailedException and changes nothing', async () => {
    const put = (text: string) =>
      dynamo.put({
        TableName: TABLE,
        Item: { pk: 'once', sk: 'A', text },
        ConditionExpression: 'attribute_not_exists(sk)',
      });
    await put('first');
    await expect(put('second')).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    const { Item } = await dynamo
      .documents()
      .send(new GetCommand({ TableName: TABLE, Key: { pk: 'once', sk: 'A' }, ConsistentRead: true }));
    expect(Item?.text).toBe('first');
  });
});
