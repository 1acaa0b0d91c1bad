import { search as jmespath } from '@aws-lambda-powertools/jmespath';
import { PowertoolsFunctions as Functions } from '@aws-lambda-powertools/jmespath/functions';
import { describe, expect, it } from 'vitest';
import { PowertoolsFunctions, search } from '../../functions/adapters/jmespathFields.js';

describe("JMESPath's search for fields joined by dots (in place of Powertools' engine in a bundle that sends)", () => {
  const expressions = ['reference', 'a', 'a.b', 'a.b.c', '_x.y_2'];
  const data: unknown[] = [
    { reference: 'case-1:disclosure:v1' },
    { reference: '' },
    { reference: null },
    { reference: 0 },
    { reference: { nested: [1, 2] } },
    {},
    { a: { b: { c: 'deep' } } },
    { a: { b: [1, 2] } },
    { a: [{ b: 1 }] },
    { a: 'text' },
    { a: 7 },
    { a: null },
    { _x: { y_2: true } },
    [{ reference: 'in an array' }],
    'a string',
    42,
    null,
  ];

  it('reads each the same as @aws-lambda-powertools/jmespath', () => {
    for (const expression of expressions)
      for (const value of data)
        expect(search(expression, value), `${expression} of ${JSON.stringify(value)}`).toEqual(
          jmespath(expression, value as never, { customFunctions: new Functions() }),
        );
  });

  it("reads a field of the JSON only, never one every object inherits (Powertools' engine answers those)", () => {
    expect(search('a.toString', { a: {} })).toBeNull();
    expect(search('constructor', {})).toBeNull();
  });

  it('refuses any other expression, saying so', () => {
    for (const expression of ['a[0]', 'a.*', 'powertools_json(body).id', '"quoted"', 'a || b', '', 'a..b', '@'])
      expect(() => search(expression, { a: 1 }), expression).toThrow(/is not bundled: .*fields joined by dots only/);
  });

  it('has the functions class the idempotency config constructs', () => {
    expect(new PowertoolsFunctions()).toBeInstanceOf(PowertoolsFunctions);
  });
});
