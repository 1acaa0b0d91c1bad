import { RequestOverdueEvent } from '../../schemas/workflow.js';
import { mustLoadCase } from '../../adapters/case.js';
import { updateRequest } from '../../adapters/request.js';
import { markTaskOverdue } from '../../adapters/task.js';
import { workflowHandler } from '../../workflow/stepHandler.js';
import { audit } from '../../services/audit.js';
import { releaseSatisfiedWaits } from '../../services/humanSteps.js';
import { giveUpRequest } from '../../services/requests.js';

/**
 * The timers of a request: a return that does not come is chased, then given
 * up, so the case never waits forever; a preservation nearing its 90 days is
 * flagged for the SPoC to renew.
 */
export const handler = workflowHandler(
  'requestOverdue',
  RequestOverdueEvent,
  async ({ caseId, requestId, event }, now) => {
    const { requests } = await mustLoadCase(caseId);
    const request = requests.find((r) => r.requestId === requestId);
    if (event === 'preservation_renewal_due') {
      if (!request) return { changed: false };
      const changed = !request.flags?.includes('renewal_due');
      if (changed) await updateRequest(request, request.status, { flags: [...(request.flags ?? []), 'renewal_due'] });
      await audit(caseId, 'workflow', 'request.preservation_renewal_due', { requestId }, undefined, now, true);
      return { changed };
    }
    if (request && event === 'abandoned' && request.status === 'abandoned') {
      // Abandoned by an earlier run of this step, which may have stopped before the rest: each part again, each once
      // (services/requests.ts giveUpRequest; a wait released is no longer open).
      await giveUpRequest(caseId, request, now);
      await releaseSatisfiedWaits(caseId, ['IDENTIFICATION_READY'], now);
      return { changed: false };
    }
    if (request?.status !== 'awaiting_return') return { changed: false };
    if (event === 'chased') {
      await updateRequest(request, 'awaiting_return', { chasedAt: now });
      await markTaskOverdue(caseId, `REQUEST_RETURN#${requestId}`);
      await audit(caseId, 'workflow', 'request.chased', { requestId }, undefined, now, true);
      return { changed: true };
    }
    if (!(await giveUpRequest(caseId, request, now))) return { changed: false };
    // The last request given up may open identification.
    await releaseSatisfiedWaits(caseId, ['IDENTIFICATION_READY'], now);
    return { changed: true };
  },
);
