import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';

export { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
export { MetricUnit } from '@aws-lambda-powertools/metrics';

/**
 * Powertools for AWS Lambda, built once, imported by every handler as
 * `#powertools` (served by the functions' layer, not bundled). Log lines,
 * metrics and trace annotations carry ids only: never a name, phone,
 * address, date of birth or task token.
 */
export const logger = new Logger({ serviceName: 'right-to-know' });

/**
 * The Powertools Tracer, when POWERTOOLS_TRACE_ENABLED is 'true' (the CDK
 * sets it from the `powertoolsTracer` context; off unless asked for): the
 * handler's segment through `tracing()`, each AWS SDK client's calls where
 * it is built (`traced`, functions/adapters/clients), each signed request's
 * as the same (`traceAwsCall`), an annotation by case id. Loaded only then: the Tracer and the X-Ray SDK cost about 68 ms of CPU
 * at every cold start (npm run bench), three quarters of what a bare
 * DynamoDB handler's whole import costs, which would take every handler
 * past 1.5 times the bare import. Lambda's active tracing records each
 * invocation either way. Outside Lambda (no AWS_EXECUTION_ENV: the local
 * stack, the tests) a Tracer loaded is disabled and does nothing.
 */
export const tracer: Tracer | undefined =
  process.env.POWERTOOLS_TRACE_ENABLED === 'true'
    ? new (await import('@aws-lambda-powertools/tracer')).Tracer({ serviceName: 'right-to-know' })
    : undefined;

/** The middleware that opens and closes the handler's segment, when traced; the answer is not kept in the trace (it may carry a victim's or a suspect's details). */
export const tracing = () => (tracer ? [captureLambdaHandler(tracer, { captureResponse: false })] : []);

/** An AWS SDK client whose calls are traced, when traced. */
export const traced = <C>(client: C): C => (tracer ? tracer.captureAWSv3Client(client) : client);

/**
 * An AWS call made without an SDK client (a signed request,
 * functions/adapters/clients/signedRequest.ts), traced as `traced` traces an
 * SDK client's call, when traced: a subsegment of the handler's segment
 * named for the service as the SDK's client is (`SFN`, `S3`), in the `aws`
 * namespace, with the operation, region, request id and retries, the HTTP
 * status, and a throttle (429), an error (4xx) or a fault (5xx, or no answer)
 * flagged. Nothing of the request or its answer goes in: no ARN, key, task
 * token or payload. Here rather than beside the request, as this module is
 * the layer's, not each bundle's.
 */
export async function traceAwsCall(
  service: string,
  operation: string,
  call: () => Promise<Response>,
  retries: () => number,
): Promise<Response> {
  const subsegment = tracer?.getSegment()?.addNewSubsegment(service);
  if (!subsegment) return call();
  subsegment.addAttribute('namespace', 'aws');
  const aws = { operation, region: process.env.AWS_REGION };
  try {
    const res = await call();
    const { status, headers } = res;
    const requestId = headers.get('x-amzn-requestid') ?? headers.get('x-amz-request-id') ?? undefined;
    subsegment.addAttribute('aws', { ...aws, request_id: requestId, retries: retries() });
    subsegment.addAttribute('http', { response: { status } });
    if (status === 429) subsegment.addThrottleFlag();
    if (status >= 500) subsegment.addFaultFlag();
    else if (status >= 400) subsegment.addErrorFlag();
    subsegment.close();
    return res;
  } catch (e) {
    subsegment.addAttribute('aws', { ...aws, retries: retries() });
    subsegment.close(e instanceof Error ? e : String(e), true);
    throw e;
  }
}

let made: Metrics | undefined;
/**
 * CloudWatch metrics as embedded metric format lines in the log, their
 * namespace and service from POWERTOOLS_METRICS_NAMESPACE and
 * POWERTOOLS_SERVICE_NAME (set by the CDK, and by the local stack before its
 * first case): made on first use, once those are set.
 */
export const metrics = () => (made ??= new Metrics());

/** The trace of an invocation about a case is found by its case id (an id, never personal data). */
export function annotateCase(input: unknown): void {
  const caseId = (input as { caseId?: unknown } | null)?.caseId;
  if (typeof caseId === 'string') tracer?.putAnnotation('caseId', caseId);
}
