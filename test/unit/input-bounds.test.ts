import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { describe, expect, test } from 'vitest';
import { apiHandler, json, type ApiEvent } from '../../functions/http/api.js';
import { policy } from '../../functions/domain/policy.js';
import * as inputs from '../../functions/routeInputs.js';
import type { RouteName } from '../../functions/routes.js';

/**
 * Every route's input is bounded and closed: each string has a ceiling, each
 * array a maximum, each object refuses fields it does not name. Read from the
 * JSON Schema of each zod schema, the form the OpenAPI document publishes.
 */
type Node = Record<string, unknown>;

/** The one body allowed to carry fields it does not name: GOV.UK Notify adds fields to its receipts (see NotifyReceipt). */
const OPEN_BODIES: readonly RouteName[] = ['notifyCallback'];

function* nodes(node: unknown, path = '(body)'): Generator<[string, Node]> {
  if (node === null || typeof node !== 'object') return;
  const n = node as Node;
  yield [path, n];
  for (const [k, v] of Object.entries(n.properties ?? {})) yield* nodes(v, `${path}.${k}`);
  if (n.items) yield* nodes(n.items, `${path}[]`);
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const)
    for (const [i, v] of ((n[key] as unknown[]) ?? []).entries()) yield* nodes(v, `${path}|${i}`);
}

const schemas = inputs
  .routesWithInputs()
  .flatMap(([name, r]) => [
    ...(r.body ? [[name, 'body', r.body] as const] : []),
    ...(r.params ? [[name, 'params', r.params] as const] : []),
  ]);

describe('every input schema is bounded and closed', () => {
  test.each(schemas)('%s %s', (name, _part, schema) => {
    const doc = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
    const problems: string[] = [];
    for (const [path, n] of nodes(doc)) {
      if (n.type === 'string' && n.enum === undefined && n.const === undefined && typeof n.maxLength !== 'number')
        problems.push(`${path}: a string with no maxLength`);
      if (n.type === 'array' && typeof n.maxItems !== 'number') problems.push(`${path}: an array with no maxItems`);
      if (
        (n.type === 'number' || n.type === 'integer') &&
        (typeof n.maximum !== 'number' || typeof n.minimum !== 'number')
      )
        problems.push(`${path}: an unbounded number`);
      if (n.type === 'object' && n.additionalProperties !== false && !OPEN_BODIES.includes(name))
        problems.push(`${path}: an object that takes unknown fields`);
    }
    expect(problems).toEqual([]);
  });

  // Most bodies are built on their first parse (z.lazy, issue 18): parsed, not only read as JSON Schema, each still
  // names the field it does not take.
  test.each(schemas.filter(([name, part]) => part === 'body' && !OPEN_BODIES.includes(name)))(
    '%s %s refuses a field it does not name, when parsed',
    (_name, _part, schema) => {
      const issues = schema.safeParse({ notAField: 1 }).error?.issues ?? [];
      expect(issues.filter((i) => i.code === 'unrecognized_keys').flatMap((i) => i.keys)).toEqual(['notAField']);
    },
  );

  test('the open body is only the Notify receipt, and it is bounded all the same', () => {
    expect(
      schemas
        .filter(([, , s]) => (z.toJSONSchema(s, { io: 'input' }) as Node).additionalProperties !== false)
        .map(([n]) => n),
    ).toEqual(OPEN_BODIES);
  });
});

describe('the 1 MiB limit, at the handler (API Gateway passes up to 10 MB to Lambda)', () => {
  const handler = apiHandler(inputs.openCase, async () => json(201, {}));
  const context = {
    functionName: 'openCase',
    awsRequestId: 'test',
    getRemainingTimeInMillis: () => 30_000,
  } as unknown as Context;
  const event = (body: string, isBase64Encoded = false) =>
    ({
      headers: { 'content-type': 'application/json' },
      body,
      isBase64Encoded,
      pathParameters: {},
      requestContext: {
        authorizer: {
          jwt: { claims: { sub: 'inv-1', 'custom:force': 'LOCAL', 'cognito:groups': '[investigator]' }, scopes: [] },
        },
      },
    }) as unknown as ApiEvent;
  // `{}` and whitespace: valid JSON of any length, invalid for the route, so the answer shows which check stopped it.
  const padded = (bytes: number) => `{}${' '.repeat(bytes - 2)}`;

  test.each([
    ['exactly 1 MiB passes the size check (and fails the schema)', padded(policy.maxBodyBytes), false, 400],
    ['1 MiB and one byte is refused', padded(policy.maxBodyBytes + 1), false, 413],
    ['1 MiB counted in bytes, not characters', `{"a":"${'é'.repeat((policy.maxBodyBytes - 7) / 2 + 1)}"}`, false, 413],
    [
      'a base64 body is measured decoded: exactly 1 MiB passes',
      Buffer.from(padded(policy.maxBodyBytes)).toString('base64'),
      true,
      400,
    ],
    [
      'a base64 body is measured decoded: one byte over is refused',
      Buffer.from(padded(policy.maxBodyBytes + 1)).toString('base64'),
      true,
      413,
    ],
  ] as const)('%s', async (_what, body, base64, status) => {
    const res = await handler(event(body, base64), context);
    expect(res.statusCode).toBe(status);
    expect(res.headers?.['content-type']).toBe('application/problem+json');
  });

  test('a body nested half a million levels deep (just under 1 MiB) is a 400, not a stack overflow', async () => {
    const res = await handler(event(`${'['.repeat(500_000)}${']'.repeat(500_000)}`), context);
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(String(res.body)).detail).toContain('nested too deeply');
  });
});
