import { ContinueExecutionEvent } from '../../schemas/workflow.js';
import { mustLoadCase } from '../../adapters/cases.js';
import { continueInFreshExecution } from '../../adapters/workflow.js';
import { workflowHandler } from '../../workflow/stepHandler.js';
import { audit } from '../../services/audit.js';

/** A case whose delay outlives its execution continues, from the same stage, in a fresh one named after that delay. */
export const handler = workflowHandler(
  'continueExecution',
  ContinueExecutionEvent,
  async ({ caseId, resumeAt, executionId }, now) => {
    const { kase } = await mustLoadCase(caseId);
    const delay = kase.delays.at(-1);
    const name = `${caseId}-${delay ? delay.proposalId.slice(0, 8) : 'resume'}`;
    await audit(caseId, 'workflow', 'workflow.continued', { execution: name, resumeAt }, undefined, now, true);
    await continueInFreshExecution(caseId, name, resumeAt, executionId);
    return { execution: name };
  },
);
