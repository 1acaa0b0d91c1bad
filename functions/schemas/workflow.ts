import * as z from 'zod/mini';
import { gate, id, stage, taskName } from './keys.js';

/** What the state machine hands each workflow function (the ASL's Parameters / Payload). */
const base = { caseId: id };
const seconds = z.number().check(z.int(), z.positive());
const waiting = {
  ...base,
  taskToken: z.string().check(z.minLength(1), z.maxLength(8192)),
  timeoutSeconds: seconds,
  /** The execution waiting (a wait resumed by another keeps its first due time). */
  execution: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
};
/** A person's wait, which a fresh execution may resume: its twin waits out the seconds left (statemachines/resumedWaits.ts). */
const resumable = { ...waiting, untilFirstDue: z.optional(z.literal(true)) };
/** What the arrest track's plan is timed by, and when its execution hands over to a fresh one. */
const trackClock = {
  daySeconds: seconds,
  arrestOutcomeSeconds: seconds,
  executionStartTime: z.string().check(z.maxLength(40)),
  handoverSeconds: seconds,
};

export const OpenApprovalEvent = z.object({ ...resumable, gate });
export const AwaitTaskEvent = z.object({ ...resumable, task: taskName, requestId: z.optional(id) });
export const EscalateEvent = z.union([z.object({ ...base, gate }), z.object({ ...base, task: taskName })]);
export const CaseEvent = z.object(base);
/** Delivery of the disclosure, timed by the workflow's day (a message held for the victim's safe times). */
export const SendDisclosureEvent = z.object({ ...base, daySeconds: seconds });
/** The platform requests under the recorded authorisation; `warningSeconds` times each preservation's renewal warning. */
export const PrepareRequestsEvent = z.object({ ...base, warningSeconds: z.number().check(z.int(), z.positive()) });
/** ISP look-ups for one platform return (`requestId`), or for every return on the case. */
export const PlanIspEvent = z.object({ ...base, requestId: z.optional(id) });
export const RequestOverdueEvent = z.object({
  ...base,
  requestId: id,
  event: z.enum(['chased', 'abandoned', 'preservation_renewal_due']),
});
/** Updates to the victim, then a turn of the arrest track that waits with this token as PlanArrestTrackEvent's. */
export const NotifyVictimEvent = z.object({ ...waiting, ...trackClock, purpose: z.literal('victim_update') });
/** A turn of the arrest track, which waits with this token when nothing falls due before its timeout. */
export const PlanArrestTrackEvent = z.object({ ...waiting, ...trackClock });
/** The arrest track starts, and waits on its first outcome with this token when its plan says to. */
export const RaiseArrestTaskingEvent = z.object({ ...waiting, ...trackClock });
export const ScheduleDelayReviewEvent = z.object({
  ...base,
  daySeconds: seconds,
  executionStartTime: z.string().check(z.maxLength(40)),
  handoverSeconds: seconds,
});
export const ContinueExecutionEvent = z.object({
  ...base,
  /** Absent: the case's stage on record. */
  resumeAt: z.optional(stage),
  executionId: z.string().check(z.minLength(1), z.maxLength(2048)),
});
export const SetStageEvent = z.object({
  ...base,
  stage: z.enum(['AFTER_DISCLOSURE', 'DISCLOSURE_DECLINED', 'CLOSED', 'REJECTED']),
});
/** A step failed for good: the state's name and the error's name (never its cause, which may carry data). */
export const OpenFaultEvent = z.object({
  ...waiting,
  state: z.string().check(z.regex(/^[A-Za-z]{1,80}$/)),
  error: z.string().check(z.minLength(1), z.maxLength(256)),
});
