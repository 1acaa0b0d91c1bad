import type { routes } from '../routes.js';
import type { Policy } from './policy.js';
import type { Stage } from './stages.js';

/**
 * The registry of human tasks: every fact about a task in one entry, from which the rest derive: the workflow's
 * waits and their due times (statemachines/disclosure.ts `awaitTask`, statemachines/bindings.ts), the stage a
 * task puts the case in and whose deadline survives a restart (functions/workflow/taskWait.ts), what a victim's
 * decline or a closure proposal ends (domain/victimChoice.ts, domain/closureProposal.ts), the routes whose record
 * releases a wait (TASK_ROUTES, functions/http/answering.ts), the console's words and forms (web/src/format.ts,
 * web/src/pages/CasePage.tsx). What satisfies each task is in
 * domain/taskAnswers.ts, keyed by the same names (server code: the console imports this module, which imports
 * types only). A task missing from either fails the type check; test/unit/task-registry.test.ts walks the
 * workflow source and this registry both ways.
 */

/** A route of functions/routes.ts, by name. */
export type RouteName = keyof typeof routes;

/**
 * Who does a task: a SPoC, an investigator, or `workflow`, the workflow waiting on a set of things people do
 * (the arrest track's outcomes, requests settling, a change of mind): never shown as a task itself, and its
 * wait starts afresh after a restart rather than keeping a person's deadline.
 */
export type TaskRole = 'spoc' | 'investigator' | 'workflow';

/**
 * The due times a task can run on, each a number of the policy module: the workflow reads each as
 * `$.settings.tasks.<name>`, bound at deployment to `${<Name>Seconds}` (statemachines/bindings.ts).
 */
export const TASK_CLOCKS = {
  identificationProposal: 'identificationProposalSeconds',
  disclosureDecision: 'disclosureDecisionSeconds',
  arrestOutcome: 'arrestOutcomeSeconds',
  contactVerification: 'contactVerificationSeconds',
  handover: 'handoverSeconds',
  caseClosure: 'caseClosureSeconds',
} as const satisfies Record<string, keyof Policy>;
export type TaskClock = keyof typeof TASK_CLOCKS;

/** When a task falls due: one of the policy's clocks, or a time the workflow works out itself (a path in its state). */
export type TaskDue = { clock: TaskClock } | { path: `$.${string}`; why: string };

/**
 * What the workflow and the handlers need of a task. The registry is four tables keyed by the same names, so
 * that a handler's bundle carries what it uses only: TASKS, TASK_ROUTES (the routes whose record ends a wait),
 * TASK_DUE (the workflow source's) and TASK_CONSOLE (the console's words); a name missing from any of them, or
 * one not in TASKS, fails the type check.
 */
export interface TaskSpec {
  /** The stage the case is put in while the task is open; none: the case stays where it is. */
  stage: Stage | null;
  role: TaskRole;
  /**
   * What ends this wait besides its own answer: the victim declining to be told (domain/victimChoice.ts, the
   * right-to-know branch before delivery), or a closure proposed before identification is approved
   * (domain/closureProposal.ts); none: only its answer.
   */
  endedBy: 'decline' | 'closure' | null;
}

/** The disclosure delivered in person (a handover, the victim's choice, or no safe written channel left). */
const DELIVERY = { stage: 'DISCLOSURE_DELIVERY', role: 'investigator', endedBy: 'decline' } as const;
/** Tasks that keep the case at its stage and end only with their answer, by who does them. */
const BY_INVESTIGATOR = { stage: null, role: 'investigator', endedBy: null } as const;
const BY_WORKFLOW = { stage: null, role: 'workflow', endedBy: null } as const;

/** The human tasks the workflow waits on: each is a `.waitForTaskToken` state of statemachines/disclosure.ts. */
export const TASKS = {
  REQUEST_RETURN: { stage: null, role: 'spoc', endedBy: null },
  IDENTIFICATION_PROPOSAL: { stage: 'IDENTIFICATION', role: 'investigator', endedBy: 'closure' },
  DISCLOSURE_PROPOSAL: { stage: 'DISCLOSURE_DECISION', role: 'investigator', endedBy: 'decline' },
  DELAY_REVIEW: { stage: 'DELAYED', role: 'investigator', endedBy: 'decline' },
  ARREST_TRACK: BY_WORKFLOW,
  // Identification opens on a proposal, or once every request has settled (domain/identification.ts identificationReady).
  IDENTIFICATION_READY: { stage: null, role: 'workflow', endedBy: 'closure' },
  // ISP look-ups the SPoC chose that nothing watches yet.
  ISP_REQUESTS_CHOSEN: BY_WORKFLOW,
  // Delivery enters its stage itself (functions/workflow/steps.ts startDelivery); a closure's notice waits on it at its own.
  CONTACT_VERIFICATION: { stage: null, role: 'investigator', endedBy: 'decline' },
  HANDOVER: DELIVERY,
  DELIVERY_FAILED: DELIVERY,
  // No safe written channel is left: the investigator tells the victim in person and records it.
  IN_PERSON_DISCLOSURE: DELIVERY,
  // The victim declined to be told: the right-to-know branch waits for a change of mind, or for the arrest track to end.
  VICTIM_CHOICE: { stage: 'DISCLOSURE_DECLINED', role: 'workflow', endedBy: null },
  CASE_CLOSURE: BY_INVESTIGATOR,
  // A closure without a suspect approved and no safe written channel left (or its message failed, domain/delivery.ts):
  // the investigator tells the victim in person.
  CLOSURE_IN_PERSON: BY_INVESTIGATOR,
} as const satisfies Record<string, TaskSpec>;
export type TaskName = keyof typeof TASKS;
export const TASK_NAMES = /* @__PURE__ */ Object.keys(TASKS) as TaskName[];

