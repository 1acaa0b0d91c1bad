import type { ReleasingRoute } from '../domain/tasks.js';
import type { RouteName } from '../routes.js';
import type { RouteInput } from '../routeInputs.js';
import { recordRefusal } from './refusals.js';
import { type Handler, type HandlerOptions, routeHandler } from './route.js';

export { bodyText, json, parseJsonBody, type ApiEvent, type ApiRequest, type ApiResult } from './route.js';

/**
 * Every refusal (403) of a signed-in caller is written to the audit trail here, and only here. A route whose record
 * may end a workflow's wait is not taken (the type check refuses it): it is served by http/answering.ts
 * `answeringHandler`, which releases the wait.
 */
export function apiHandler<I extends RouteInput<Exclude<RouteName, ReleasingRoute>>>(
  input: I,
  fn: Handler<I>,
  options: HandlerOptions = {},
) {
  return routeHandler(input, fn, options, recordRefusal);
}
