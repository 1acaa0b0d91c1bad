import type { CaseRecord, NotificationRecord } from '../domain/records.js';
import { mutateCase } from '../adapters/cases.js';
import type { Notifier } from '../adapters/notify.js';
import { audit } from './shared.js';

/**
 * Send one notification at most once: a reference already on the case is not
 * sent again (a retried step, a resumed execution). The send is recorded
 * right after it succeeds.
 */
export async function sendOnce(
  kase: CaseRecord,
  n: { reference: string; purpose: string; channel: 'sms' | 'letter' },
  send: () => Promise<{ id: string }>,
  now: string,
): Promise<'sent' | 'already_sent'> {
  if (kase.notifications.some((x) => x.reference === n.reference)) return 'already_sent';
  const { id } = await send();
  const record: NotificationRecord = { ...n, notifyId: id, status: 'created', at: now };
  await mutateCase(kase.caseId, (k) => (k.notifications.some((x) => x.reference === n.reference) ? k : { ...k, notifications: [...k.notifications, record] }), now);
  await audit(kase.caseId, 'workflow', `notification.sent.${n.channel}`, { reference: n.reference, notifyId: id }, undefined, now);
  return 'sent';
}

export type { Notifier };
