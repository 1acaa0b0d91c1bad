import { timingSafeEqual } from 'node:crypto';
import { DomainError } from '../../domain/errors.js';
import { env } from '../../adapters/env.js';
import { getCase, mutateCase } from '../../adapters/cases.js';
import { secret } from '../../adapters/secrets.js';
import { apiHandler, json, parseJsonBody } from '../../http/api.js';
import { NotifyReceipt } from '../../schemas/api.js';
import { audit } from '../shared.js';

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
  'notifyCallback',
  async ({ rawBody, event, now }) => {
    const expected = await secret(env('NOTIFY_CALLBACK_SECRET_ID'));
    const auth = event.headers?.authorization ?? event.headers?.Authorization;
    if (!bearerMatches(auth, expected)) throw new DomainError('NotAuthenticated', 'the callback bearer token is wrong');
    const body = parseJsonBody(NotifyReceipt, rawBody);
    const caseId = body.reference?.split(':')[0];
    const kase = caseId ? await getCase(caseId) : undefined;
    // A receipt for a notification we do not know is acknowledged and ignored, so Notify does not retry it forever.
    if (!kase?.notifications.some((n) => n.reference === body.reference)) return json(200, { recorded: false });
    await mutateCase(
      kase.caseId,
      (k) => {
        for (const n of k.notifications) if (n.reference === body.reference) n.status = body.status;
        return k;
      },
      now,
    );
    await audit(
      kase.caseId,
      'notify',
      `notification.${body.status}`,
      { reference: body.reference!, notifyId: body.id },
      undefined,
      now,
    );
    return json(200, { recorded: true });
  },
  // Read as text here; parsed against NotifyReceipt only once the bearer is known good.
  { parseBody: (text) => text },
);
