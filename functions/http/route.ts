import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import { annotateCase, injectLambdaContext, logger, tracing } from '#powertools';
import { enforce, mayUseRoute } from '../domain/access.js';
import {
  BodyTooLarge,
  DomainError,
  invalid,
  NotAuthenticated,
  notFound,
  UnsupportedMediaType,
  type FieldError,
} from '../domain/errors.js';
import { isTransient, transientName } from '../adapters/transient.js';
import { policy } from '../domain/policy.js';
import { userFromClaims, type User } from '../domain/users.js';
import type { RouteInput } from '../routeInputs.js';
import type { Route, routes } from '../routes.js';
import { fieldErrors, fromDomainError, problem } from './problem.js';

export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type ApiResult = APIGatewayProxyStructuredResultV2;

export interface ApiRequest<B, P, Q = undefined> {
  user: User;
  body: B;
  params: P;
  query: Q;
  rawBody: string;
  contentType: string;
  event: ApiEvent;
  now: string;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Deeper than any body a route takes (a case is five levels deep). */
const MAX_DEPTH = 32;

/**
 * JSON.parse keeps `__proto__` as an own key: find any forbidden key anywhere
 * in the body, or nesting past MAX_DEPTH. A loop, not recursion: a body of a
 * million nested arrays must get its 400, not overflow the stack.
 */
function shapeProblem(value: unknown): { detail: string; error: FieldError } | undefined {
  const pending: { value: object; path: string[] }[] =
    value !== null && typeof value === 'object' ? [{ value, path: [] }] : [];
  while (pending.length) {
    const { value: node, path } = pending.pop()!;
    if (path.length >= MAX_DEPTH)
      return {
        detail: 'the body is nested too deeply',
        error: { path: path.join('.'), message: `nested deeper than ${MAX_DEPTH} levels` },
      };
    const keys = Object.keys(node);
    const forbidden = keys.find((k) => FORBIDDEN_KEYS.has(k));
    if (forbidden !== undefined)
      return {
        detail: 'the body contains a forbidden key',
        error: { path: [...path, forbidden].join('.'), message: 'this key is not allowed' },
      };
    for (let i = keys.length - 1; i >= 0; i--) {
      const child = (node as Record<string, unknown>)[keys[i]!];
      if (child !== null && typeof child === 'object') pending.push({ value: child, path: [...path, keys[i]!] });
    }
  }
  return undefined;
}

export const json = (statusCode: number, body: unknown): ApiResult => ({
  statusCode,
  headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  body: JSON.stringify(body),
});

export function header(event: ApiEvent, name: string): string | undefined {
  const h = event.headers ?? {};
  return h[name] ?? Object.entries(h).find(([k]) => k.toLowerCase() === name)?.[1];
}

export function bodyText(event: ApiEvent): string {
  if (!event.body) return '';
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

/** Parse a JSON body strictly: size, syntax, polluting keys, then the schema; every invalid field listed. */
export function parseJsonBody<S extends z.ZodMiniType>(schema: S, text: string): z.infer<S> {
  let data: unknown;
  try {
    data = JSON.parse(text === '' ? 'null' : text);
  } catch {
    throw invalid('the body is not valid JSON');
  }
  const shape = shapeProblem(data);
  if (shape) throw invalid(shape.detail, [shape.error]);
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw invalid('the body does not match what this route takes', fieldErrors(parsed.error));
  return parsed.data;
}

/**
 * An API route handler: the route's access rule and content types come from
 * routes.ts, the body, path and query from the route's zod schemas
 * (routeInputs.ts). The function given holds no HTTP concerns beyond
 * choosing its success status.
 */
type Infer<I, K extends string> = I extends { [P in K]: infer S }
  ? S extends z.ZodMiniType
    ? z.infer<S>
    : undefined
  : undefined;

export type Handler<I extends RouteInput> = (
  req: ApiRequest<Infer<I, 'body'>, Infer<I, 'params'>, Infer<I, 'query'>>,
) => Promise<ApiResult>;
export type HandlerOptions = { parseBody?: (text: string, contentType: string) => unknown };
type PublicInput = {
  [K in keyof typeof routes]: (typeof routes)[K]['access'] extends 'public' ? RouteInput<K> : never;
}[keyof typeof routes];

/** A route that needs no token and touches no case (health, the OpenAPI document): its bundle carries no audit writer, and its function no grant for one. */
export function publicHandler<I extends PublicInput>(input: I, fn: Handler<I>) {
  return routeHandler(input, fn, {}, undefined);
}

/** Writes a refusal (403) of a signed-in caller to the audit trail: functions/http/refusals.ts. */
export type RefusalWriter = (
  user: User,
  route: Route & Pick<RouteInput, 'params'>,
  pathParameters: Record<string, string | undefined>,
  code: string,
  at: string,
) => Promise<void>;

/**
 * The route handler of both kinds. This module imports no adapter, so a
 * public route's bundle carries no database client: the refusal writer
 * comes in through api.ts. Every failure becomes its answer in one place,
 * the `problemDetails` middleware's onError.
 */
export function routeHandler<I extends RouteInput>(
  input: I,
  fn: Handler<I>,
  options: HandlerOptions,
  onRefused: RefusalWriter | undefined,
) {
  const route: Route = input.entry;
  return middy<ApiEvent, ApiResult, Error, Context>({ timeoutEarlyInMillis: 0 })
    .use(injectLambdaContext(logger))
    .use(tracing())
    .use(problemDetails({ ...route, params: input.params }, onRefused))
    .handler(async (event) => {
      const user = route.access === 'public' ? (undefined as unknown as User) : caller(event);
      if (route.access !== 'public') enforce(mayUseRoute(user, route.access));
      let params: unknown;
      if (input.params) {
        const parsed = input.params.safeParse(event.pathParameters ?? {});
        if (!parsed.success) throw notFound('no such resource');
        params = parsed.data;
        annotateCase(params);
      }
      let query: unknown;
      if (input.query) {
        const parsed = input.query.safeParse(event.queryStringParameters ?? {});
        if (!parsed.success)
          throw invalid('the query string does not match what this route takes', fieldErrors(parsed.error));
        query = parsed.data;
      }
      const rawBody = bodyText(event);
      const contentType = (header(event, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      let body: unknown;
      if (route.accepts) {
        if (Buffer.byteLength(rawBody) > policy.maxBodyBytes) throw new BodyTooLarge('the body is over 1 MiB');
        if (!route.accepts.includes(contentType))
          throw new UnsupportedMediaType(`send the body as ${route.accepts.join(' or ')}`);
        if (options.parseBody) body = options.parseBody(rawBody, contentType);
        else if (input.body) body = parseJsonBody(input.body, rawBody);
      }
      return await fn({
        user,
        body,
        params,
        query,
        rawBody,
        contentType,
        event,
        now: new Date().toISOString(),
      } as never);
    });
}

/** The signed-in caller, from the authorizer's claims: NotAuthenticated without a valid token. */
function caller(event: ApiEvent): User {
  const found = userFromClaims(event.requestContext?.authorizer?.jwt?.claims ?? {});
  if (!found) throw new NotAuthenticated('a valid bearer token is required');
  return found;
}

/**
 * The one place a failure becomes an HTTP answer: a domain error its problem details (http/problem.ts), a refusal
 * of a signed-in caller written to the trail first, a transient failure a 503 to try again, anything else a 500
 * that says nothing of the cause. Logged by route, user id and error name only.
 */
function problemDetails(
  route: Route & Pick<RouteInput, 'params'>,
  onRefused: RefusalWriter | undefined,
): MiddlewareObj<ApiEvent, ApiResult> {
  return {
    onError: async (request) => {
      const e: unknown = request.error;
      const { event } = request;
      const ids: Record<string, string> = { route: `${route.method} ${route.path}` };
      const user =
        route.access === 'public' ? undefined : userFromClaims(event.requestContext?.authorizer?.jwt?.claims ?? {});
      if (user) ids.user = user.sub;
      if (e instanceof DomainError) {
        logger.info('refused', { ...ids, status: e.kind, error: e.name, ...(e.code ? { reason: e.code } : {}) });
        if (e.kind === 'NotAllowed' && user && onRefused) {
          // The caller is refused either way; a refusal that could not be recorded is an alarm, not a 500.
          await onRefused(
            user,
            route,
            event.pathParameters ?? {},
            e.code ?? 'not_allowed',
            new Date().toISOString(),
          ).catch((err: unknown) =>
            logger.error('refusal not recorded', { ...ids, error: err instanceof Error ? err.name : 'unknown' }),
          );
        }
        request.response = fromDomainError(e);
        return;
      }
      if (isTransient(e)) {
        // Nothing is half-done that a retry would not complete: every write is conditional and ordered record-then-signal.
        logger.warn('transient failure', { ...ids, error: transientName(e) });
        request.response = {
          ...problem(503, 'Service unavailable', 'a service behind this one is busy; try again in a moment'),
          headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store', 'retry-after': '1' },
        };
        return;
      }
      logger.error('failed', { ...ids, error: e instanceof Error ? { name: e.name, message: e.message } : String(e) });
      request.response = problem(
        500,
        'Internal error',
        'something went wrong on our side; nothing you sent was the cause',
      );
    },
  };
}
