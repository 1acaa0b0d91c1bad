import { RaiseArrestTaskingEvent } from '../../schemas/workflow.js';
import { workflowHandler } from '../../workflow/stepHandler.js';
import { planArrestTrack, raiseArrestTasking, waitOnTrack } from '../../workflow/steps.js';

/**
 * The arrest track starts: the arrest tasking goes to force systems (once per case), the track is planned
 * for the first time, and, when the plan is to wait on the first outcome for as long as this state waits,
 * the track's wait opens with this state's token: the three always run together, in one invocation. Any
 * other plan (a case resumed with its track under way) goes back at once for the track's loop to act on.
 */
export const handler = workflowHandler('raiseArrestTasking', RaiseArrestTaskingEvent, async (input, now) => {
  await raiseArrestTasking(input.caseId, now);
  return waitOnTrack(input, await planArrestTrack(input, now), now);
});
