/**
 * Powertools idempotency's pieces that a send uses, in one module, imported with `import()` by
 * functions/services/notifications.ts `idempotency`: one file of its own in a bundle that keeps what it imports so
 * (infra/constructs/bundling.ts splitByDefault), where the two packages imported each on its own were two, with a
 * third file of what only they shared that every cold start read (the SDK's invocation store), not only the first send.
 */
export {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
export { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
