import { isOverdue, secondsToFirstDue, WAIT_DUE, WAIT_RESUMED } from '../domain/clock.js';
import {
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StopExecutionCommand,
  stepFunctions,
} from './clients/sfn.js';
import { env } from './env.js';

/**
 * Tell the workflow a human step is done. A token that has timed out or
 * belongs to a finished execution is not an error here: the decision is
 * already stored, and the next wait on that step picks it up from the store.
 */
export async function signal(
  taskToken: string | undefined,
  output: Record<string, unknown>,
): Promise<'sent' | 'stale' | 'no_token'> {
  if (!taskToken) return 'no_token';
  try {
    await stepFunctions().send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
    return 'sent';
  } catch (e) {
    if (isStale(e)) return 'stale';
    throw e;
  }
}

/** A token whose wait has ended (timed out, or its execution finished). */
const isStale = (e: unknown) =>
  ['TaskTimedOut', 'InvalidToken', 'TaskDoesNotExist'].includes(String((e as Error).name));

/** End a resumed wait whose first due time has passed: its catch takes the case on as at its timeout. */
export const waitDue = (taskToken: string) => endWait(taskToken, WAIT_DUE, 'due before the wait was resumed');

/** End a resumed wait whose first due time is ahead: the workflow waits again for `seconds`, until that due time. */
export const waitUntilFirstDue = (taskToken: string, seconds: number) =>
  endWait(taskToken, WAIT_RESUMED, String(seconds));

async function endWait(taskToken: string, error: string, cause: string): Promise<'sent' | 'stale'> {
  try {
    await stepFunctions().send(new SendTaskFailureCommand({ taskToken, error, cause }));
    return 'sent';
  } catch (e) {
    if (isStale(e)) return 'stale';
    throw e;
  }
}

/**
 * A wait opened again by a fresh execution keeps its first due time, which the engine's timeout (a whole period from
 * now) would miss: past it, the wait ends now, as at its timeout; still ahead, the workflow waits again until then.
 */
export async function endResumedWait(
  taskToken: string,
  dueAt: string,
  fresh: string,
  now: string,
  untilFirstDue: true | undefined,
): Promise<void> {
  if (isOverdue(dueAt, now)) await waitDue(taskToken);
  else if (!untilFirstDue) {
    const seconds = secondsToFirstDue(dueAt, fresh, now);
    if (seconds) await waitUntilFirstDue(taskToken, seconds);
  }
}

export async function startCaseExecution(
  caseId: string,
  name: string,
  resumeAt?: string,
  stateMachineArn = env('STATE_MACHINE_ARN'),
): Promise<string> {
  const out = await stepFunctions().send(
    new StartExecutionCommand({
      stateMachineArn,
      name,
      input: JSON.stringify(resumeAt ? { caseId, resumeAt } : { caseId }),
    }),
  );
  return out.executionArn;
}

/**
 * Hand a case over to a fresh execution that resumes at its stage, then stop
 * this one. The new name is fixed by the caller, so a retried hand-over finds
 * its execution already started and does not start a second.
 */
export async function continueInFreshExecution(
  caseId: string,
  name: string,
  resumeAt: string,
  currentExecutionArn: string,
): Promise<void> {
  // arn:aws:states:<region>:<account>:execution:<state machine>:<execution> names its state machine.
  const parts = currentExecutionArn.split(':');
  const stateMachineArn = [...parts.slice(0, 5), 'stateMachine', parts[6]].join(':');
  try {
    await startCaseExecution(caseId, name, resumeAt, stateMachineArn);
  } catch (e) {
    if ((e as { name?: string }).name !== 'ExecutionAlreadyExists') throw e;
  }
  await stepFunctions().send(
    new StopExecutionCommand({ executionArn: currentExecutionArn, cause: `continued in ${name}` }),
  );
}
