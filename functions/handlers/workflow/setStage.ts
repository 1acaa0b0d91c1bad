import { SetStageEvent } from '../../schemas/workflow.js';
import { mustLoadCase, mutateCase, releaseCrimeReference } from '../../adapters/cases.js';
import { workflowHandler } from '../../http/workflow.js';
import { audit } from '../shared.js';

/** The stages the workflow reaches without a person: after disclosure, closed, rejected. */
export const handler = workflowHandler('setStage', SetStageEvent, async ({ caseId, stage }, now) => {
  const { kase } = await mustLoadCase(caseId);
  const next = kase.stage === stage ? kase : await mutateCase(caseId, (k) => ({ ...k, stage }), now);
  // Asserted on every run: a step cut short after its write completes its entry when it runs again.
  await audit(caseId, 'workflow', `case.${stage.toLowerCase()}`, {}, undefined, now, true);
  if (stage === 'CLOSED' || stage === 'REJECTED') await releaseCrimeReference(next);
  return { stage };
});
