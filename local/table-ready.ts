import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * A new table is CREATING for a moment, in dynalite as in DynamoDB (dynalite flips it on a timer, which a busy
 * machine delays): it is written to, and its time to live set, only once it and its indexes are ACTIVE.
 */
export async function tableReady(ddb: DynamoDBClient, TableName: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { Table } = await ddb.send(new DescribeTableCommand({ TableName }));
    if (
      Table?.TableStatus === 'ACTIVE' &&
      (Table.GlobalSecondaryIndexes ?? []).every((g) => g.IndexStatus === 'ACTIVE')
    )
      return;
    if (Date.now() > deadline) throw new Error(`table ${TableName} did not become ACTIVE`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
