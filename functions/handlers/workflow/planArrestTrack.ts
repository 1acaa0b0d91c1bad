import { PlanArrestTrackEvent } from '../../schemas/workflow.js';
import { workflowHandler } from '../../workflow/stepHandler.js';
import { turnArrestTrack, waitOnTrack } from '../../workflow/steps.js';

/**
 * The arrest track's loop: what is on record moves it on, and the workflow learns what comes next; when that is
 * to wait as long as this state waits, the wait opens with its token, in the same invocation.
 */
export const handler = workflowHandler('planArrestTrack', PlanArrestTrackEvent, async (input, now) =>
  waitOnTrack(input, await turnArrestTrack(input, now), now),
);
