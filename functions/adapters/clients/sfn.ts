import { Command, jsonClient } from './awsJson.js';

export { errorName } from './awsJson.js';

/**
 * Step Functions, as the product calls it: four operations of its JSON 1.0
 * protocol, each one signed POST (functions/adapters/clients/signedRequest.ts)
 * rather than the SDK's client, which every handler that starts the workflow
 * or ends a wait would carry (about 22 kB). The commands keep the SDK's names
 * and fields, and a refusal its name (`TaskTimedOut`, `InvalidToken`,
 * `TaskDoesNotExist`, `ExecutionAlreadyExists`...), so functions/adapters/workflow.ts
 * reads as it would with the SDK.
 */
export class StartExecutionCommand extends Command<
  { stateMachineArn: string; name?: string; input?: string },
  { executionArn: string; startDate: number }
> {
  constructor(input: StartExecutionCommand['input']) {
    super('StartExecution', input);
  }
}

export class StopExecutionCommand extends Command<
  { executionArn: string; error?: string; cause?: string },
  { stopDate: number }
> {
  constructor(input: StopExecutionCommand['input']) {
    super('StopExecution', input);
  }
}

export class SendTaskSuccessCommand extends Command<{ taskToken: string; output: string }, Record<string, never>> {
  constructor(input: SendTaskSuccessCommand['input']) {
    super('SendTaskSuccess', input);
  }
}

export class SendTaskFailureCommand extends Command<
  { taskToken: string; error?: string; cause?: string },
  Record<string, never>
> {
  constructor(input: SendTaskFailureCommand['input']) {
    super('SendTaskFailure', input);
  }
}

const client = jsonClient({
  signingName: 'states',
  envId: 'SFN',
  traceName: 'SFN',
  host: (region) => `states.${region}.amazonaws.com`,
  version: '1.0',
  targetPrefix: 'AWSStepFunctions',
});
export const stepFunctions = () => client;
