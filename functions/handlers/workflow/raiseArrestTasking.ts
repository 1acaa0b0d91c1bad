import { RaiseArrestTaskingEvent } from '../../schemas/workflow.js';
import { signal } from '../../adapters/workflow.js';
import { workflowHandler } from '../../workflow/stepHandler.js';
import { openTaskWait } from '../../workflow/taskWait.js';
import { planArrestTrack, raiseArrestTasking } from '../../workflow/steps.js';

/**
 * The arrest track starts: the arrest tasking goes to force systems (once per case), the track is planned
 * for the first time, and, when the plan is to wait on the first outcome for as long as this state waits,
 * the track's wait opens with this state's token: the three always run together, in one invocation. Any
 * other plan (a case resumed with its track under way) goes back at once for the track's loop to act on.
 */
export const handler = workflowHandler('raiseArrestTasking', RaiseArrestTaskingEvent, async (input, now) => {
  const { caseId, taskToken, timeoutSeconds } = input;
  await raiseArrestTasking(caseId, now);
  const plan = await planArrestTrack(input, now);
  // Waiting longer than the plan would miss a due time; a shorter wait only plans again when it ends.
  if (plan.done || plan.victimUpdates > 0 || plan.waitSeconds < timeoutSeconds) {
    await signal(taskToken, { ...plan });
    return plan;
  }
  return openTaskWait({ caseId, task: 'ARREST_TRACK', taskToken, timeoutSeconds }, now);
});
