import { SetStageEvent } from '../../schemas/workflow.js';
import { mustLoadCase, mutateCase, releaseCrimeReference } from '../../adapters/cases.js';
import { workflowHandler } from '../../http/workflow.js';
import { audit } from '../shared.js';

/** The stages the workflow reaches without a person: after disclosure, closed, rejected. */
export const handler = workflowHandler('setStage', SetStageEvent, async ({ caseId, stage }, now) => {
  const { kase } = await mustLoadCase(caseId);
  if (kase.stage !== stage) {
    const next = await mutateCase(caseId, (k) => ({ ...k, stage }), now);
    await audit(caseId, 'workflow', `case.${stage.toLowerCase()}`, {}, undefined, now);
    if (stage === 'CLOSED' || stage === 'REJECTED') await releaseCrimeReference(next);
  }
  return { stage };
});
