import { sha256 } from '../../domain/audit.js';
import { contactChannels } from '../../domain/cases.js';
import { forceProfile } from '../../domain/forces.js';
import { letterContent, smsBody } from '../../domain/messages.js';
import { CaseEvent } from '../../schemas/workflow.js';
import { getDocument, putDocument } from '../../adapters/documents.js';
import { mustLoadCase, mutateCase } from '../../adapters/cases.js';
import { renderLetterPdf } from '../../adapters/letterPdf.js';
import { notifyFromEnvironment } from '../../adapters/notify.js';
import { workflowHandler } from '../../http/workflow.js';
import { sendOnce } from '../notifications.js';
import { audit } from '../shared.js';

/**
 * The disclosure itself: the letter made and stored (its SHA-256 in the audit
 * trail), posted through Notify when post is the channel, and an SMS asking
 * the victim to call the officer. Each is sent at most once per disclosure version.
 */
export const handler = workflowHandler('sendDisclosure', CaseEvent, async ({ caseId }, now) => {
  let { kase } = await mustLoadCase(caseId);
  const disclosure = kase.disclosure;
  if (!disclosure) throw new Error('no approved disclosure to send');
  const force = forceProfile(kase.force);
  const officer = { name: kase.createdBy.name, phone: force.phone, force: force.name };
  const key = `letters/${caseId}/v${disclosure.version}.pdf`;
  let pdf = disclosure.letterKey ? await getDocument(disclosure.letterKey) : undefined;
  if (!pdf) {
    pdf = await renderLetterPdf(letterContent(kase, officer, disclosure.approvedAt));
    const digest = sha256(pdf);
    await putDocument(key, pdf, 'application/pdf', digest);
    kase = await mutateCase(caseId, (k) => ({ ...k, disclosure: { ...k.disclosure!, letterKey: key, letterSha256: digest } }), now);
    await audit(caseId, 'workflow', 'letter.made', { letterSha256: digest, version: String(disclosure.version) }, undefined, now);
  }
  const channels = contactChannels(kase);
  const notifier = notifyFromEnvironment();
  const v = disclosure.version;
  if (channels.letter && kase.contactVerified.letter) {
    const reference = `${caseId}:disclosure-letter:v${v}`;
    await sendOnce(kase, { reference, purpose: 'disclosure', channel: 'letter' }, () => notifier.sendLetter({ reference, pdf: pdf! }), now);
    kase = (await mustLoadCase(caseId)).kase;
  }
  const phone = kase.victim.contact.phone;
  if (phone && kase.contactVerified.sms) {
    const reference = `${caseId}:disclosure-sms:v${v}`;
    const body = smsBody('disclosure', kase.crimeReference, officer);
    await sendOnce(kase, { reference, purpose: 'disclosure', channel: 'sms' }, () => notifier.sendSms({ to: phone, body, reference }), now);
  }
  if (!kase.disclosure?.sentAt) await mutateCase(caseId, (k) => ({ ...k, disclosure: { ...k.disclosure!, sentAt: now } }), now);
  return { handover: channels.handover };
});