/** Whether a name is one of the workflow's tasks. */
export const isTaskName = (name: string): name is TaskName => Object.hasOwn(TASKS, name);

/** When each task falls due: the workflow source's waits read it (statemachines/disclosure.ts `awaitTask`). */
export const TASK_DUE = {
  REQUEST_RETURN: { path: '$.settings.returns.chase', why: 'chased when late, then given up (returnWatch)' },
  IDENTIFICATION_PROPOSAL: { clock: 'identificationProposal' },
  DISCLOSURE_PROPOSAL: { clock: 'disclosureDecision' },
  DELAY_REVIEW: {
    path: '$.delay.waitSeconds',
    why: 'the approved delay runs to its review date (scheduleDelayReview)',
  },
  ARREST_TRACK: {
    path: '$.track.waitSeconds',
    why: "the track's next follow-up, at most a week away (planArrestTrack)",
  },
  IDENTIFICATION_READY: { path: '$.settings.returns.chase', why: 'looked at again as often as a return is chased' },
  ISP_REQUESTS_CHOSEN: { path: '$.settings.returns.chase', why: 'looked at again as often as a return is chased' },
  CONTACT_VERIFICATION: { clock: 'contactVerification' },
  HANDOVER: { clock: 'handover' },
  DELIVERY_FAILED: { clock: 'handover' },
  IN_PERSON_DISCLOSURE: { clock: 'handover' },
  VICTIM_CHOICE: { clock: 'caseClosure' },
  CASE_CLOSURE: { clock: 'caseClosure' },
  CLOSURE_IN_PERSON: { clock: 'handover' },
} as const satisfies Record<TaskName, TaskDue>;

/**
 * The routes whose record may end each task's wait: naming a route here is the release of the wait. Every route
 * named is served by `answeringHandler` (functions/http/answering.ts), which after the route's record ends each
 * open wait of a task naming it that the record settles (services/humanSteps.ts releaseWaits; what the wait is
 * answered with: domain/taskAnswers.ts); `apiHandler` refuses such a route in the type check, so a route named
 * here cannot be left without its release, nor a route not named release by hand.
 * - `answeredBy`: the routes whose form answers the task; for a person's task, the case page offers each while
 *   it is open (web/src/pages/CasePage.tsx `offers`), and a route's access includes the task's role
 *   (test/unit/task-registry.test.ts).
 * - `settledBy`: routes whose record can settle the wait without being its form.
 * - A decline or a closure proposed (TaskSpec `endedBy`) ends its waits through its own route (ENDED_BY_ROUTE).
 * This table is the handlers'; the console's words are TASK_CONSOLE's, kept apart so no handler bundle carries them.
 */
export interface TaskRoutes {
  answeredBy: readonly RouteName[];
  settledBy?: readonly RouteName[];
}

/** The route of each thing that ends a wait besides its answer (TaskSpec `endedBy`). */
export const ENDED_BY_ROUTE = {
  decline: 'recordVictimChoice',
  closure: 'proposeClosure',
} as const satisfies Record<NonNullable<TaskSpec['endedBy']>, RouteName>;

export const TASK_ROUTES = {
  REQUEST_RETURN: { answeredBy: ['uploadReturn'] },
  IDENTIFICATION_PROPOSAL: { answeredBy: ['proposeIdentification'] },
  DISCLOSURE_PROPOSAL: { answeredBy: ['proposeDisclosure'] },
  DELAY_REVIEW: { answeredBy: ['proposeDisclosure'] },
  ARREST_TRACK: {
    answeredBy: [
      'recordArrest',
      'recordVictimUpdate',
      'recordProtectionOrder',
      'recordSpoNotification',
      'confirmPrisonContact',
    ],
  },
  IDENTIFICATION_READY: { answeredBy: ['uploadReturn', 'proposeIdentification'] },
  ISP_REQUESTS_CHOSEN: { answeredBy: ['chooseIspRequests'] },
  // Details taken away (a phone no longer on file) may leave nothing to verify: the delivery waiting goes on.
  CONTACT_VERIFICATION: { answeredBy: ['verifyContact'], settledBy: ['updateContact'] },
  HANDOVER: { answeredBy: ['recordHandover'] },
  DELIVERY_FAILED: { answeredBy: ['recordHandover'] },
  IN_PERSON_DISCLOSURE: { answeredBy: ['recordHandover'] },
  VICTIM_CHOICE: { answeredBy: ['recordVictimChoice'] },
  // A change of mind before a declined case closes takes it back to the decision (domain/victimChoice.ts choiceAnswers).
  CASE_CLOSURE: { answeredBy: ['closeCase'], settledBy: ['recordVictimChoice'] },
  CLOSURE_IN_PERSON: { answeredBy: ['recordHandover'] },
} as const satisfies Record<TaskName, TaskRoutes>;

