import { describe, expect, test } from 'vitest';
import { caseOpenTasks } from '../../functions/domain/caseSummary.js';
import { deliveryFailedTask, disclosureDelivered, recordReceipt } from '../../functions/domain/delivery.js';
import type { CaseRecord, NotificationRecord, TaskRecord } from '../../functions/domain/records.js';
import { aCaseRecord, CASE_NOW } from '../support/caseRecord.js';

const NOW = CASE_NOW;
const later = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000).toISOString();
const sent = (channel: 'sms' | 'letter', version = 1, status = 'created'): NotificationRecord => ({
  reference: `case-000007:disclosure-${channel}:v${version}`,
  purpose: 'disclosure',
  channel,
  notifyId: `notify-${channel}-${version}`,
  status,
  at: NOW,
});

/** A disclosure posted by letter with the SMS asking the victim to call. */
const posted = (notifications: NotificationRecord[] = [sent('letter'), sent('sms')]): CaseRecord =>
  aCaseRecord({
    victim: {
      name: 'Jane Doe',
      enhancedRights: false,
      contact: { preferredChannel: 'letter', phone: '+447700900002' },
    },
    notifications: [
      ...notifications,
      { ...sent('sms'), reference: 'case-000007:victim_update:0', purpose: 'victim_update' },
    ],
    disclosure: { version: 1, approvedAt: NOW, channel: 'letter', sentAt: NOW },
  });
const receipt = (kase: CaseRecord, reference: string, status: string, at = NOW) =>
  recordReceipt(kase, { reference, status }, at);
const tasksOf = (kase: CaseRecord, tasks: TaskRecord[] = []) =>
  caseOpenTasks({ kase, tasks, approvals: [] }, NOW).map((t) => t.task);

describe('delivery confirmed by Notify’s receipts', () => {
  test('accepted by Notify is not delivered; the letter received and the SMS delivered is', () => {
    let kase = posted();
    expect(disclosureDelivered(kase)).toBe(false);
    kase = receipt(kase, 'case-000007:disclosure-letter:v1', 'received').kase;
    expect(disclosureDelivered(kase)).toBe(false); // the SMS is still to be confirmed
    kase = receipt(kase, 'case-000007:disclosure-sms:v1', 'delivered').kase;
    expect(disclosureDelivered(kase)).toBe(true);
    expect(tasksOf(kase)).toEqual([]);
  });

  for (const status of ['permanent-failure', 'temporary-failure', 'technical-failure', 'validation-failed'])
    test(`a ${status} receipt for the SMS reopens delivery until a handover`, () => {
      const { kase, reopened } = receipt(posted(), 'case-000007:disclosure-sms:v1', status, NOW);
      expect(reopened).toBe(true);
      expect(kase.disclosure?.receiptFailure).toEqual({
        reference: 'case-000007:disclosure-sms:v1',
        channel: 'sms',
        status,
        at: NOW,
      });
      expect(deliveryFailedTask(kase, NOW)).toEqual({
        task: 'DELIVERY_FAILED',
        dueAt: later(NOW, 3 * 86_400),
        overdue: false,
      });
      expect(deliveryFailedTask(kase, later(NOW, 3 * 86_400 + 1))?.overdue).toBe(true);
      expect(tasksOf(kase)).toEqual(['DELIVERY_FAILED']);
      // The letter received afterwards does not make it delivered; a handover does.
      const received = receipt(kase, 'case-000007:disclosure-letter:v1', 'received').kase;
      expect(disclosureDelivered(received)).toBe(false);
      const handedOver = { ...received, disclosure: { ...received.disclosure!, handedOverAt: NOW } };
      expect(disclosureDelivered(handedOver)).toBe(true);
      expect(tasksOf(handedOver)).toEqual([]);
    });

  test('a failed letter reopens delivery too; a repeated or late receipt changes nothing more', () => {
    const failed = receipt(posted(), 'case-000007:disclosure-letter:v1', 'permanent-failure');
    expect(failed.reopened).toBe(true);
    const again = receipt(failed.kase, 'case-000007:disclosure-letter:v1', 'permanent-failure', later(NOW, 60));
    expect(again.reopened).toBe(false);
    expect(again.kase.disclosure?.receiptFailure?.at).toBe(NOW);
    const late = receipt(failed.kase, 'case-000007:disclosure-letter:v1', 'received');
    expect(late.kase.notifications[0]?.status).toBe('permanent-failure');
  });

  test('what is not the current disclosure’s letter or SMS reopens nothing', () => {
    for (const reference of ['case-000007:victim_update:0', 'case-000007:disclosure-sms:v0', 'case-000007:not-ours']) {
      const kase = posted([sent('letter'), sent('sms'), sent('sms', 0)]);
      const r = receipt(kase, reference, 'permanent-failure');
      expect(r.reopened, reference).toBe(false);
      expect(tasksOf(r.kase), reference).toEqual([]);
    }
  });

  test('without a letter by post only the handover delivers; a workflow task already waiting is not shown twice', () => {
    const inPerson = posted([sent('sms', 1, 'delivered')]);
    expect(disclosureDelivered(inPerson)).toBe(false);
    const { kase } = receipt(posted(), 'case-000007:disclosure-sms:v1', 'permanent-failure');
    const waiting: TaskRecord = {
      caseId: 'case-000007',
      key: 'DELIVERY_FAILED',
      task: 'DELIVERY_FAILED',
      status: 'open',
      openedAt: NOW,
      dueAt: later(NOW, 3600),
      overdue: false,
    };
    expect(tasksOf(kase, [waiting])).toEqual(['DELIVERY_FAILED']);
  });
});

