import type { Context } from 'aws-lambda';
import { sha256 } from '../../domain/audit.js';
import { deliveryPlan } from '../../domain/contact.js';
import { checkedSmsBody, letterContent, smsBody } from '../../domain/messages.js';
import { caseOfficer } from '../../domain/ownership.js';
import { isFinal } from '../../domain/stages.js';
import { victimDeclined } from '../../domain/victimChoice.js';
import { SendDisclosureEvent } from '../../schemas/workflow.js';
import { getDocument, putDocument } from '../../adapters/documents.js';
import { mustLoadCase, mutateCase } from '../../adapters/case.js';
import { renderLetterPdf } from '../../adapters/letterOnUse.js';
import { notifyFromEnvironment } from '../../adapters/notify.js';
import { workflowHandler } from '../../workflow/stepHandler.js';
import { sendOnce } from '../../services/notifications.js';
import { audit } from '../../services/audit.js';
import { enterStage, startDelivery } from '../../workflow/steps.js';
import { safeToSend } from '../../workflow/safeTime.js';
import { FlowInvariantBroken } from '../../domain/errors.js';

/**
 * Delivery, from the disclosure's approval: it starts (stage DISCLOSURE_DELIVERY), and goes no further
 * while the victim's contact details are not verified safe (`verified: false`: the workflow waits for
 * the investigator, then comes back here). Then the disclosure itself: the letter made and stored (its
 * SHA-256 in the audit trail), posted through Notify when post is the channel, and an SMS asking the
 * victim to call the officer, both in the victim's safe times (`heldUntil`: the workflow waits until the next
 * window, then comes back). Each is sent at most once per disclosure version. A permanent refusal by
 * Notify stops here and hands the case to the investigator; a transient one is thrown for the workflow to
 * retry. Sent, with no handover in person to wait for, the case is after disclosure.
 */
export const handler = workflowHandler('sendDisclosure', SendDisclosureEvent, async (input, now, context) => {
  const { caseId } = input;
  // The victim declined to be told (at the gate, or while contact was being verified): nothing goes to them.
  if (victimDeclined((await mustLoadCase(caseId)).kase))
    return { declined: true, verified: true, handover: false, inPerson: false, failed: false };
  const { verified, stage } = await startDelivery(caseId, now);
  if (!verified) return { declined: false, verified, handover: false, inPerson: false, failed: false };
  // Only in the victim's safe times: a letter or SMS due outside them waits for the next window (the workflow's Wait).
  const { kase } = await mustLoadCase(caseId);
  const plan = deliveryPlan(kase, now);
  if ((plan.byPost || plan.bySms) && !isFinal(stage) && !kase.disclosure?.sentAt) {
    const safe = await safeToSend(
      kase,
      `${caseId}:disclosure:v${kase.disclosure?.version ?? 1}`,
      now,
      input.daySeconds,
    );
    if (!safe.send)
      return { declined: false, verified, heldUntil: safe.until, handover: false, inPerson: false, failed: false };
  }
  const delivery = await send(caseId, now, context);
  // Not from a final stage: a step delivered again after the case closed leaves it closed.
  if (!delivery.failed && !delivery.handover && !delivery.inPerson && !isFinal(stage))
    await enterStage(caseId, 'AFTER_DISCLOSURE', now);
  return { declined: false, verified, ...delivery };
});

async function send(
  caseId: string,
  now: string,
  context: Context,
): Promise<{ handover: boolean; inPerson: boolean; failed: boolean }> {
  let { kase } = await mustLoadCase(caseId);
  const disclosure = kase.disclosure;
  if (!disclosure) throw new FlowInvariantBroken('no approved disclosure to send');
  // Judged once, as it is about to go: the phone and address on file now, each only if verified safe and recently.
  const plan = deliveryPlan(kase, now);
  const { byPost } = plan;
  // The owner, as the case stands when the letter is made (docs/api.md, the case owner).
  const officer = caseOfficer(kase);
  const v = disclosure.version;
  const key = `letters/${caseId}/v${v}.pdf`;
  let pdf = disclosure.letterKey ? await getDocument(disclosure.letterKey) : undefined;
  if (!pdf) {
    pdf = await renderLetterPdf(letterContent(kase, officer, disclosure.approvedAt, { byPost }));
    const digest = sha256(pdf);
    await putDocument(key, pdf, 'application/pdf', digest);
    kase = await mutateCase(
      caseId,
      (k) => ({ ...k, disclosure: { ...k.disclosure!, letterKey: key, letterSha256: digest } }),
      now,
    );
  }
  await audit(
    caseId,
    'workflow',
    'letter.made',
    { letterSha256: kase.disclosure!.letterSha256!, version: String(v) },
    undefined,
    now,
    true,
  );
  const notifier = notifyFromEnvironment();
  const failures: string[] = [];
  if (byPost) {
    const reference = `${caseId}:disclosure-letter:v${v}`;
    const out = await sendOnce(
      kase,
      { reference, purpose: 'disclosure', channel: 'letter' },
      notifier,
      () => notifier.sendLetter({ reference, pdf: pdf! }),
      context,
      now,
    );
    if (out.result === 'failed') failures.push(`letter: ${out.reason}`);
    kase = (await mustLoadCase(caseId)).kase;
  }
  const phone = kase.victim.contact.phone;
  if (phone && plan.bySms) {
    const reference = `${caseId}:disclosure-sms:v${v}`;
    // The last look before it goes: a body that breaks the SMS content rule is never sent (the step is parked).
    const body = checkedSmsBody(smsBody('disclosure', kase.crimeReference, officer), kase);
    const out = await sendOnce(
      kase,
      { reference, purpose: 'disclosure', channel: 'sms' },
      notifier,
      () => notifier.sendSms({ to: phone, body, reference }),
      context,
      now,
    );
    if (out.result === 'failed') failures.push(`sms: ${out.reason}`);
  }
  if (failures.length) {
    await mutateCase(
      caseId,
      (k) => ({ ...k, disclosure: { ...k.disclosure!, failedAt: now, failure: failures.join('; ') } }),
      now,
    );
    return { handover: false, inPerson: false, failed: true };
  }
  if (!kase.disclosure?.sentAt)
    await mutateCase(caseId, (k) => ({ ...k, disclosure: { ...k.disclosure!, sentAt: now } }), now);
  return { handover: plan.inPerson === 'HANDOVER', inPerson: plan.inPerson === 'IN_PERSON_DISCLOSURE', failed: false };
}
