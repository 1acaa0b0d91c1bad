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
 * it is built (`traced`, functions/adapters/clients), an annotation by case
 * id. Loaded only then: the Tracer and the X-Ray SDK cost about 68 ms of CPU
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
