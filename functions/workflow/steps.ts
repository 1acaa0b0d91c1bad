import {
  advanceTrack,
  blockPublished,
  trackWaitSeconds,
  unpublishedBlocks,
  updatesToSend,
  type TrackClock,
} from '../domain/arrestTrack.js';
import { arrestTaskingEvent, prisonContactBlockEvents } from '../domain/caseEvents.js';
import { contactReady } from '../domain/contact.js';
import type { Stage } from '../domain/stages.js';
import { mustLoadCase, mutateCase, releaseCrimeReference } from '../adapters/case.js';
import { publish } from '../adapters/events.js';
import { signal } from '../adapters/workflow.js';
import { audit } from '../services/audit.js';
import { releaseSatisfiedWaits } from '../services/humanSteps.js';
import { openTaskWait } from './taskWait.js';

/**
 * What the workflow's steps do, each a function of its own so that a state's function may run two steps
 * that always run together in one invocation (statemachines/disclosure.ts) without writing either twice.
 * Each may run more than once for one event (a retry, a restart): each writes once and asserts its trail
 * entry again.
 */

/**
 * The arrest tasking goes to force systems once per case. Published before it is recorded: a retry may
 * publish again, with the same eventId, which consumers use to drop the duplicate.
 */
export async function raiseArrestTasking(caseId: string, now: string): Promise<{ eventId: string }> {
  const { kase } = await mustLoadCase(caseId);
  if (kase.arrestTasking) {
    await audit(
      caseId,
      'workflow',
      'arrest.tasking_raised',
      { eventId: kase.arrestTasking.eventId },
      undefined,
      now,
      true,
    );
    return { eventId: kase.arrestTasking.eventId };
  }
  const detail = arrestTaskingEvent(kase, now);
  await publish('ArrestTasking', detail);
  await mutateCase(caseId, (k) => ({ ...k, arrestTasking: { raisedAt: now, eventId: detail.eventId } }), now);
  await audit(caseId, 'workflow', 'arrest.tasking_raised', { eventId: detail.eventId }, undefined, now, true);
  return { eventId: detail.eventId };
}

export type TrackPlan = {
  done: boolean;
  waitSeconds: number;
  victimUpdates: number;
};

/**
 * The arrest track moves on from what is on record: each new outcome opens what it calls for, a remand in
 * custody or a custodial sentence asks the prison service to block contact (recorded, then published: a retry publishes again
 * with the same eventId), and the workflow learns how long it may wait before something falls due, and
 * whether the track is done.
 */
export async function planArrestTrack(
  { caseId, daySeconds, arrestOutcomeSeconds }: { caseId: string; daySeconds: number; arrestOutcomeSeconds: number },
  now: string,
): Promise<TrackPlan> {
  const clock: TrackClock = { now, daySeconds, arrestOutcomeSeconds };
  let { kase } = await mustLoadCase(caseId);
  const probe = advanceTrack(kase, clock);
  if (!kase.arrestTrack || probe.opened.length || (probe.ended && !kase.arrestTrack.endedAt)) {
    let advanced = probe;
    const wasEnded = !!kase.arrestTrack?.endedAt;
    kase = await mutateCase(
      caseId,
      (k) => {
        advanced = advanceTrack(k, clock);
        return advanced.kase;
      },
      now,
    );
    for (const o of advanced.opened)
      await audit(
        caseId,
        'workflow',
        `task.${o.task}.opened`,
        { arrestIndex: String(o.arrestIndex), ...(o.done ? { done: 'true' } : {}) },
        undefined,
        now,
        true,
      );
    if (advanced.ended && !wasEnded) await audit(caseId, 'workflow', 'arrest.track_ended', {}, undefined, now, true);
  }
  for (const block of unpublishedBlocks(kase)) {
    for (const detail of prisonContactBlockEvents(kase, block)) await publish('PrisonContactBlock', detail);
    kase = await mutateCase(caseId, (k) => blockPublished(k, block.eventId, now), now);
    await audit(
      caseId,
      'workflow',
      'prison_contact.block_requested',
      { eventId: block.eventId, arrestIndex: String(block.arrestIndex) },
      undefined,
      now,
      true,
    );
  }
  return {
    done: !!kase.arrestTrack?.endedAt,
    waitSeconds: trackWaitSeconds(kase, clock),
    victimUpdates: updatesToSend(kase).length,
  };
}

/**
 * A turn of the arrest track's loop: planned as above; once the track has ended, a victim who declined to be
 * told has nothing more to wait for: the right-to-know branch's wait is released, so that the case can close.
 * (The track's first plan, in raiseArrestTasking, never ends a track the declined branch waits on: a fresh
 * execution's wait finds the end already on record.)
 */
