import { choiceAnswers, victimDeclined } from '../../domain/victimChoice.js';
import { PlanArrestTrackEvent } from '../../schemas/workflow.js';
import { mustLoadCase } from '../../adapters/cases.js';
import { workflowHandler } from '../../http/workflow.js';
import { completeStep } from '../shared.js';
import { planArrestTrack } from '../workflowSteps.js';

/**
 * The arrest track's loop: what is on record moves it on, and the workflow learns what comes next. Once the track
 * has ended, a victim who declined to be told has nothing more to wait for: the right-to-know branch's wait is
 * released, so that the case can close. (The track's first plan, in raiseArrestTasking, never ends a track the
 * declined branch waits on: a fresh execution's wait finds the end already on record.)
 */
export const handler = workflowHandler('planArrestTrack', PlanArrestTrackEvent, async (input, now) => {
  const plan = await planArrestTrack(input, now);
  if (plan.done) {
    const { kase } = await mustLoadCase(input.caseId);
    const answer = victimDeclined(kase) ? choiceAnswers(kase, 'VICTIM_CHOICE') : undefined;
    if (answer) await completeStep(input.caseId, 'VICTIM_CHOICE', answer, now);
  }
  return plan;
});