type RoutesOf<E> = E extends { answeredBy: readonly (infer A)[] }
  ? A | (E extends { settledBy: readonly (infer S)[] } ? S : never)
  : never;
/** Every route whose record may end a wait: each is served by `answeringHandler`, and only these are. */
export type ReleasingRoute =
  | RoutesOf<(typeof TASK_ROUTES)[TaskName]>
  | (typeof ENDED_BY_ROUTE)[NonNullable<(typeof TASKS)[TaskName]['endedBy']>];

/** The routes whose record may end a task's wait. */
export function releasingRoutes(task: TaskName): readonly RouteName[] {
  const { answeredBy, settledBy = [] }: TaskRoutes = TASK_ROUTES[task];
  const endedBy = TASKS[task].endedBy;
  return [...answeredBy, ...settledBy, ...(endedBy ? [ENDED_BY_ROUTE[endedBy]] : [])];
}

/** The tasks whose waits a route's record may end. */
export const tasksReleasedBy = (route: RouteName): TaskName[] =>
  TASK_NAMES.filter((t) => releasingRoutes(t).includes(route));

/** How the console shows a task. */
export interface TaskConsole {
  label: string;
}

export const TASK_CONSOLE = {
  REQUEST_RETURN: { label: 'Upload a return' },
  IDENTIFICATION_PROPOSAL: { label: 'Propose the suspect' },
  DISCLOSURE_PROPOSAL: { label: 'Propose disclose or delay' },
  DELAY_REVIEW: { label: 'Delay review (propose disclosure to end the delay early)' },
  ARREST_TRACK: { label: 'The arrest track' },
  IDENTIFICATION_READY: { label: 'Every request settled' },
  ISP_REQUESTS_CHOSEN: { label: 'ISP look-ups chosen' },
  CONTACT_VERIFICATION: { label: "Verify the victim's contact details" },
  HANDOVER: { label: 'Record the handover' },
  DELIVERY_FAILED: { label: 'Delivery failed: hand the disclosure over' },
  IN_PERSON_DISCLOSURE: { label: 'No safe written channel: tell the victim in person' },
  VICTIM_CHOICE: { label: 'The victim declined to be told' },
  CASE_CLOSURE: { label: 'Close the case' },
  CLOSURE_IN_PERSON: {
    label: 'Tell the victim in person the account could not be traced (no safe written channel, or the message failed)',
  },
} as const satisfies Record<TaskName, TaskConsole>;

/**
 * The arrest track's tasks (domain/arrestTrack.ts): derived from the case record, not waited on by a state of
 * their own (the workflow's ARREST_TRACK wait looks at all of them, answered by every route they name), each
 * shown and answered like a person's task.
 */
export const TRACK_TASKS = {
  ARREST_OUTCOME: { label: 'Record the arrest outcome', answeredBy: ['recordArrest'] },
  VICTIM_UPDATE: { label: 'Update the victim', answeredBy: ['recordVictimUpdate'] },
  SPO_CONSIDERATION: { label: 'Consider a Stalking Protection Order', answeredBy: ['recordProtectionOrder'] },
  SPO_APPLICATION: { label: "Record the court's answer on the order", answeredBy: ['recordProtectionOrder'] },
  SPO_NOTIFICATION: { label: "Record the order subject's notification", answeredBy: ['recordSpoNotification'] },
  SPO_NOTIFICATION_MISSED: {
    label: 'Follow up the order subject who did not notify',
    answeredBy: ['recordSpoNotification'],
  },
  PRISON_CONTACT: { label: 'Confirm the prison contact block', answeredBy: ['confirmPrisonContact'] },
} as const satisfies Record<string, TaskConsole & TaskRoutes>;
export type TrackTask = keyof typeof TRACK_TASKS;

/** The routes that answer a task shown among a case's open tasks (a workflow task, or the arrest track's). */
export function answeringRoutes(task: string): readonly RouteName[] {
  if (isTaskName(task)) return TASKS[task].role === 'workflow' ? [] : TASK_ROUTES[task].answeredBy;
  return Object.hasOwn(TRACK_TASKS, task) ? TRACK_TASKS[task as TrackTask].answeredBy : [];
}
