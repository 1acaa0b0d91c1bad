import { get, update } from './clients/dynamo.js';
import { tables } from './env.js';

// Versions: a counter per force and list, moved by every write that changes what the list shows. A list's ETag
// is made from it (one GetItem), so a poll that finds nothing new costs a read of one small item.

export type ListName = 'cases' | 'approvals' | 'faults' | 'requests';
const versionKey = (force: string, list: ListName) => ({ pk: `VERSION#${force}`, sk: list });

export async function bumpListVersion(force: string, ...lists: ListName[]): Promise<void> {
  for (const list of lists)
    await update({
      TableName: tables.cases,
      Key: versionKey(force, list),
      UpdateExpression: 'ADD n :one',
      ExpressionAttributeValues: { ':one': 1 },
    });
}

export async function listVersion(force: string, list: ListName): Promise<number> {
  const item = await get({ TableName: tables.cases, Key: versionKey(force, list), ConsistentRead: true });
  return Number(item?.n ?? 0);
}
