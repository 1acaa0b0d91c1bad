import { updatesToSend, victimUpdateNotSent, victimUpdateSent } from '../../domain/arrestTrack.js';
import { type ChannelState, channelState } from '../../domain/contact.js';
import { checkedSmsBody, smsBody } from '../../domain/messages.js';
import { caseOfficer } from '../../domain/ownership.js';
import { NotifyVictimEvent } from '../../schemas/workflow.js';
import { mustLoadCase, mutateCase } from '../../adapters/cases.js';
import { notifyFromEnvironment } from '../../adapters/notify.js';
import { workflowHandler } from '../../workflow/stepHandler.js';
import { sendOnce } from '../../services/notifications.js';
import { audit } from '../../services/audit.js';
import { turnArrestTrack } from '../../workflow/steps.js';

/** Why an update could not go by SMS, for the trail and the investigator. */
const SMS_NOT_SENT: Record<ChannelState, string> = {
  absent: 'no_phone',
  unverified: 'phone_not_verified',
  unsafe: 'phone_unsafe',
  stale: 'phone_verification_stale',
  safe: 'none',
};

/**
 * Victims' Code: the victim is told of each arrest-track outcome by the update
 * SMS, only to a phone verified safe, each exactly once. An update that cannot
 * go by SMS stays owed for the investigator to give and record. Then the
 * track turns, as in planArrestTrack (the two always run together, in one invocation):
 * the workflow learns what comes next.
 */
export const handler = workflowHandler('notifyVictim', NotifyVictimEvent, async (input, now, context) => {
  const { caseId } = input;
  let { kase } = await mustLoadCase(caseId);
  const phone = kase.victim.contact.phone;
  const body = smsBody('victim_update', kase.crimeReference, caseOfficer(kase));
  const notifier = notifyFromEnvironment();
  let sent = 0;
  for (const { arrestIndex } of updatesToSend(kase)) {
    const reference = `${caseId}:victim_update:${arrestIndex}`;
    const sms = channelState(kase, 'sms', now);
    if (!phone || sms !== 'safe') {
      const reason = SMS_NOT_SENT[sms];
      kase = await mutateCase(caseId, (k) => victimUpdateNotSent(k, arrestIndex, reason), now);
      await audit(caseId, 'workflow', 'victim_update.not_sent', { reason, reference }, undefined, now, true);
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
  return { sent, ...(await turnArrestTrack(input, now)) };
});
