import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import '../../schemas/english.js';
import { logger } from '#powertools';
import { policy } from '../../domain/policy.js';
import { isFinal } from '../../domain/stages.js';
import { EXECUTION_FAULT_STATE, parkFault } from '../../domain/faults.js';
import { mustLoadCase } from '../../adapters/case.js';
import { getFault, putFault } from '../../adapters/fault.js';
import { audit } from '../../services/audit.js';
import { newId } from '../../adapters/ids.js';
import { ChangedMeanwhile } from '../../domain/errors.js';

/**
 * The dead-letter path for what no Catch in the workflow can take: an
 * execution that failed (a States.Runtime error, a step whose fault wait
 * itself failed) or timed out. EventBridge delivers the execution's status
 * change (locally, the engine does); the case gets a fault at the state
 * `Execution`, which a supervisor sees in GET /faults and answers with a
 * retry, which starts a fresh execution at the case's stage. A delivery this
 * function cannot take lands in its own queue (SQS), with an alarm.
 */
const StatusChange = z.object({
  'detail-type': z.literal('Step Functions Execution Status Change'),
  detail: z.object({
    executionArn: z.string().check(z.maxLength(2048)),
    status: z.enum(['FAILED', 'TIMED_OUT', 'ABORTED']),
    input: z.nullish(z.string().check(z.maxLength(262_144))),
    error: z.nullish(z.string().check(z.maxLength(256))),
  }),
});
const ExecutionInput = z.object({ caseId: z.uuid() });

export const handler = middy<unknown, { faultId?: string; ignored?: string }, Error, Context>({
  timeoutEarlyInMillis: 0,
}).handler(async (event, context) => {
  logger.addContext(context);
  const { detail } = StatusChange.parse(event);
  const input = ExecutionInput.safeParse(JSON.parse(detail.input ?? '{}'));
  if (!input.success) {
    logger.warn('execution without a case failed', { status: detail.status });
    return { ignored: 'no case' };
  }
  const { caseId } = input.data;
  const now = new Date().toISOString();
  const { kase } = await mustLoadCase(caseId);
  // A case that has ended needs no execution; an execution stopped on purpose (a hand-over) is not a failure.
  if (isFinal(kase.stage) || detail.status === 'ABORTED') return { ignored: kase.stage };
  const error = detail.error || detail.status;
  for (let attempt = 0; attempt < 5; attempt++) {
    const seen = await getFault(caseId, EXECUTION_FAULT_STATE);
    // A fault still open from an earlier failed execution stands: the supervisor's answer to it covers this one too.
    if (seen?.status === 'open') return { faultId: seen.faultId };
    const { fault } = parkFault(
      seen,
      {
        caseId,
        force: kase.force,
        crimeReference: kase.crimeReference,
        stage: kase.stage,
        state: EXECUTION_FAULT_STATE,
        error,
      },
      now,
      policy.faultResponseSeconds,
      newId,
    );
    if (!(await putFault(fault, seen, undefined))) continue;
    await audit(
      caseId,
      'workflow',
      'workflow.fault.opened',
      { faultId: fault.faultId, state: EXECUTION_FAULT_STATE, error },
      undefined,
      now,
      true,
    );
    logger.error('execution failed; fault opened for a supervisor', {
      caseId,
      faultId: fault.faultId,
      status: detail.status,
    });
    return { faultId: fault.faultId };
  }
  throw new ChangedMeanwhile('executionFailed: the fault kept changing under us');
});
