import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { tableReady } from '../../local/table-ready.js';

type Key = readonly [name: string, type: 'S' | 'N'];

/** A table with a partition and a sort key and nothing else, on a store of a test's own, ready to use. */
export async function keyedTable(client: DynamoDBClient, TableName: string, hash: Key, range: Key): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: hash[0], KeyType: 'HASH' },
        { AttributeName: range[0], KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: hash[0], AttributeType: hash[1] },
        { AttributeName: range[0], AttributeType: range[1] },
      ],
    }),
  );
  await tableReady(client, TableName);
}
