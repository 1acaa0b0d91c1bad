import type { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import type { CaseRecord, NotificationRecord } from '../domain/records.js';
import { tables } from '../adapters/env.js';
import { mutateCase } from '../adapters/case.js';
import { dynamoClientConfig } from '../adapters/clients/dynamo.js';
import { NotifyError, type Notifier } from '../adapters/notify.js';
import { count } from '../adapters/figures.js';
import { audit } from './audit.js';

/** A send Notify may take later (rate limit, Notify down, no answer): the workflow retries it with backoff. */
export class NotifyTransientError extends Error {
  override readonly name = 'NotifyTransientError';
}

/**
 * Powertools idempotency, loaded with the first send that is not already on the case's record rather than with
 * the function: a step that ends before sending (nothing owed, a victim not verified, a send held to a safe time)
 * never loads it, and a bundle that keeps what it imports with `import()` in files of their own
 * (infra/constructs/bundling.ts splitByDefault) reads it only then.
 */
export const idempotency = () => import('./idempotencyOnUse.js');

let store: DynamoDBPersistenceLayer | undefined;
const persistence = (PersistenceLayer: typeof DynamoDBPersistenceLayer) =>
  (store ??= new PersistenceLayer({ tableName: tables.idempotency, clientConfig: dynamoClientConfig() }));

export type SendOutcome =
  | { result: 'sent' | 'already_sent'; notifyId: string }
  | { result: 'failed'; status?: number; reason: string };

/**
 * Send one notification at most once, keyed on its reference
 * (`<caseId>:<purpose>:v<version>`), in three layers:
 * - the case's own record of what was sent (a retried or resumed step stops here);
 * - Powertools idempotency on the reference (a redelivered or concurrent step gets the first send's answer);
 * - before sending, Notify itself is asked for the reference, so a send whose
 *   answer was lost (a crash, a dropped connection) is found, not repeated.
 * A permanent refusal is returned for the workflow to hand to a person; a
 * transient one is thrown for the workflow to retry.
 */
export async function sendOnce(
  kase: CaseRecord,
  n: { reference: string; purpose: string; channel: 'sms' | 'letter' },
  notifier: Notifier,
  send: () => Promise<{ id: string }>,
  context: Context,
  now: string,
): Promise<SendOutcome> {
  const sentEntry = (notifyId: string, found = false) =>
    audit(
      kase.caseId,
      'workflow',
      `notification.sent.${n.channel}`,
      { reference: n.reference, notifyId, ...(found ? { foundAtNotify: 'true' } : {}) },
      undefined,
      now,
      `notification.sent|${n.reference}`,
    );
  const known = kase.notifications.find((x) => x.reference === n.reference);
  if (known) {
    // Sent by an earlier run of this step: its entry is asserted again (a run cut short after recording the send completes it).
    await sentEntry(known.notifyId);
    return { result: 'already_sent', notifyId: known.notifyId };
  }
  const { IdempotencyAlreadyInProgressError, IdempotencyConfig, makeIdempotent, DynamoDBPersistenceLayer } =
    await idempotency();
  const config = new IdempotencyConfig({ eventKeyJmesPath: 'reference', expiresAfterSeconds: 30 * 86400 });
  config.registerLambdaContext(context);
  const deliver = makeIdempotent(
    async (_request: { reference: string }) => {
      const found = await notifier.findSent(n.reference, n.channel);
      if (found) return { id: found.id, found: true };
      return { ...(await send()), found: false };
    },
    { persistenceStore: persistence(DynamoDBPersistenceLayer), config, keyPrefix: 'notify' },
  );
  let delivered: { id: string; found: boolean };
  try {
    delivered = await deliver({ reference: n.reference });
  } catch (e) {
    if (e instanceof NotifyError && e.kind === 'permanent') {
      count('notificationFailed');
      await audit(
        kase.caseId,
        'workflow',
        `notification.refused.${n.channel}`,
        { reference: n.reference, status: String(e.status ?? 'none') },
        undefined,
        now,
        true,
      );
      return { result: 'failed', ...(e.status !== undefined ? { status: e.status } : {}), reason: e.message };
    }
    if (e instanceof NotifyError || e instanceof IdempotencyAlreadyInProgressError)
      throw new NotifyTransientError(e.message);
    throw e;
  }
  const record: NotificationRecord = { ...n, notifyId: delivered.id, status: 'created', at: now };
  // Recorded once: a step running twice at once (a redelivery, a resumed execution) records and audits the send once.
  let added = false;
  await mutateCase(
    kase.caseId,
    (k) => {
      added = !k.notifications.some((x) => x.reference === n.reference);
      return added ? { ...k, notifications: [...k.notifications, record] } : k;
    },
    now,
  );
  if (added) count('notificationSent');
  await sentEntry(delivered.id, delivered.found);
  if (!added) return { result: 'already_sent', notifyId: delivered.id };
  return { result: delivered.found ? 'already_sent' : 'sent', notifyId: delivered.id };
}
