import { createHash } from 'node:crypto';
import { ContinueExecutionEvent } from '../../schemas/workflow.js';
import { mustLoadCase } from '../../adapters/case.js';
import { continueInFreshExecution } from '../../adapters/workflow.js';
import { workflowHandler } from '../../workflow/stepHandler.js';
import { audit } from '../../services/audit.js';

/**
 * A case whose delay or arrest track outlives its execution continues, from its stage, in a fresh one. The fresh
 * execution is named after the one it continues: a retry, or the two branches handing over from one execution,
 * start it once (ExecutionAlreadyExists).
 */
export const handler = workflowHandler(
  'continueExecution',
  ContinueExecutionEvent,
  async ({ caseId, resumeAt, executionId }, now) => {
    const { kase } = await mustLoadCase(caseId);
    const stage = resumeAt ?? kase.stage;
    const name = `${caseId}-${createHash('sha256').update(executionId).digest('hex').slice(0, 12)}`;
    await audit(caseId, 'workflow', 'workflow.continued', { execution: name, resumeAt: stage }, undefined, now, true);
    await continueInFreshExecution(caseId, name, stage, executionId);
    return { execution: name };
  },
);
