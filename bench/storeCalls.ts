/**
 * How the benches name a DynamoDB call they count: its operation, its table (a batch names its tables as the keys
 * of its RequestItems, joined in order) and its index, if any: `Query cases/byForce`, `BatchGetItem audit+cases`.
 */
export function storeCallKey(
  commandName: string | undefined,
  input: { TableName?: string; IndexName?: string; RequestItems?: object },
): string {
  const table =
    input.TableName ??
    Object.keys(input.RequestItems ?? {})
      .sort()
      .join('+');
  return `${commandName?.replace(/Command$/, '')} ${table}${input.IndexName ? `/${input.IndexName}` : ''}`;
}
