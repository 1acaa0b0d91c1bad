import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { aslText } from '../../statemachines/definition.js';

// The proof of the transform: the authored flow, once transformed, is the hand-written definition it replaces.
test('the generated definition is the hand-written disclosure.asl.json', () => {
  const before = JSON.parse(readFileSync(new URL('../../statemachines/disclosure.asl.json', import.meta.url), 'utf8'));
  const after = JSON.parse(aslText());
  expect(after).toStrictEqual(before);
  // The same states in the same order, in every States map.
  const names = (d: unknown) =>
    JSON.stringify(d, (_k, v) =>
      v && typeof v === 'object' && !Array.isArray(v) && 'States' in v ? Object.keys(v.States) : v,
    );
  expect(names(after)).toBe(names(before));
});
