import {
  type AttributeValue,
  BatchGetItemCommand,
  DeleteItemCommand,
  DynamoDBClient,
  type DynamoDBClientConfig,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type {
  BatchGetCommandInput,
  DeleteCommandInput,
  GetCommandInput,
  PutCommandInput,
  QueryCommandInput,
  ScanCommandInput,
  UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { marshall, type NativeAttributeValue, unmarshall } from '@aws-sdk/util-dynamodb';
import { traced } from '#powertools';

// One client per process, made on first use; the endpoint comes from AWS_ENDPOINT_URL_DYNAMODB locally.
// Each AWS service has its own module so a bundle carries only the SDK clients its handler uses; each client's calls
// are traced when the Tracer is on (functions/powertools.ts).
const MARSHALL = Object.freeze({ removeUndefinedValues: true, convertClassInstanceToMap: false });
let raw: DynamoDBClient | undefined;
/**
 * How every DynamoDB client of the functions is made (this module's, and Powertools idempotency's store,
 * functions/services/notifications.ts): retrying in the SDK's standard mode, its default, whatever AWS_RETRY_MODE
 * says. The bundles carry no adaptive mode (infra/constructs/bundling.ts standardRetryOnly). A fresh object each
 * time: a client is given its own.
 */
export const dynamoClientConfig = (): DynamoDBClientConfig => ({ retryMode: 'standard' });
/**
 * The DynamoDB client every call below goes through. It keeps each command's resolved middleware (the SDK's
 * `cacheMiddleware`: the stack is put together once per kind of command, not again on every call, about a quarter of
 * the SDK's CPU a call on this machine), so nothing may be added to its stack once it has sent: what watches its
 * calls (a bench counting them, a test failing one) registers with watchDynamoCalls instead.
 */
export const dynamoClient = () => {
  if (raw) return raw;
  raw = traced(new DynamoDBClient({ ...dynamoClientConfig(), cacheMiddleware: true }));
  raw.middlewareStack.add(
    (next, context) => (args) => {
      if (watchers.size === 0) return next(args);
      try {
        for (const watch of watchers) watch(context.commandName ?? '', args.input as DynamoCallInput);
      } catch (e) {
        return Promise.reject(e);
      }
      return next(args);
    },
    { step: 'initialize', name: 'dynamoCallWatchers' },
  );
  return raw;
};

/** What a watcher is shown of a call: the input as sent (attribute values in the store's form). */
export type DynamoCallInput = {
  TableName?: string;
  IndexName?: string;
  RequestItems?: Record<string, unknown>;
} & Record<string, unknown>;
/** Told of every call before it is sent; one that throws fails the call with what it threw (a test's stopped process). */
export type DynamoCallWatcher = (commandName: string, input: DynamoCallInput) => void;
const watchers = new Set<DynamoCallWatcher>();
/** Watch every call of dynamoClient() from now on; the function returned stops watching. */
export function watchDynamoCalls(watch: DynamoCallWatcher): () => void {
  watchers.add(watch);
  return () => watchers.delete(watch);
}

/*
 * Every call is the document client's (@aws-sdk/lib-dynamodb), native values in and out, with the same options
 * (undefined values left out, class instances refused), sent as the DynamoDB client's own command: the document
 * layer resolves a second middleware stack around every call, which made each call cost about a third more CPU
 * (bench/results/scale.md), and it is about 6 kB in every bundle. Keys, items and expression values are marshalled
 * with @aws-sdk/util-dynamodb as the document client marshals them; items, attributes and keys that come back are
 * unmarshalled as it does (numbers as JavaScript numbers). test/e2e/lean-calls.test.ts holds the two to each other.
 */

type Native = Record<string, unknown>;
/** What is written: native values, as the document client takes them. */
type Values = Record<string, NativeAttributeValue>;
/** A call on one item names its key. */
type Keyed = { Key: Values };
const toStore = (values: Values) => marshall(values, MARSHALL);
const toNative = (item: Stored): Native => unmarshall(item);
/** An input's expression values marshalled; absent stays absent. */
const values = (v: Values | undefined) => (v ? { ExpressionAttributeValues: toStore(v) } : {});

export interface QueryPage {
  Items: Native[];
  LastEvaluatedKey?: Native;
  Count?: number;
}

/** One Query. */
export async function query(input: QueryCommandInput): Promise<QueryPage> {
  const { ExpressionAttributeValues: v, ExclusiveStartKey: start, ...rest } = input;
  const out = await dynamoClient().send(
    new QueryCommand({ ...rest, ...values(v), ...(start ? { ExclusiveStartKey: toStore(start) } : {}) }),
  );
  return page(out);
}

/** One Scan (a page of it). */
export async function scan(input: ScanCommandInput): Promise<QueryPage> {
  const { ExpressionAttributeValues: v, ExclusiveStartKey: start, ...rest } = input;
  const out = await dynamoClient().send(
    new ScanCommand({ ...rest, ...values(v), ...(start ? { ExclusiveStartKey: toStore(start) } : {}) }),
  );
  return page(out);
}

type Stored = Record<string, AttributeValue>;

function page(out: { Items?: Stored[]; LastEvaluatedKey?: Stored; Count?: number }): QueryPage {
  return {
    Items: (out.Items ?? []).map(toNative),
    ...(out.LastEvaluatedKey ? { LastEvaluatedKey: toNative(out.LastEvaluatedKey) } : {}),
    ...(out.Count !== undefined ? { Count: out.Count } : {}),
  };
}

/** One BatchGetItem: the items found, by table, and the keys left unprocessed (to ask for again). */
export async function batchGet(input: BatchGetCommandInput): Promise<{
  Responses: Record<string, Native[]>;
  UnprocessedKeys?: BatchGetCommandInput['RequestItems'];
}> {
  const requests = Object.entries(input.RequestItems ?? {}).map(([table, { Keys, ...rest }]) => [
    table,
    { ...rest, Keys: (Keys ?? []).map(toStore) },
  ]);
  const out = await dynamoClient().send(new BatchGetItemCommand({ RequestItems: Object.fromEntries(requests) }));
  const unprocessed = Object.entries(out.UnprocessedKeys ?? {}).map(([table, { Keys, ...rest }]) => [
    table,
    { ...rest, Keys: (Keys ?? []).map(toNative) },
  ]);
  return {
    Responses: Object.fromEntries(
      Object.entries(out.Responses ?? {}).map(([table, items]) => [table, items.map(toNative)]),
    ),
    ...(unprocessed.length ? { UnprocessedKeys: Object.fromEntries(unprocessed) } : {}),
  };
}

/** One GetItem: the item, or undefined when there is none. */
export async function get(input: GetCommandInput & Keyed): Promise<Native | undefined> {
  const { Key, ...rest } = input;
  const out = await dynamoClient().send(new GetItemCommand({ ...rest, Key: toStore(Key) }));
  return out.Item ? toNative(out.Item) : undefined;
}

/** A PutItem's input: an item to write, native values. */
export type PutInput = PutCommandInput & { Item: Values };

/** One PutItem (its condition, if any, a ConditionalCheckFailedException when it does not hold); nothing returned. */
export async function put(input: PutInput): Promise<void> {
  const { Item, ExpressionAttributeValues: v, ...rest } = input;
  await dynamoClient().send(new PutItemCommand({ ...rest, Item: toStore(Item), ...values(v) }));
}

/** One UpdateItem (its condition, if any, a ConditionalCheckFailedException when it does not hold): the attributes its ReturnValues asks for. */
export async function update(input: UpdateCommandInput & Keyed): Promise<Native | undefined> {
  const { Key, ExpressionAttributeValues: v, ...rest } = input;
  const out = await dynamoClient().send(new UpdateItemCommand({ ...rest, Key: toStore(Key), ...values(v) }));
  return out.Attributes ? toNative(out.Attributes) : undefined;
}

/** One DeleteItem (its condition, if any, a ConditionalCheckFailedException when it does not hold); nothing returned. */
export async function remove(input: DeleteCommandInput & Keyed): Promise<void> {
  const { Key, ExpressionAttributeValues: v, ...rest } = input;
  await dynamoClient().send(new DeleteItemCommand({ ...rest, Key: toStore(Key), ...values(v) }));
}

/** Every item a query matches, across pages. */
export async function queryAll(input: QueryCommandInput): Promise<Native[]> {
  const items: Native[] = [];
  let start: Native | undefined;
  do {
    const page = await query({ ...input, ExclusiveStartKey: start });
    items.push(...page.Items);
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}
