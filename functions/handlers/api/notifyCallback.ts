import { timingSafeEqual } from 'node:crypto';
import { isFailure, recordReceipt } from '../../domain/delivery.js';
import { NotAuthenticated, ChangedMeanwhile } from '../../domain/errors.js';
import { env } from '../../adapters/env.js';
import { getCase, mutateCase } from '../../adapters/case.js';
import { secret } from '../../adapters/secrets.js';
import { apiHandler, json, parseJsonBody } from '../../http/api.js';
import { NotifyReceipt } from '../../schemas/api.js';
import { audit } from '../../services/audit.js';
import { count } from '../../adapters/figures.js';
import * as inputs from '../../routeInputs.js';

/** What this service sends, after the case id: the disclosure's letter and SMS, the victim updates, a closure's notice. */
const SENDS = /^:(disclosure-letter:v\d+|disclosure-sms:v\d+|victim_update:\d+|not-traced-(?:sms|letter))$/;

function bearerMatches(header: string | undefined, expected: string): boolean {
  const given = Buffer.from(header?.replace(/^Bearer\s+/i, '') ?? '');
  const want = Buffer.from(expected);
  return given.length === want.length && timingSafeEqual(given, want);
}

/**
 * GOV.UK Notify calls back with each delivery receipt, authenticated by the
 * bearer token we gave it. The token is checked before the body is read, so
 * an unauthenticated caller learns nothing about what a receipt looks like.
 */
export const handler = apiHandler(
  inputs.notifyCallback,
  async ({ rawBody, event, now }) => {
    const expected = await secret(env('NOTIFY_CALLBACK_SECRET_ID'));
    const auth = event.headers?.authorization ?? event.headers?.Authorization;
    if (!bearerMatches(auth, expected)) throw new NotAuthenticated('the callback bearer token is wrong');
    const body = parseJsonBody(NotifyReceipt, rawBody);
    const caseId = body.reference?.split(':')[0];
    const kase = caseId ? await getCase(caseId) : undefined;
    if (!kase?.notifications.some((n) => n.reference === body.reference)) {
      // A receipt that overtook the record of its send (the send's answer not yet stored): Notify tries again later.
      if (kase && body.reference && SENDS.test(body.reference.slice(kase.caseId.length)))
        throw new ChangedMeanwhile('this notification is not on record yet; send the receipt again');
      // A receipt for a notification we do not know is acknowledged and ignored, so Notify does not retry it forever.
      return json(200, { recorded: false });
    }
    // A failure counted when first known: a repeated receipt finds it already recorded.
    let failedNow = false;
    const updated = await mutateCase(
      kase.caseId,
      (k) => {
        const known = k.notifications.find((n) => n.reference === body.reference)?.status;
        failedNow = isFailure(body.status) && !(known !== undefined && isFailure(known));
        return recordReceipt(k, { reference: body.reference!, status: body.status }, now).kase;
      },
      now,
    );
    if (failedNow) count('notificationFailed');
    await audit(
      kase.caseId,
      'notify',
      `notification.${body.status}`,
      { reference: body.reference!, notifyId: body.id },
      undefined,
      now,
      true, // Notify sends a receipt again when our answer did not reach it: one entry for one status.
    );
    // Once, and asserted again by a repeated receipt: a crash between the record and its entry loses nothing. The
    // disclosure's delivery reopened, or a closure's not-traced message failed.
    const reopened = [
      ['disclosure.delivery_reopened', updated.disclosure?.receiptFailure],
      ['closure.notice_failed', updated.closure?.receiptFailure],
    ] as const;
    for (const [action, failure] of reopened)
      if (failure && failure.reference === body.reference)
        await audit(
          kase.caseId,
          'notify',
          action,
          { reference: failure.reference, status: failure.status },
          undefined,
          now,
          true,
        );
    return json(200, { recorded: true });
  },
  // Read as text here; parsed against NotifyReceipt only once the bearer is known good.
  { parseBody: (text) => text },
);
