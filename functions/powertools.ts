import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

export { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
export { MetricUnit } from '@aws-lambda-powertools/metrics';
export { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';

/**
 * Powertools for AWS Lambda, built once, imported by every handler as
 * `#powertools` (served by the functions' layer, not bundled). Log lines,
 * metrics and trace annotations carry ids only: never a name, phone,
 * address, date of birth or task token.
 */
export const logger = new Logger({ serviceName: 'right-to-know' });

/**
 * X-Ray (active tracing is on for every function): the handler's segment
 * through `captureLambdaHandler`, each AWS SDK client's calls where it is
 * built (functions/adapters/clients), an annotation by case id. Outside
 * Lambda (no AWS_EXECUTION_ENV: the local stack, the tests) or with
 * POWERTOOLS_TRACE_ENABLED=false it is disabled and does nothing.
 */
export const tracer = new Tracer({ serviceName: 'right-to-know' });

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
  if (typeof caseId === 'string') tracer.putAnnotation('caseId', caseId);
}
