import { SPO_DECISIONS } from '../schemas/afterIdentification.js';
import { ARREST_OUTCOMES } from '../schemas/vocabulary.js';
import { FAILURE_STATUSES } from './delivery.js';
import type { ParkOutcome } from './faults.js';
import { GATES } from './gates.js';
import { STAGES } from './stages.js';
import { TASK_NAMES, TRACK_TASKS, type TrackTask } from './tasks.js';

/**
 * Every action the product writes to a trail: `audit` and `auditData` (services/) take only these, so a new action
 * fails the type check until it is named here, and the timeline's test (test/unit/timeline.test.ts) holds a sentence
 * for each (domain/timeline.ts). Handlers import the type only: the list itself travels in no bundle.
 */
const FIXED = [
  'access.refused',
  'arrest.tasking_raised',
  'arrest.track_ended',
  'case.closure_decided',
  'case.opened',
  'case.owner_transferred',
  'closure.notice_failed',
  'closure.proposed',
  'closure.recorded',
  'closure.victim_not_told',
  'closure.victim_told',
  'closure.victim_told_in_person',
  'disclosure.delay_ended',
  'disclosure.delay_review_due',
  'disclosure.delayed',
  'disclosure.delivery_reopened',
  'disclosure.delivery_started',
  'disclosure.handed_over',
  'identification.proposed',
  'letter.downloaded',
  'letter.made',
  'message.held',
  'prison_contact.block_requested',
  'prison_contact.confirmed',
  'referral.made',
  'request.document.downloaded',
  'request.returned',
  'request.returned_after_authorisation_expiry',
  'requests.blocked.authorisation_expired',
  'requests.isp.chosen',
  'requests.isp.created',
  'requests.platform.created',
  'requests.reauthorisation_refused',
  'spo.notification_missed',
  'spo.subject_notified',
  'spo.subject_notified_late',
  'victim.contact.changed',
  'victim_update.not_sent',
  'victim_update.recorded',
  'workflow.continued',
  'workflow.fault.retried',
] as const;

export const GATE_EVENTS = ['opened', 'waiting', 'approved', 'rejected', 'escalated', 'overdue', 'withdrawn'] as const;
const TASK_EVENTS = ['opened', 'overdue'] as const;
const REQUEST_EVENTS = ['chased', 'abandoned', 'preservation_renewal_due'] as const;
const FAULT_EVENTS = ['opened', 'escalated', 'overdue'] as const satisfies readonly ParkOutcome[];
const CONTACT_CHANNELS = ['sms', 'letter'] as const;
/** What Notify reports of a message (GOV.UK Notify API, "Status - text and letter"): a receipt names one. */
const NOTIFY_STATUSES = ['created', 'sending', 'pending', 'sent', 'delivered', 'accepted', 'received'] as const;

/** Each `prefix` + value, typed as the strings it makes. */
const each = <P extends string, V extends string>(prefix: P, values: readonly V[]) =>
  values.map((v) => `${prefix}${v}` as `${P}${V}`);
/** Each `prefix` + subject + `.` + event. */
const every = <P extends string, S extends string, E extends string>(
  prefix: P,
  subjects: readonly S[],
  events: readonly E[],
) => subjects.flatMap<`${P}${S}.${E}`>((s) => events.map((e) => `${prefix}${s}.${e}` as const));

/** The whole list, worked out from the vocabularies it is made of. */
export const auditActions = () => [
  ...FIXED,
  ...every('gate.', GATES, GATE_EVENTS),
  ...every('task.', [...TASK_NAMES, ...(Object.keys(TRACK_TASKS) as TrackTask[])], TASK_EVENTS),
  ...each(
    'case.',
    STAGES.map((s) => s.toLowerCase() as Lowercase<typeof s>),
  ),
  ...each('request.', REQUEST_EVENTS),
  ...each('arrest.', ARREST_OUTCOMES),
  ...each('spo.', SPO_DECISIONS),
  ...each('victim.choice.', ['wants_to_know', 'declines'] as const),
  ...each('disclosure.proposed.', ['disclose', 'delay'] as const),
  ...every('contact.', ['verified', 'unsafe'] as const, CONTACT_CHANNELS),
  ...every('notification.', ['sent', 'refused'] as const, CONTACT_CHANNELS),
  ...each('notification.', [...NOTIFY_STATUSES, ...FAILURE_STATUSES]),
  ...each('workflow.fault.', FAULT_EVENTS),
];

/**
 * An action a trail entry may name. A receipt's status is Notify's own word, which Notify may add to: any
 * `notification.<status>` is one.
 */
export type AuditAction = ReturnType<typeof auditActions>[number] | `notification.${string}`;
