import type { Context } from 'aws-lambda';
import { sha256 } from '../../domain/audit.js';
import { closureFromProposal, notTracedNotice, requestsClosureEnds } from '../../domain/closureProposal.js';
import { checkedSmsBody, notTracedLetterContent, smsBody } from '../../domain/messages.js';
import { caseOfficer } from '../../domain/ownership.js';
import type { CaseRecord, ClosureRecord } from '../../domain/records.js';
import { CaseEvent } from '../../schemas/workflow.js';
import { putDocument } from '../../adapters/documents.js';
import { mustLoadCase, mutateCase } from '../../adapters/case.js';
import { renderLetterPdf } from '../../adapters/letterOnUse.js';
import { notifyFromEnvironment } from '../../adapters/notify.js';
import { workflowHandler } from '../../workflow/stepHandler.js';
import { sendOnce } from '../../services/notifications.js';
import { audit } from '../../services/audit.js';
import { giveUpRequest } from '../../services/requests.js';
import { FlowInvariantBroken } from '../../domain/errors.js';

/**
 * A closure without a suspect approved at its gate (domain/closureProposal.ts): the closure is recorded, the
 * requests still outstanding are abandoned, and the victim is told that the account could not be traced,
 * unless they declined to be told: by letter or SMS only to contact details verified safe, and recently;
 * otherwise the workflow waits for a verification (`verify`) or for the investigator to tell them in person
 * (`in_person`). Each part writes once and asserts its trail entry again when the step runs again; each message
 * is sent at most once (handlers/notifications.ts sendOnce). Then the workflow closes the case.
 */
export const handler = workflowHandler('closeWithoutSuspect', CaseEvent, async ({ caseId }, now, context) => {
  const { kase, approvals, requests } = await mustLoadCase(caseId);
  const proposalId = kase.closureProposal?.proposalId;
  const approval = approvals.find((a) => a.gate === 'closure' && a.subjectId === proposalId && a.status === 'approved');
  if (!approval || !proposalId) throw new FlowInvariantBroken('a closure is carried out only on its approved proposal');
  if (!kase.closure)
    await mutateCase(caseId, (k) => (k.closure ? k : { ...k, closure: closureFromProposal(k, approval) }), now);
  await audit(caseId, 'workflow', 'closure.recorded', { proposalId }, undefined, now, true);
  // Given up here, or already (a run of this step that stopped part way): each part once. Their watches end with the
  // case (CaseClosed): the tasks are done, their waits are not released.
  for (const r of requestsClosureEnds(requests)) await giveUpRequest(caseId, r, now);
  return { notice: await tellVictim(caseId, now, context) };
});

type Told = NonNullable<ClosureRecord['victimTold']>;

async function recordTold(caseId: string, told: Told, now: string): Promise<void> {
  await mutateCase(
    caseId,
    (k) => (k.closure && !k.closure.victimTold ? { ...k, closure: { ...k.closure, victimTold: told } } : k),
    now,
  );
}

async function tellVictim(caseId: string, now: string, context: Context): Promise<'done' | 'verify' | 'in_person'> {
  const { kase } = await mustLoadCase(caseId);
  if (kase.closure?.victimTold) return 'done';
  const notice = notTracedNotice(kase, now);
  if (notice.kind === 'declined') {
    await recordTold(caseId, { how: 'not_told', because: 'declined' }, now);
    await audit(caseId, 'workflow', 'closure.victim_not_told', { because: 'declined' }, undefined, now, true);
    return 'done';
  }
  if (notice.kind === 'verify') return 'verify';
  if (notice.kind === 'in_person') return 'in_person';
  const out = await send(kase, notice.channel, now, context);
  if (out.result === 'failed') return 'in_person';
  await recordTold(caseId, { how: notice.channel, at: now }, now);
  await audit(caseId, 'workflow', 'closure.victim_told', { channel: notice.channel }, undefined, now, true);
  return 'done';
}

/** The one message: a letter by post, or an SMS naming no one and no offence (checked before it goes). */
async function send(kase: CaseRecord, channel: 'sms' | 'letter', now: string, context: Context) {
  const notifier = notifyFromEnvironment();
  const officer = caseOfficer(kase);
  const reference = `${kase.caseId}:not-traced-${channel}`;
  const n = { reference, purpose: 'not_traced', channel };
  if (channel === 'sms') {
    const phone = kase.victim.contact.phone!;
    const body = checkedSmsBody(smsBody('not_traced', kase.crimeReference, officer), kase);
    return sendOnce(kase, n, notifier, () => notifier.sendSms({ to: phone, body, reference }), context, now);
  }
  const pdf = await renderLetterPdf(notTracedLetterContent(kase, officer, kase.closure?.decidedAt ?? now));
  const digest = sha256(pdf);
  const key = `letters/${kase.caseId}/not-traced.pdf`;
  await putDocument(key, pdf, 'application/pdf', digest);
  await audit(
    kase.caseId,
    'workflow',
    'letter.made',
    { letterSha256: digest, purpose: 'not_traced' },
    undefined,
    now,
    `letter.made|${reference}`,
  );
  return sendOnce(kase, n, notifier, () => notifier.sendLetter({ reference, pdf }), context, now);
}
