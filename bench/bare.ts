import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

/**
 * The yardstick of `npm run bench`: a handler that bundles only the DynamoDB
 * client and its document client, built with the same options as every
 * handler. Each handler's import time is compared with this one's.
 */
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = async (event: { caseId: string }) =>
  (await doc.send(new GetCommand({ TableName: process.env.CASES_TABLE, Key: { caseId: event.caseId } }))).Item;
