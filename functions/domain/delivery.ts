import type { NotifyReceipt } from '../schemas/api.js';
import { addSeconds, isOverdue } from './clock.js';
import { policy } from './policy.js';
import type { CaseRecord, NotificationRecord } from './records.js';

/**
 * Delivery confirmed (docs/api.md, "Lists are pages"): Notify accepting a send is not the
 * victim told. A failure receipt for the disclosure letter or SMS reopens
 * delivery (`DELIVERY_FAILED`, for the investigator to deliver another way),
 * and one for a closure's not-traced message asks for it in person (`CLOSURE_IN_PERSON`);
 * the disclosure counts as delivered only on a `received` letter or
 * `delivered` SMS receipt (and no failure), or a recorded handover.
 */

/** Notify's failure statuses (GOV.UK Notify API, "Status - text and letter"). */
export const FAILURE_STATUSES = [
  'permanent-failure',
  'temporary-failure',
  'technical-failure',
  'validation-failed',
] as const;
/** Notify's final success: an SMS delivered to the handset, a letter received by the printer's post. */
const DELIVERED: Record<NotificationRecord['channel'], string> = { sms: 'delivered', letter: 'received' };

export const isFailure = (status: string) => (FAILURE_STATUSES as readonly string[]).includes(status);

/** The current disclosure's notifications: the letter and the SMS of its version. */
const disclosureNotifications = (kase: CaseRecord) =>
  kase.disclosure
    ? kase.notifications.filter(
        (n) => n.purpose === 'disclosure' && n.reference.endsWith(`:v${kase.disclosure!.version}`),
      )
    : [];

/** A receipt for a notification on record: its status kept, and a failure of the disclosure's remembered. */
export function recordReceipt(
  kase: CaseRecord,
  receipt: Pick<NotifyReceipt, 'reference' | 'status'>,
  now: string,
): { kase: CaseRecord; reopened: boolean } {
  const next = structuredClone(kase);
  const n = next.notifications.find((x) => x.reference === receipt.reference);
  if (!n) return { kase: next, reopened: false };
  // A late or repeated receipt never undoes a failure already known (Notify's failures are final).
  if (isFailure(n.status) && !isFailure(receipt.status)) return { kase: next, reopened: false };
  n.status = receipt.status;
  const d = next.disclosure;
  const reopened =
    !!d &&
    isFailure(receipt.status) &&
    !d.handedOverAt &&
    !d.receiptFailure &&
    disclosureNotifications(next).some((x) => x.reference === n.reference);
  if (reopened) d.receiptFailure = { reference: n.reference, channel: n.channel, status: receipt.status, at: now };
  // The closure's message that the account could not be traced, failed: the victim is still to be told.
  const c = next.closure;
  const closureReopened =
    !!c &&
    n.purpose === 'not_traced' &&
    isFailure(receipt.status) &&
    !c.receiptFailure &&
    c.victimTold?.how !== 'in_person';
  if (closureReopened)
    c.receiptFailure = { reference: n.reference, channel: n.channel, status: receipt.status, at: now };
  return { kase: next, reopened: reopened || closureReopened };
}

/** Delivery reopened by a failure receipt and not yet made good by a handover: shown as `DELIVERY_FAILED`. */
export function deliveryFailedTask(kase: CaseRecord, now: string) {
  const f = kase.disclosure?.receiptFailure;
  if (!f || kase.disclosure?.handedOverAt || kase.stage === 'CLOSED') return undefined;
  const dueAt = addSeconds(f.at, policy.handoverSeconds);
  return { task: 'DELIVERY_FAILED', dueAt, overdue: isOverdue(dueAt, now) };
}

/**
 * A closure's message that the account could not be traced failed and the victim has not been told in person
 * since: `CLOSURE_IN_PERSON` for the owner, as when no safe written channel was left (completed the same way, by
 * recording the handover). Shown on the closed case until then.
 */
export function closureNoticeFailedTask(kase: CaseRecord, now: string) {
  const c = kase.closure;
  if (!c?.receiptFailure || c.victimTold?.how === 'in_person') return undefined;
  const dueAt = addSeconds(c.receiptFailure.at, policy.handoverSeconds);
  return { task: 'CLOSURE_IN_PERSON', dueAt, overdue: isOverdue(dueAt, now) };
}

/**
 * Whether the victim has the disclosure: handed over, or the letter posted
 * and received with every disclosure message confirmed (`received`,
 * `delivered`) and none failed. The SMS never carries the identity (it asks
 * the victim to call): without a letter by post only the handover delivers.
 */
export function disclosureDelivered(kase: CaseRecord): boolean {
  const d = kase.disclosure;
  if (!d) return false;
  if (d.handedOverAt) return true;
  if (d.receiptFailure) return false;
  const sent = disclosureNotifications(kase);
  return sent.some((n) => n.channel === 'letter') && sent.every((n) => n.status === DELIVERED[n.channel]);
}
