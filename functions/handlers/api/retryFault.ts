import { enforce, mayRetryFault } from '../../domain/access.js';
import { person } from '../../domain/users.js';
import { AlreadyDecided, notFound } from '../../domain/errors.js';
import { EXECUTION_FAULT_STATE, faultView } from '../../domain/faults.js';
import { faultToken, markFaultRetried } from '../../adapters/fault.js';
import { signal, startCaseExecution } from '../../adapters/workflow.js';
import { apiHandler, json } from '../../http/api.js';
import { auditData } from '../../services/auditData.js';
import { visibleCase } from '../../services/caseAccess.js';
import * as inputs from '../../routeInputs.js';

/**
 * A supervisor runs a parked step again: one conditional write answers the
 * fault (a second answer is a 409), the trail records who and why, then the
 * workflow is released. If the wait is gone (a restart), the resumed workflow
 * runs the step itself.
 */
export const handler = apiHandler(inputs.retryFault, async ({ user, body, params, now }) => {
  const { kase, faults } = await visibleCase(params.caseId, user);
  const found = faults.find((f) => f.faultId === params.faultId);
  if (!found) throw notFound('no such fault on this case');
  enforce(mayRetryFault(user, { caseForce: kase.force, requiredRank: found.requiredRank }));
  // The same supervisor asking again (their first answer lost on the way back) finishes what it began; anyone else gets 409.
  const replay = found.status === 'retried' && found.retriedBy?.sub === user.sub;
  if (found.status !== 'open' && !replay) throw new AlreadyDecided('this fault was already answered');
  const { fault, taskToken } = replay
    ? { fault: found, taskToken: await faultToken(found) }
    : await markFaultRetried(found, { retriedBy: person(user), retriedAt: now, rationale: body.rationale });
  await auditData(
    kase.caseId,
    user,
    'workflow.fault.retried',
    { faultId: fault.faultId, state: fault.state },
    body,
    now,
    true,
  );
  if (fault.state === EXECUTION_FAULT_STATE) {
    // The execution itself failed: a fresh one takes the case on from its stage (named after the fault, so a retry starts one).
    await startCaseExecution(kase.caseId, `${kase.caseId}-f${fault.faultId.slice(0, 8)}`, kase.stage).catch(
      (e: { name?: string }) => {
        if (e.name !== 'ExecutionAlreadyExists') throw e;
      },
    );
  } else await signal(taskToken, { retry: true });
  return json(202, faultView(fault, now));
});
