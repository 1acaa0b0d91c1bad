import { NotBundled } from './notBundled.js';

/**
 * What Powertools idempotency asks of its JMESPath engine in the functions
 * that send (functions/services/notifications.ts keys each send on its
 * `reference`): `search` of an expression naming a field, or fields joined by
 * dots, read as JMESPath reads it: the value, or null where a field is
 * missing or what holds it is not an object. The bundles that send take this
 * in place of @aws-lambda-powertools/jmespath (its lexer, parser and function
 * table, about 23 kB, built at every cold start: infra/constructs/bundling.ts
 * `jmespathFieldsOnly`). Any other expression fails, saying so.
 */
const FIELD_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

export function search(expression: string, data: unknown): unknown {
  if (!FIELD_PATH.test(expression))
    throw new NotBundled(
      `the JMESPath expression ${JSON.stringify(expression)} is not bundled: functions/adapters/jmespathFields.ts reads fields joined by dots only`,
    );
  let value: unknown = data;
  for (const field of expression.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
    value = Object.hasOwn(value, field) ? (value as Record<string, unknown>)[field] : null;
  }
  return value ?? null;
}

/** Powertools' JMESPath functions, which only a function call in an expression would use: none is read here. */
export class PowertoolsFunctions {}
