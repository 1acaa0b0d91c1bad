import { PlanArrestTrackEvent } from '../../schemas/workflow.js';
import { workflowHandler } from '../../workflow/stepHandler.js';
import { turnArrestTrack } from '../../workflow/steps.js';

/** The arrest track's loop: what is on record moves it on, and the workflow learns what comes next. */
export const handler = workflowHandler('planArrestTrack', PlanArrestTrackEvent, (input, now) =>
  turnArrestTrack(input, now),
);
