import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { traced } from '#powertools';

// One client per process, made on first use; the endpoint comes from AWS_ENDPOINT_URL_DYNAMODB locally.
// Each AWS service has its own module so a bundle carries only the SDK clients its handler uses; each client's calls
// are traced when the Tracer is on (functions/powertools.ts).
let doc: DynamoDBDocumentClient | undefined;
export const documents = () =>
  (doc ??= DynamoDBDocumentClient.from(traced(new DynamoDBClient({})), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  }));

/** Every item a query matches, across pages. */
export async function queryAll(input: QueryCommandInput): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documents().send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}
