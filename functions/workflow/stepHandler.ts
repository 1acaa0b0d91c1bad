import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import { logger } from '#powertools';
import { isTransient, TransientError, transientName } from '../adapters/transient.js';

/**
 * A function the state machine calls: its input parsed by a zod schema (an
 * unexpected input fails the task loudly), logged by case id only: a task
 * token or personal data never reaches a log line. A failure that another try
 * will likely cure leaves as `TransientError` (the ASL retries it with backoff
 * and jitter); any other keeps its name, and the ASL hands it to a person.
 */
export function workflowHandler<S extends z.ZodMiniType, R>(
  name: string,
  schema: S,
  fn: (input: z.infer<S>, now: string, context: Context) => Promise<R>,
) {
  return middy<unknown, R, Error, Context>({ timeoutEarlyInMillis: 0 }).handler(async (event, context) => {
    logger.addContext(context);
    const parsed = schema.safeParse(event);
    if (!parsed.success) {
      logger.error('workflow input rejected', { step: name, issues: parsed.error.issues.map((i) => i.path.join('.')) });
      throw new Error(`${name}: input does not match its schema`);
    }
    // Ids passed with each line, not appended to the shared logger: invocations interleave in the local stack's one process.
    const ids = { step: name, caseId: (parsed.data as { caseId?: string }).caseId };
    try {
      const out = await fn(parsed.data, new Date().toISOString(), context);
      logger.info('step done', ids);
      return out;
    } catch (e) {
      const transient = isTransient(e);
      logger.error('step failed', { ...ids, error: transientName(e), transient });
      if (transient && !(e instanceof TransientError)) throw new TransientError(transientName(e));
      throw e;
    }
  });
}
