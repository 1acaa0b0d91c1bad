import { AwsServiceError, endpoint, sendSigned } from './signedRequest.js';

/**
 * An AWS service of the JSON protocols (Step Functions on JSON 1.0, Cognito's
 * user pools on JSON 1.1), called as the SDK's client calls it: one signed
 * POST an operation (functions/adapters/clients/signedRequest.ts), the
 * operation named in `x-amz-target`, its input and output as JSON, and a
 * refusal as an error with the name the SDK gives it. A client here is a
 * few lines where the SDK's carries the service's every shape, endpoint rule
 * and error class (about 22 kB for Step Functions, 32 kB for Cognito).
 */
export class Command<Input, Output> {
  declare readonly output: Output;
  constructor(
    readonly operation: string,
    readonly input: Input,
  ) {}
}

export interface JsonService {
  /** The service's signing name (`states`, `cognito-idp`). */
  signingName: string;
  /** Its id as the SDK names it, in AWS_ENDPOINT_URL_<ID> and in a trace (`SFN`, `COGNITO_IDENTITY_PROVIDER`). */
  envId: string;
  /** Its name in a call's trace, as the SDK's client is traced (`SFN`, `CognitoIdentityProvider`). */
  traceName: string;
  /** Its host in a region. */
  host: (region: string) => string;
  /** The JSON protocol's version. */
  version: '1.0' | '1.1';
  /** What precedes the operation in `x-amz-target` (`AWSStepFunctions`). */
  targetPrefix: string;
}

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

/** A client of the service: `send(command)` as the SDK's client has it. */
export function jsonClient(service: JsonService) {
  async function send<I, O>(command: Command<I, O>): Promise<O> {
    const res = await sendSigned({
      service: service.signingName,
      traceAs: { service: service.traceName, operation: command.operation },
      url: endpoint(service.envId, service.host),
      method: 'POST',
      headers: {
        'content-type': `application/x-amz-json-${service.version}`,
        'x-amz-target': `${service.targetPrefix}.${command.operation}`,
      },
      body: JSON.stringify(command.input),
    });
    const body = parsed(await res.text());
    if (res.ok) return body as O;
    const type = res.headers.get('x-amzn-errortype') ?? String(body.__type ?? body.code ?? `Http${res.status}`);
    throw new AwsServiceError(
      errorName(type),
      String(body.message ?? body.Message ?? `${service.traceName} ${command.operation} refused (HTTP ${res.status})`),
      res.status,
      res.headers.get('x-amzn-requestid') ?? undefined,
    );
  }
  return { send };
}
