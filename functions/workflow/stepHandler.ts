import middy, { type MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import { annotateCase, injectLambdaContext, logger, tracing } from '#powertools';
import { isTransient, TransientError, transientName } from '../adapters/transient.js';

/** The state machine passed a step an input its schema does not take: a defect in the flow, parked for a person. */
export class StepInputRejected extends Error {
  override readonly name = 'StepInputRejected';
}

/** A failure that came with no name of its own (a plain `Error` from a library): named for the step it failed in. */
export class StepFailed extends Error {
  override readonly name = 'StepFailed';
}

/**
 * A function the state machine calls: its input parsed by a zod schema (an
 * unexpected input fails the task loudly), logged by case id only: a task
 * token or personal data never reaches a log line. Its failures leave through
 * `stepFailures`, each with a name the ASL and the supervisors' fault queue tell
 * apart.
 */
export function workflowHandler<S extends z.ZodMiniType, R>(
  name: string,
  schema: S,
  fn: (input: z.infer<S>, now: string, context: Context) => Promise<R>,
) {
  return middy<unknown, R, Error, Context>({ timeoutEarlyInMillis: 0 })
    .use(injectLambdaContext(logger))
    .use(tracing())
    .use(stepFailures(name))
    .handler(async (event, context) => {
      const parsed = schema.safeParse(event);
      if (!parsed.success) {
        logger.error('workflow input rejected', {
          step: name,
          issues: parsed.error.issues.map((i) => i.path.join('.')),
        });
        throw new StepInputRejected(`${name}: input does not match its schema`);
      }
      annotateCase(parsed.data);
      const out = await fn(parsed.data, new Date().toISOString(), context);
      logger.info('step done', { step: name, caseId: caseIdOf(event) });
      return out;
    });
}

// Ids passed with each line, not appended to the shared logger: invocations interleave in the local stack's one process.
const caseIdOf = (event: unknown) => (event as { caseId?: unknown } | null)?.caseId;

/**
 * How a step's failure leaves: one that another try will likely cure as `TransientError` (the ASL retries it with
 * backoff and jitter); any other keeps its name, and the ASL hands it to a person; one with no name of its own
 * (`Error`) as `StepFailed`, so that nothing reaches the fault queue as a bare `Error`.
 */
function stepFailures(name: string): MiddlewareObj<unknown, unknown, Error, Context> {
  return {
    onError: async (request) => {
      // Left in request.error, middy throws it once this returns.
      const e: unknown = request.error;
      if (e instanceof StepInputRejected) return;
      const transient = isTransient(e);
      logger.error('step failed', { step: name, caseId: caseIdOf(request.event), error: transientName(e), transient });
      if (transient && !(e instanceof TransientError)) request.error = new TransientError(transientName(e));
      else if (!(e instanceof Error) || e.name === 'Error')
        request.error = new StepFailed(`${name}: a failure with no name of its own`, { cause: e });
    },
  };
}
