import type * as z from 'zod/mini';
import type { ReleasingRoute } from '../domain/tasks.js';
import type { RouteInput } from '../routeInputs.js';
import { releaseWaits } from '../services/humanSteps.js';
import { recordRefusal } from './refusals.js';
import { type Handler, type HandlerOptions, routeHandler } from './route.js';

/** A route whose record may end a wait: on a case, named in the registry of human tasks (domain/tasks.ts TASK_ROUTES). */
export type AnsweringInput = RouteInput<ReleasingRoute> & { params: z.ZodMiniType<{ caseId: string }> };

/**
 * The handler of a route whose record may end a workflow's wait (domain/tasks.ts TASK_ROUTES): once the route's
 * function has recorded what it records, each open wait of a task naming the route that the record settles ends
 * (services/humanSteps.ts releaseWaits); a refusal or a failure ends none. No such route is served any other way
 * (`apiHandler` takes none of them, in the type check), so naming a route in the registry is its release.
 */
export function answeringHandler<I extends AnsweringInput>(input: I, fn: Handler<I>, options: HandlerOptions = {}) {
  const answered: Handler<I> = async (req) => {
    const result = await fn(req);
    await releaseWaits(input.route, (req.params as { caseId: string }).caseId, req.now);
    return result;
  };
  return Object.assign(routeHandler(input, answered, options, recordRefusal), { releases: input.route });
}
