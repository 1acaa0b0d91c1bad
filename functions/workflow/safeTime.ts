import { holdStands, sendOrHold } from '../domain/safeTimes.js';
import type { CaseRecord } from '../domain/records.js';
import { mutateCase } from '../adapters/case.js';
import { audit } from '../services/audit.js';

/**
 * A message to the victim is due now (`key` names it: one hold per message; `kase` as just read): it goes now, or it waits for the
 * victim's next safe window. The hold is recorded once and kept, so the workflow's wait (a Wait state on
 * `until`) has the same end after a restart or a retry; held again, when the safe times changed during the wait,
 * it is replaced. `daySeconds` is the workflow's day.
 */
export async function safeToSend(
  kase: Pick<CaseRecord, 'caseId' | 'victim' | 'safeTimeHolds'>,
  key: string,
  now: string,
  daySeconds: number,
): Promise<{ send: true } | { send: false; until: string }> {
  const { caseId } = kase;
  const decided = sendOrHold(kase.victim.contact.safeTimes, kase.safeTimeHolds?.[key], now, daySeconds);
  if (decided.send) return decided;
  // The first hold made stands (two runs of the step at once hold it once), unless the safe times changed since.
  const held = await mutateCase(
    caseId,
    (k) =>
      holdStands(k.safeTimeHolds?.[key], k.victim.contact.safeTimes)
        ? k
        : { ...k, safeTimeHolds: { ...k.safeTimeHolds, [key]: decided.hold } },
    now,
  );
  // The message is named, never the victim's times (the trail holds no personal data).
  await audit(caseId, 'workflow', 'message.held', { reference: key }, undefined, now, true);
  return { send: false, until: held.safeTimeHolds![key]!.until };
}
