import type { RouteInput } from '../routeInputs.js';
import { recordRefusal } from './refusals.js';
import { type Handler, type HandlerOptions, routeHandler } from './route.js';

export { bodyText, json, parseJsonBody, type ApiEvent, type ApiRequest, type ApiResult } from './route.js';

/** Every refusal (403) of a signed-in caller is written to the audit trail here, and only here. */
export function apiHandler<I extends RouteInput>(input: I, fn: Handler<I>, options: HandlerOptions = {}) {
  return routeHandler(input, fn, options, recordRefusal);
}
