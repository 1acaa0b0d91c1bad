import { PlanArrestTrackEvent } from '../../schemas/workflow.js';
import { workflowHandler } from '../../http/workflow.js';
import { planArrestTrack, raiseArrestTasking } from '../workflowSteps.js';

/**
 * The arrest track starts: the arrest tasking goes to force systems (once per case), and the track is
 * planned for the first time, in one invocation, as the two always run together.
 */
export const handler = workflowHandler('raiseArrestTasking', PlanArrestTrackEvent, async (input, now) => {
  await raiseArrestTasking(input.caseId, now);
  return planArrestTrack(input, now);
});
