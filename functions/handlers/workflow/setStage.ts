import { SetStageEvent } from '../../schemas/workflow.js';
import { workflowHandler } from '../../workflow/stepHandler.js';
import { enterStage } from '../../workflow/steps.js';

/** The stages the workflow reaches without a person: after disclosure, disclosure declined, closed, rejected. */
export const handler = workflowHandler('setStage', SetStageEvent, ({ caseId, stage }, now) =>
  enterStage(caseId, stage, now),
);
