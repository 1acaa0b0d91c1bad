import { addSeconds } from '../../domain/clock.js';
import { delayReviewSeconds, delayEndedBy } from '../../domain/disclosureProposal.js';
import { ScheduleDelayReviewEvent } from '../../schemas/workflow.js';
import { mustLoadCase, mutateCase } from '../../adapters/case.js';
import { workflowHandler } from '../../workflow/stepHandler.js';
import { audit } from '../../services/audit.js';
import { FlowInvariantBroken } from '../../domain/errors.js';

/**
 * An approved delay waits until its review date, then the decision comes round again; resumed, it keeps the same date.
 * A delay a proposal to disclose has already ended (a fresh execution resumed at DELAYED) waits no more: its
 * review wait finds the proposal on record and goes on at once.
 */
export const handler = workflowHandler(
  'scheduleDelayReview',
  ScheduleDelayReviewEvent,
  async ({ caseId, daySeconds, executionStartTime, handoverSeconds }, now) => {
    const { kase } = await mustLoadCase(caseId);
    const ended = delayEndedBy(kase) && kase.delays.at(-1);
    if (ended) return { reviewAt: ended.reviewAt, waitSeconds: 1, continueInFreshExecution: false };
    const p = kase.disclosureProposal;
    if (p?.action !== 'delay' || p.status !== 'approved' || !p.reviewInDays || !p.ground)
      throw new FlowInvariantBroken('no approved delay to schedule');
    let delay = kase.delays.find((d) => d.proposalId === p.proposalId);
    if (!delay) {
      delay = {
        proposalId: p.proposalId,
        ground: p.ground,
        reviewInDays: p.reviewInDays,
        approvedAt: now,
        reviewAt: addSeconds(now, delayReviewSeconds(p.reviewInDays, daySeconds)),
      };
      const made = delay;
      await mutateCase(caseId, (k) => ({ ...k, stage: 'DELAYED', delays: [...k.delays, made] }), now);
    } else if (kase.stage !== 'DELAYED') {
      await mutateCase(caseId, (k) => ({ ...k, stage: 'DELAYED' }), now);
    }
    await audit(
      caseId,
      'workflow',
      'disclosure.delayed',
      { proposalId: p.proposalId, ground: delay.ground, reviewAt: delay.reviewAt },
      undefined,
      now,
      true,
    );
    // Past the execution's handover point, the wait continues in a fresh execution (a Standard one lives at most a year).
    // An execution started after the delay was approved is itself the fresh one: it never hands over again for this delay.
    const continueInFreshExecution =
      Date.parse(executionStartTime) < Date.parse(delay.approvedAt) &&
      Date.parse(delay.reviewAt) > Date.parse(executionStartTime) + handoverSeconds * 1000;
    return {
      reviewAt: delay.reviewAt,
      // The review wait's timeout: a whole number of seconds, at least one (a token wait's timeout is positive).
      waitSeconds: Math.max(1, Math.ceil((Date.parse(delay.reviewAt) - Date.parse(now)) / 1000)),
      continueInFreshExecution,
    };
  },
);
