import type { AuditEntry } from './audit.js';
import { STAGES } from './stages.js';

/**
 * A case's trail as a person reads it: each entry a sentence. The trail holds
 * ids and actions, never personal data, and so does each sentence: people are
 * named by their user id.
 */
const words = (s: string) => s.replace(/[_.]+/g, ' ').toLowerCase();

const actorOf = (actor: string) =>
  actor === 'workflow' ? 'The workflow' : actor === 'notify' ? 'GOV.UK Notify' : actor;

/** A message's channel as a person says it. */
const channel = (c: string | undefined) => (c === 'sms' ? 'SMS' : (c ?? 'letter'));

const STAGE_ACTIONS = new Set(STAGES.map((s) => `case.${s.toLowerCase()}`));

/** Whole actions with their own sentence; `{actor}` is who did it. */
const SENTENCES: Record<string, string> = {
  'case.opened': '{actor} opened the case.',
  'case.viewed': '{actor} viewed the case.',
  'case.closure_decided': '{actor} decided to close the case.',
  'case.owner_transferred': '{actor} handed the case to {to}.',
  'closure.proposed': '{actor} proposed closing the case without a suspect.',
  'closure.recorded': 'The case was closed without a suspect.',
  'closure.victim_told_in_person':
    '{actor} recorded telling the victim in person that the account could not be traced.',
  'closure.notice_failed':
    'The message that the account could not be traced failed: the victim is to be told in person.',
  'disclosure.delivery_reopened': 'The disclosure could not be delivered: delivery is open again for the case owner.',
  'victim.contact.changed': "{actor} changed the victim's contact details.",
  'victim_update.recorded': '{actor} recorded telling the victim of an update.',
  'prison_contact.block_requested': 'The prison was asked to block contact with the victim.',
  'requests.platform.created': 'Preservation and disclosure requests were made to the platforms.',
  'requests.isp.created': 'Requests were made to the ISPs.',
  'requests.isp.chosen': '{actor} chose the ISP look-ups to make.',
  'requests.blocked.authorisation_expired': 'No request was sent: the authorisation has expired.',
  'requests.reauthorisation_refused': '{actor} refused to renew the authorisation for requests.',
  'identification.proposed': '{actor} proposed a suspect.',
  'disclosure.delayed': 'The disclosure was delayed.',
  'disclosure.delay_ended': '{actor} ended the delay early with a proposal to disclose.',
  'disclosure.delay_review_due': 'The delay reached its review date: the decision is due again.',
  'disclosure.delivery_started': 'Delivery of the disclosure began.',
  'victim.choice.declines': '{actor} recorded that the victim declines to be told.',
  'victim.choice.wants_to_know': '{actor} recorded that the victim wants to be told.',
  'disclosure.handed_over': '{actor} handed the disclosure letter over in person.',
  'message.held': "A message to the victim waits for the victim's next safe time.",
  'letter.downloaded': '{actor} downloaded the disclosure letter.',
  'request.returned': '{actor} uploaded what a platform or ISP returned.',
  'request.abandoned': 'A request was given up on.',
  'request.document.downloaded': '{actor} downloaded a request document.',
  'request.preservation_renewal_due': 'A preservation request is due for renewal.',
  'arrest.tasking_raised': 'An arrest tasking was raised.',
  'arrest.track_ended': 'The arrest track ended.',
  'referral.made': '{actor} referred the victim to a support service.',
  'prison_contact.confirmed': '{actor} recorded that the prison blocked contact with the victim.',
  'victim_update.not_sent': 'An update to the victim could not be sent by SMS.',
  'workflow.continued': 'The workflow carried on in a fresh execution.',
  'workflow.fault.opened': 'A workflow step failed and waits for a supervisor.',
  'workflow.fault.retried': '{actor} ran a failed workflow step again.',
  'access.refused': '{actor} was refused access.',
};

export function timelineText(entry: Pick<AuditEntry, 'actor' | 'action' | 'ids'>): string {
  const actor = actorOf(entry.actor);
  const { action, ids } = entry;
  const fixed = SENTENCES[action];
  if (fixed) return fixed.replace('{actor}', actor).replace('{to}', ids.to ?? 'another officer');
  const by = channel(ids.channel);
  switch (action) {
    case 'letter.made':
      return `The ${ids.purpose === 'not_traced' ? 'letter saying the account could not be traced' : 'disclosure letter'} was made.`;
    case 'closure.victim_told':
      return `The victim was told by ${by} that the account could not be traced.`;
    case 'closure.victim_not_told':
      return 'The victim was not told of the closure: they declined to be told.';
  }
  if (STAGE_ACTIONS.has(action)) return `The case moved to ${words(action.slice('case.'.length))}.`;
  const [head, subject, what] = action.split('.');
  if (head === 'gate' && subject && what) {
    const gate = `${words(subject)} approval`;
    switch (what) {
      case 'opened':
        return ids.requiredRank
          ? `The ${gate} was opened for a ${words(ids.requiredRank)} or above.`
          : `The ${gate} was opened.`;
      case 'waiting':
        return `The ${gate} is waiting for a decision.`;
      case 'approved':
      case 'rejected':
        return `${actor} ${what} the ${gate}.`;
      case 'escalated':
        return `The ${gate} passed its due time and went a rank up${ids.fromRank ? ` from ${words(ids.fromRank)}` : ''}.`;
      case 'overdue':
        return `The ${gate} is overdue.`;
      case 'withdrawn':
        return `The ${gate} was withdrawn.`;
    }
  }
  if (head === 'contact' && what)
    return `${actor} recorded the victim's ${what === 'sms' ? 'phone number' : 'address'} as ${subject === 'verified' ? 'safe to use' : 'unsafe'}.`;
  if (action === 'disclosure.proposed.disclose') return `${actor} proposed to disclose.`;
  if (action === 'disclosure.proposed.delay') return `${actor} proposed to delay the disclosure.`;
  if (action === 'workflow.fault.escalated') return 'A failed workflow step passed its due time and went a rank up.';
  if (action === 'workflow.fault.overdue') return 'A failed workflow step is overdue for a supervisor.';
  if (head === 'notification' && what)
    return subject === 'sent'
      ? `The ${channel(what)} went to GOV.UK Notify.`
      : `GOV.UK Notify refused the ${channel(what)}.`;
  if (head === 'task' && subject && what === 'opened') return `A task opened: ${words(subject)}.`;
  if (head === 'task' && subject && what === 'overdue') return `The task ${words(subject)} is overdue.`;
  if (head === 'arrest' && subject) return `${actor} recorded an arrest-track outcome: ${words(subject)}.`;
  if (head === 'notification' && subject)
    return `GOV.UK Notify reported a message's status: ${words(subject).replace('-', ' ')}.`;
  if (head === 'request' && subject) return `A request was ${words(subject)}.`;
  if (head === 'spo' && subject) return `${actor} recorded a stalking protection order step: ${words(subject)}.`;
  return `${actor}: ${words(action)}.`;
}

/** A timeline entry: when, who, what, and the sentence. */
export const timelineEntry = (e: Pick<AuditEntry, 'seq' | 'at' | 'actor' | 'action' | 'ids'>) => ({
  seq: e.seq,
  at: e.at,
  actor: e.actor,
  action: e.action,
  text: timelineText(e),
});
