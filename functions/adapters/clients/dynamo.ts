import { BatchGetItemCommand, DynamoDBClient, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import {
  type BatchGetCommandInput,
  DynamoDBDocumentClient,
  type PutCommandInput,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { traced } from '#powertools';

// One client per process, made on first use; the endpoint comes from AWS_ENDPOINT_URL_DYNAMODB locally.
// Each AWS service has its own module so a bundle carries only the SDK clients its handler uses; each client's calls
// are traced when the Tracer is on (functions/powertools.ts).
// A function, not one object: the document client writes its own defaults into the options it is given.
const marshalling = () => ({ removeUndefinedValues: true, convertClassInstanceToMap: false });
const MARSHALL = Object.freeze(marshalling());
let raw: DynamoDBClient | undefined;
let doc: DynamoDBDocumentClient | undefined;
const client = () => (raw ??= traced(new DynamoDBClient({})));
/** The document client: native values in and out. It shares the client's middleware stack (what a bench counts). */
export const documents = () => (doc ??= DynamoDBDocumentClient.from(client(), { marshallOptions: marshalling() }));

export interface QueryPage {
  Items: Record<string, unknown>[];
  LastEvaluatedKey?: Record<string, unknown>;
  Count?: number;
}

/*
 * The calls below are the document client's, native values in and out, sent as the client's own commands: the
 * document layer resolves a second middleware stack around every call, which made each read of a case cost about a
 * third more CPU (bench/results/scale.md). They go through the same client, so what counts its calls counts these.
 */

/** One Query. */
export async function query(input: QueryCommandInput): Promise<QueryPage> {
  const { ExpressionAttributeValues: values, ExclusiveStartKey: start, ...rest } = input;
  const out = await client().send(
    new QueryCommand({
      ...rest,
      ...(values ? { ExpressionAttributeValues: marshall(values, MARSHALL) } : {}),
      ...(start ? { ExclusiveStartKey: marshall(start, MARSHALL) } : {}),
    }),
  );
  return {
    Items: (out.Items ?? []).map((item) => unmarshall(item)),
    ...(out.LastEvaluatedKey ? { LastEvaluatedKey: unmarshall(out.LastEvaluatedKey) } : {}),
    ...(out.Count !== undefined ? { Count: out.Count } : {}),
  };
}

/** One BatchGetItem: the items found, by table, and the keys left unprocessed (to ask for again). */
export async function batchGet(input: BatchGetCommandInput): Promise<{
  Responses: Record<string, Record<string, unknown>[]>;
  UnprocessedKeys?: BatchGetCommandInput['RequestItems'];
}> {
  const requests = Object.entries(input.RequestItems ?? {}).map(([table, { Keys, ...rest }]) => [
    table,
    { ...rest, Keys: (Keys ?? []).map((k) => marshall(k, MARSHALL)) },
  ]);
  const out = await client().send(new BatchGetItemCommand({ RequestItems: Object.fromEntries(requests) }));
  const unprocessed = Object.entries(out.UnprocessedKeys ?? {}).map(([table, { Keys, ...rest }]) => [
    table,
    { ...rest, Keys: (Keys ?? []).map((k) => unmarshall(k)) },
  ]);
  return {
    Responses: Object.fromEntries(
      Object.entries(out.Responses ?? {}).map(([table, items]) => [table, items.map((i) => unmarshall(i))]),
    ),
    ...(unprocessed.length ? { UnprocessedKeys: Object.fromEntries(unprocessed) } : {}),
  };
}

/** One PutItem (its condition, if any, a ConditionalCheckFailedException when it does not hold); nothing returned. */
export async function put(input: PutCommandInput): Promise<void> {
  const { Item, ExpressionAttributeValues: values, ...rest } = input;
  await client().send(
    new PutItemCommand({
      ...rest,
      Item: marshall(Item, MARSHALL),
      ...(values ? { ExpressionAttributeValues: marshall(values, MARSHALL) } : {}),
    }),
  );
}

/** Every item a query matches, across pages. */
export async function queryAll(input: QueryCommandInput): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await query({ ...input, ExclusiveStartKey: start });
    items.push(...page.Items);
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}
