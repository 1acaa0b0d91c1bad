import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  ProvisionedThroughputExceededException,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll } from 'vitest';

/**
 * The DynamoDB client mocked (aws-sdk-client-mock) for a test file, with the cases table named: for what a handler or
 * an adapter does with a store's answer, where the whole stack would be overkill. functions/adapters/clients/dynamo.ts
 * sends every call as the client's own command, so its answers hold marshalled items. Reset it in beforeEach.
 */
export function mockedClient() {
  const db = mockClient(DynamoDBClient);
  const saved = process.env.CASES_TABLE;
  beforeAll(() => {
    process.env.CASES_TABLE = 'cases';
  });
  afterAll(() => {
    db.restore();
    process.env.CASES_TABLE = saved;
  });
  return db;
}

/** A conditional write that lost: someone else wrote first. */
export const lostCondition = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

/** A write throttled by the store: transient, another try will likely pass. */
export const throttled = () =>
  new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: { httpStatusCode: 400 } });
