import { parkFault } from '../../domain/faults.js';
import { OpenFaultEvent } from '../../schemas/workflow.js';
import { mustLoadCase } from '../../adapters/case.js';
import { faultToken, getFault, putFault } from '../../adapters/fault.js';
import { signal } from '../../adapters/workflow.js';
import { workflowHandler } from '../../workflow/stepHandler.js';
import { audit } from '../../services/audit.js';
import { newId } from '../../adapters/ids.js';
import { ChangedMeanwhile } from '../../domain/errors.js';
import { count } from '../../adapters/figures.js';

/**
 * The workflow parks at a step that failed for good and waits for a
 * supervisor (GET /faults, POST .../faults/{faultId}/retry). Record, then
 * check: a retry answered between our read and our write is passed straight on.
 */
export const handler = workflowHandler(
  'openFault',
  OpenFaultEvent,
  async ({ caseId, state, error, taskToken, timeoutSeconds }, now) => {
    const { kase } = await mustLoadCase(caseId);
    for (let attempt = 0; attempt < 5; attempt++) {
      const seen = await getFault(caseId, state);
      const { fault, outcome } = parkFault(
        seen,
        { caseId, force: kase.force, crimeReference: kase.crimeReference, stage: kase.stage, state, error },
        now,
        timeoutSeconds,
        newId,
      );
      if (outcome === 'retry') {
        // A supervisor answered while this wait was timing out: the step runs again now.
        await signal(taskToken, { retry: true });
        return { faultId: fault.faultId, outcome };
      }
      if (!(await putFault(fault, seen, taskToken))) continue;
      const ids = { faultId: fault.faultId, state, error: fault.error };
      if (outcome === 'opened') {
        count('faultParked');
        await audit(caseId, 'workflow', 'workflow.fault.opened', ids, undefined, now, true);
      } else if (outcome !== 'waiting')
        await audit(
          caseId,
          'workflow',
          `workflow.fault.${outcome}`,
          { ...ids, requiredRank: fault.requiredRank, dueAt: fault.dueAt },
          undefined,
          now,
          true,
        );
      const after = await getFault(caseId, state);
      if (after?.faultId === fault.faultId && after.status === 'retried')
        await signal(await faultToken(after), { retry: true });
      return { faultId: fault.faultId, outcome };
    }
    throw new ChangedMeanwhile('openFault: the fault kept changing under us');
  },
);
