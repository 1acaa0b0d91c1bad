import { smsBody } from '../../domain/messages.js';
import { forceProfile } from '../../domain/forces.js';
import { NotifyVictimEvent } from '../../schemas/workflow.js';
import { mustLoadCase } from '../../adapters/cases.js';
import { notifyFromEnvironment } from '../../adapters/notify.js';
import { workflowHandler } from '../../http/workflow.js';
import { sendOnce } from '../notifications.js';
import { audit } from '../shared.js';

/** Victims' Code: each arrest-track outcome is told to the victim by SMS, only to a phone verified safe. */
export const handler = workflowHandler('notifyVictim', NotifyVictimEvent, async ({ caseId, arrestIndex }, now, context) => {
  const { kase } = await mustLoadCase(caseId);
  const phone = kase.victim.contact.phone;
  const reference = `${caseId}:victim_update:${arrestIndex}`;
  if (!phone || !kase.contactVerified.sms) {
    await audit(caseId, 'workflow', 'victim_update.not_sent', { reason: phone ? 'phone_not_verified' : 'no_phone', reference }, undefined, now);
    return { sent: false };
  }
  const force = forceProfile(kase.force);
  const body = smsBody('victim_update', kase.crimeReference, { name: kase.createdBy.name, phone: force.phone, force: force.name });
  const notifier = notifyFromEnvironment();
  const out = await sendOnce(kase, { reference, purpose: 'victim_update', channel: 'sms' }, notifier, () => notifier.sendSms({ to: phone, body, reference }), context, now);
  return { sent: out.result !== 'failed' };
});
