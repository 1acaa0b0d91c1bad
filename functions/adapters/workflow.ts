import { SendTaskSuccessCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { stepFunctions } from './clients/sfn.js';
import { env } from './env.js';

/**
 * Tell the workflow a human step is done. A token that has timed out or
 * belongs to a finished execution is not an error here: the decision is
 * already stored, and the next wait on that step picks it up from the store.
 */
export async function signal(taskToken: string | undefined, output: Record<string, unknown>): Promise<'sent' | 'stale' | 'no_token'> {
  if (!taskToken) return 'no_token';
  try {
    await stepFunctions().send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
    return 'sent';
  } catch (e) {
    const name = (e as { name?: string }).name;
    if (name === 'TaskTimedOut' || name === 'InvalidToken' || name === 'TaskDoesNotExist') return 'stale';
    throw e;
  }
}

export async function startCaseExecution(caseId: string, name: string, resumeAt?: string): Promise<string> {
  const out = await stepFunctions().send(
    new StartExecutionCommand({
      stateMachineArn: env('STATE_MACHINE_ARN'),
      name,
      input: JSON.stringify(resumeAt ? { caseId, resumeAt } : { caseId }),
    }),
  );
  return out.executionArn!;
}
