import { AwsServiceError, endpoint, sendSigned } from './signedRequest.js';

/**
 * Step Functions, as the product calls it: four operations of its JSON 1.0
 * protocol, each one signed POST (functions/adapters/clients/signedRequest.ts)
 * rather than the SDK's client, which every handler that starts the workflow
 * or ends a wait would carry (about 22 kB). The commands keep the SDK's names
 * and fields, and a refusal its name (`TaskTimedOut`, `InvalidToken`,
 * `TaskDoesNotExist`, `ExecutionAlreadyExists`...), so functions/adapters/workflow.ts
 * reads as it would with the SDK.
 */
class Command<Input, Output> {
  declare readonly output: Output;
  constructor(
    readonly operation: string,
    readonly input: Input,
  ) {}
}

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

const CONTENT_TYPE = 'application/x-amz-json-1.0';

/** The error's name as the SDK gives it: `__type` (or the header) without its namespace or trailing detail. */
export function errorName(type: string): string {
  return type.split(':')[0]!.split('#').at(-1)!;
}

/** A JSON answer; anything else (a proxy's error page) as no fields. */
function parsed(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

async function send<I, O>(command: Command<I, O>): Promise<O> {
  const res = await sendSigned({
    service: 'states',
    traceAs: { service: 'SFN', operation: command.operation },
    url: endpoint('SFN', (region) => `states.${region}.amazonaws.com`),
    method: 'POST',
    headers: { 'content-type': CONTENT_TYPE, 'x-amz-target': `AWSStepFunctions.${command.operation}` },
    body: JSON.stringify(command.input),
  });
  const body = parsed(await res.text());
  if (res.ok) return body as O;
  const type = res.headers.get('x-amzn-errortype') ?? String(body.__type ?? body.code ?? `Http${res.status}`);
  throw new AwsServiceError(
    errorName(type),
    String(body.message ?? body.Message ?? `Step Functions ${command.operation} refused (HTTP ${res.status})`),
    res.status,
    res.headers.get('x-amzn-requestid') ?? undefined,
  );
}

const client = { send };
export const stepFunctions = () => client;