export async function turnArrestTrack(
  input: { caseId: string; daySeconds: number; arrestOutcomeSeconds: number },
  now: string,
): Promise<TrackPlan> {
  const plan = await planArrestTrack(input, now);
  // What the declined branch's wait is answered: domain/victimChoice.ts choiceAnswers.
  if (plan.done) await releaseSatisfiedWaits(input.caseId, ['VICTIM_CHOICE'], now);
  return plan;
}

/**
 * The arrest track's plan and its wait, in one invocation: the state waits with `taskToken` for `timeoutSeconds`,
 * chosen before the plan was made (the time the last wait had left, or the track's longest wait). When the plan is
 * to wait at least that long, the wait opens here (it then ends no later than whatever falls due first); any other
 * plan (done, an update to send or held for a safe time, something due sooner) goes back at once for the track's
 * loop to act on. A wait that would end past the execution's handover point goes back as `handOver`: the track goes
 * on in a fresh execution (a Standard one lives at most a year).
 */
export async function waitOnTrack<P extends TrackPlan & { heldUntil?: string }>(
  input: TrackWaitInput,
  plan: P,
  now: string,
): Promise<Record<string, unknown>> {
  const { caseId, taskToken, timeoutSeconds } = input;
  const answer = async (out: Record<string, unknown>) => {
    await signal(taskToken, out);
    return out;
  };
  if (plan.done || plan.victimUpdates > 0 || plan.heldUntil) return answer({ ...plan });
  if (outlivesExecution(input, plan.waitSeconds, now)) return answer({ ...plan, handOver: true });
  if (plan.waitSeconds < timeoutSeconds) return answer({ ...plan });
  return openTaskWait({ caseId, task: 'ARREST_TRACK', taskToken, timeoutSeconds }, now);
}

export interface TrackWaitInput {
  caseId: string;
  taskToken: string;
  timeoutSeconds: number;
  executionStartTime: string;
  handoverSeconds: number;
}

/**
 * A wait of `waitSeconds` from now would end past the execution's handover point. An execution younger than the
 * wait never hands over (a fresh one always has that long), so that a short handover point cannot chain fresh
 * executions one after another.
 */
function outlivesExecution(
  { executionStartTime, handoverSeconds }: TrackWaitInput,
  waitSeconds: number,
  now: string,
): boolean {
  const age = (Date.parse(now) - Date.parse(executionStartTime)) / 1000;
  return age >= waitSeconds && age + waitSeconds > handoverSeconds;
}

/**
 * Disclosure approved: delivery starts, and nothing goes out until the victim's contact details are verified
 * safe. A step delivered again once the case has moved past delivery leaves its stage where it is.
 */
export async function startDelivery(caseId: string, now: string): Promise<{ verified: boolean; stage: Stage }> {
  const { kase } = await mustLoadCase(caseId);
  let stage = kase.stage;
  if (!PAST_DELIVERY.includes(stage) && (stage !== 'DISCLOSURE_DELIVERY' || !kase.disclosure)) {
    stage = 'DISCLOSURE_DELIVERY';
    await mutateCase(
      caseId,
      (k) => ({
        ...k,
        stage: 'DISCLOSURE_DELIVERY',
        disclosure: k.disclosure ?? { version: 1, approvedAt: now, channel: k.victim.contact.preferredChannel },
      }),
      now,
    );
  }
  await audit(caseId, 'workflow', 'disclosure.delivery_started', {}, undefined, now, true);
  return { verified: contactReady(kase, now), stage };
}
const PAST_DELIVERY: readonly Stage[] = ['AFTER_DISCLOSURE', 'CLOSED', 'REJECTED'];

/** The stages the workflow reaches without a person: after disclosure, disclosure declined, closed, rejected. */
export async function enterStage(
  caseId: string,
  stage: 'AFTER_DISCLOSURE' | 'DISCLOSURE_DECLINED' | 'CLOSED' | 'REJECTED',
  now: string,
): Promise<{ stage: typeof stage }> {
  const { kase } = await mustLoadCase(caseId);
  const next = kase.stage === stage ? kase : await mutateCase(caseId, (k) => ({ ...k, stage }), now);
  // Asserted on every run: a step cut short after its write completes its entry when it runs again.
  await audit(caseId, 'workflow', `case.${stage.toLowerCase() as Lowercase<typeof stage>}`, {}, undefined, now, true);
  if (stage === 'CLOSED' || stage === 'REJECTED') await releaseCrimeReference(next);
  return { stage };
}