describe("a closure's message that the account could not be traced", () => {
  /** Closed without a suspect, the victim told by SMS (Notify accepted it). */
  const closedAndTold = (): CaseRecord =>
    aCaseRecord({
      stage: 'CLOSED',
      victim: { name: 'Jane Doe', enhancedRights: false, contact: { preferredChannel: 'sms', phone: '+447700900002' } },
      notifications: [{ ...sent('sms'), reference: 'case-000007:not-traced-sms', purpose: 'not_traced' }],
      closure: {
        reason: 'no_suspect_identified',
        decidedBy: { sub: 'local-sgt.carol', name: 'Carol' },
        decidedAt: NOW,
        victimTold: { how: 'sms', at: NOW },
      },
    });

  test('a failure receipt asks for the victim to be told in person, on the closed case, until they are', () => {
    const { kase, reopened } = receipt(closedAndTold(), 'case-000007:not-traced-sms', 'permanent-failure');
    expect(reopened).toBe(true);
    expect(kase.closure?.receiptFailure).toEqual({
      reference: 'case-000007:not-traced-sms',
      channel: 'sms',
      status: 'permanent-failure',
      at: NOW,
    });
    expect(tasksOf(kase)).toEqual(['CLOSURE_IN_PERSON']);
    // The disclosure's task is not opened: there was no disclosure.
    expect(deliveryFailedTask(kase, NOW)).toBeUndefined();
    // A repeated or later receipt changes nothing; told in person, nothing is left open.
    expect(receipt(kase, 'case-000007:not-traced-sms', 'delivered').kase.closure).toEqual(kase.closure);
    const told = { ...kase, closure: { ...kase.closure!, victimTold: { how: 'in_person' as const, at: NOW } } };
    expect(tasksOf(told)).toEqual([]);
  });

  test('a delivered receipt opens nothing', () => {
    const { kase, reopened } = receipt(closedAndTold(), 'case-000007:not-traced-sms', 'delivered');
    expect(reopened).toBe(false);
    expect(kase.closure?.receiptFailure).toBeUndefined();
    expect(tasksOf(kase)).toEqual([]);
  });
});
