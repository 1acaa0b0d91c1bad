import { updatesToSend, victimUpdateNotSent, victimUpdateSent } from '../../domain/arrestTrack.js';
import { updateSmsBarred } from '../../domain/contact.js';
import { checkedSmsBody, smsBody } from '../../domain/messages.js';
import { caseOfficer } from '../../domain/ownership.js';
import { NotifyVictimEvent } from '../../schemas/workflow.js';
import { mustLoadCase, mutateCase } from '../../adapters/case.js';
import { notifyFromEnvironment } from '../../adapters/notify.js';
import { workflowHandler } from '../../workflow/stepHandler.js';
import { sendOnce } from '../../services/notifications.js';
import { audit } from '../../services/audit.js';
import { turnArrestTrack, waitOnTrack } from '../../workflow/steps.js';
import { safeToSend } from '../../workflow/safeTime.js';

/**
 * Victims' Code: the victim is told of each arrest-track outcome by the update
 * SMS, only to a phone verified safe, unless they chose to be told in person,
 * each exactly once, and only in the victim's safe times: an update due outside
 * them is held (`heldUntil`: the workflow waits until then and comes back). An
 * update that cannot go by SMS stays owed for the investigator to give and record. Then the
 * track turns and waits, as in planArrestTrack (they always run together, in one invocation):
 * the workflow learns what comes next.
 */
export const handler = workflowHandler('notifyVictim', NotifyVictimEvent, async (input, now, context) => {
  const { caseId } = input;
  let { kase } = await mustLoadCase(caseId);
  const phone = kase.victim.contact.phone;
  const body = smsBody('victim_update', kase.crimeReference, caseOfficer(kase));
  const notifier = notifyFromEnvironment();
  let sent = 0;
  const held: string[] = [];
  for (const { arrestIndex } of updatesToSend(kase)) {
    const reference = `${caseId}:victim_update:${arrestIndex}`;
    const barred = updateSmsBarred(kase, now);
    if (!phone || barred) {
      const reason = barred ?? 'no_phone';
      kase = await mutateCase(caseId, (k) => victimUpdateNotSent(k, arrestIndex, reason), now);
      await audit(caseId, 'workflow', 'victim_update.not_sent', { reason, reference }, undefined, now, true);
      continue;
    }
    const safe = await safeToSend(kase, reference, now, input.daySeconds);
    if (!safe.send) {
      held.push(safe.until);
      continue;
    }
    // The last look before it goes: a body that breaks the SMS content rule is never sent (the step is parked).
    checkedSmsBody(body, kase);
    const out = await sendOnce(
      kase,
      { reference, purpose: 'victim_update', channel: 'sms' },
      notifier,
      () => notifier.sendSms({ to: phone, body, reference }),
      context,
      now,
    );
    kase = await mutateCase(
      caseId,
      (k) =>
        out.result === 'failed'
          ? victimUpdateNotSent(k, arrestIndex, 'notify_refused')
          : victimUpdateSent(k, arrestIndex, reference, now),
      now,
    );
    if (out.result !== 'failed') sent += 1;
  }
  const plan = await turnArrestTrack(input, now);
  // The earliest hold: the workflow waits until then, then comes back for what is due.
  return waitOnTrack(input, { sent, ...plan, ...(held.length ? { heldUntil: held.sort()[0] } : {}) }, now);
});
