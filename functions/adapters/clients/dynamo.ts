import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

// One client per process, made on first use; the endpoint comes from AWS_ENDPOINT_URL_DYNAMODB locally.
// Each AWS service has its own module so a bundle carries only the SDK clients its handler uses.
let doc: DynamoDBDocumentClient | undefined;
export const documents = () =>
  (doc ??= DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } }));
