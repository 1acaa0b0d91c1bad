// TEMPORARY (to be replaced by the CDK-derived version)
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
const S = (n: string) => ({ AttributeName: n, AttributeType: 'S' as const });
const gsi = (name: string, pk: string, sk?: string) => ({ IndexName: name, KeySchema: [{ AttributeName: pk, KeyType: 'HASH' as const }, ...(sk ? [{ AttributeName: sk, KeyType: 'RANGE' as const }] : [])], Projection: { ProjectionType: 'ALL' as const } });
export function localTableDefinitions(): { role: string; input: CreateTableCommandInput; ttlAttribute?: string }[] {
  return [
    { role: 'cases', input: { TableName: 'cases', BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }], AttributeDefinitions: ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk'].map(S), GlobalSecondaryIndexes: [gsi('byForce', 'gsi1pk', 'gsi1sk'), gsi('pendingApprovals', 'gsi2pk', 'gsi2sk'), gsi('approvalsById', 'gsi3pk')] } },
    { role: 'audit', input: { TableName: 'audit', BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'caseId', KeyType: 'HASH' }, { AttributeName: 'seq', KeyType: 'RANGE' }], AttributeDefinitions: [S('caseId'), { AttributeName: 'seq', AttributeType: 'N' }] } },
    { role: 'idempotency', input: { TableName: 'idempotency', BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [S('id')] }, ttlAttribute: 'expiration' },
  ];
}
