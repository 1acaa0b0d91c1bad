import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startDynalite } from '../../local/stack.js';
import { keyedTable } from '../support/keyedTable.js';

/**
 * functions/adapters/clients/dynamo.ts sends every call (reads, puts, updates, deletes, scans) as the DynamoDB
 * client's own commands, marshalling native values itself, where the product once went through the document client
 * (@aws-sdk/lib-dynamodb). The two must see and write the same items: what one writes the other reads back
 * unchanged, every kind of value, an update's returned attributes are the same, and a failed condition is the same
 * exception and changes nothing. One store, one table, no stack.
 */
const dir = mkdtempSync(join(process.cwd(), '.tmp', 'lean-'));
let store: Awaited<ReturnType<typeof startDynalite>>;
let dynamo: typeof import('../../functions/adapters/clients/dynamo.js');
let db: DynamoDBDocumentClient;
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
  // The document client as the product built it, over a client made as the functions' is (the document client does
  // not take one that keeps its resolved middleware, as the functions' own does).
  db = DynamoDBDocumentClient.from(new DynamoDBClient(dynamo.dynamoClientConfig()), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  const client = new DynamoDBClient({
    endpoint: store.url,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await keyedTable(client, TABLE, ['pk', 'S'], ['sk', 'S']);
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
    const { Item } = await db.send(
      new GetCommand({ TableName: TABLE, Key: { pk: 'once', sk: 'A' }, ConsistentRead: true }),
    );
    expect(Item?.text).toBe('first');
  });

  test('get, update, remove and scan read and write as the document client does', async () => {
    await db.send(new PutCommand({ TableName: TABLE, Item: item('w', 'A') }));
    await dynamo.put({ TableName: TABLE, Item: item('w', 'B') });
    expect(await dynamo.get({ TableName: TABLE, Key: { pk: 'w', sk: 'A' }, ConsistentRead: true })).toEqual(
      item('w', 'A'),
    );
    expect(await dynamo.get({ TableName: TABLE, Key: { pk: 'w', sk: 'missing' } })).toBeUndefined();
    const projected = await dynamo.get({
      TableName: TABLE,
      Key: { pk: 'w', sk: 'A' },
      ProjectionExpression: '#c',
      ExpressionAttributeNames: { '#c': 'count' },
    });
    expect(projected).toEqual({ count: 42 });

    // The same update each way, on the two items: the same attributes returned, the same items after.
    const change = (sk: string) => ({
      TableName: TABLE,
      Key: { pk: 'w', sk },
      UpdateExpression:
        'SET #t = :t, #m.#at = :at, #l = list_append(if_not_exists(#l, :none), :more), #n = :n ADD #c :one REMOVE #e',
      ConditionExpression: '#f = :f',
      ExpressionAttributeNames: {
        '#t': 'text',
        '#m': 'map',
        '#at': 'at',
        '#l': 'list',
        '#n': 'nested',
        '#c': 'count',
        '#e': 'empty',
        '#f': 'flag',
      },
      ExpressionAttributeValues: {
        ':t': 'DS Bea Roy',
        ':at': '2026-12-01T09:00:00.000Z',
        ':none': [],
        ':more': [{ five: 5 }, null],
        ':n': { deep: { list: [true, 0.5], gone: undefined } },
        ':one': 1,
        ':f': false,
      },
      ReturnValues: 'ALL_NEW' as const,
    });
    const byDocument = (await db.send(new UpdateCommand(change('A')))).Attributes;
    const lean = await dynamo.update(change('B'));
    expect(lean).toEqual({ ...byDocument, sk: 'B' });
    expect(lean).toMatchObject({ text: 'DS Bea Roy', count: 43, nested: { deep: { list: [true, 0.5] } } });
    expect(lean).not.toHaveProperty('empty');
    expect(await dynamo.update({ ...change('B'), ReturnValues: 'NONE' })).toBeUndefined();

    // A condition that does not hold: the same exception, nothing changed.
    await expect(
      dynamo.update({
        ...change('B'),
        ExpressionAttributeValues: { ...change('B').ExpressionAttributeValues, ':f': true },
      }),
    ).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    await expect(
      dynamo.remove({
        TableName: TABLE,
        Key: { pk: 'w', sk: 'B' },
        ConditionExpression: '#c = :c',
        ExpressionAttributeNames: { '#c': 'count' },
        ExpressionAttributeValues: { ':c': 0 },
      }),
    ).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    expect((await dynamo.get({ TableName: TABLE, Key: { pk: 'w', sk: 'B' }, ConsistentRead: true }))?.count).toBe(44);

    await dynamo.remove({
      TableName: TABLE,
      Key: { pk: 'w', sk: 'B' },
      ConditionExpression: '#c = :c',
      ExpressionAttributeNames: { '#c': 'count' },
      ExpressionAttributeValues: { ':c': 44 },
    });
    expect((await db.send(new GetCommand({ TableName: TABLE, Key: { pk: 'w', sk: 'B' } }))).Item).toBeUndefined();
    await db.send(new DeleteCommand({ TableName: TABLE, Key: { pk: 'w', sk: 'A' } }));

    // A scan a page at a time: every item, as the document client's scan reads them.
    const scanned: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await dynamo.scan({ TableName: TABLE, Limit: 2, ExclusiveStartKey: start, ConsistentRead: true });
      scanned.push(...page.Items);
      start = page.LastEvaluatedKey;
    } while (start);
    const all = await db.send(new ScanCommand({ TableName: TABLE, ConsistentRead: true }));
    expect(scanned).toEqual(all.Items);
    expect(scanned.length).toBeGreaterThan(3);
  });
});

describe("watching the functions' calls", () => {
  // The client keeps each command's resolved middleware (cacheMiddleware): what watches its calls is told through
  // watchDynamoCalls, which works whenever it starts, before or after the client's first call.
  test('a watcher started after the client has sent sees each call from then on and none once stopped; one that throws fails the call, which changes nothing', async () => {
    const key = { pk: 'watched', sk: 'A' };
    await dynamo.put({ TableName: TABLE, Item: { ...key, n: 1 } });
    const seen: string[] = [];
    const stop = dynamo.watchDynamoCalls((name, input) => seen.push(`${name} ${input.TableName}`));
    await dynamo.put({ TableName: TABLE, Item: { ...key, n: 2 } });
    await dynamo.get({ TableName: TABLE, Key: key, ConsistentRead: true });
    expect(seen).toEqual(['PutItemCommand lean', 'GetItemCommand lean']);
    stop();
    await dynamo.get({ TableName: TABLE, Key: key, ConsistentRead: true });
    expect(seen).toHaveLength(2);

    const stopped = dynamo.watchDynamoCalls((name) => {
      if (name === 'PutItemCommand') throw new Error('the process stopped here');
    });
    await expect(dynamo.put({ TableName: TABLE, Item: { ...key, n: 3 } })).rejects.toThrow('the process stopped here');
    stopped();
    expect((await dynamo.get({ TableName: TABLE, Key: key, ConsistentRead: true }))?.n).toBe(2);
  });
});
