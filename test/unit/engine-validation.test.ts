import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { validatedStateMachine } from '../../local/engine.js';

/**
 * The local engine validates a definition once and marks it by its hash (local/engine.ts): a test run starts about
 * forty stacks on the same text. What must hold: a text is validated unless that very text validated before.
 */
const valid = (comment: string) =>
  JSON.stringify({ Comment: comment, StartAt: 'Done', States: { Done: { Type: 'Succeed' } } });
const invalid = JSON.stringify({ StartAt: 'Missing', States: { Done: { Type: 'Succeed' } } });

describe('the local engine validates each definition text once', () => {
  const previous = process.env.TMPDIR;
  let scratch: string;
  beforeAll(() => {
    scratch = mkdtempSync(join(process.cwd(), '.tmp', 'asl-marks-'));
    process.env.TMPDIR = scratch;
  });
  afterAll(() => {
    process.env.TMPDIR = previous;
    rmSync(scratch, { recursive: true, force: true });
  });
  const marks = () => readdirSync(join(scratch, 'rtk-asl-validated'));

  test('a valid text is marked once, and builds again from its mark', () => {
    validatedStateMachine(valid('first'));
    expect(marks()).toHaveLength(1);
    validatedStateMachine(valid('first'));
    expect(marks()).toHaveLength(1);
    validatedStateMachine(valid('second'));
    expect(marks()).toHaveLength(2);
  });

  test('an invalid text is refused, whatever was marked before, and is never marked', () => {
    expect(() => validatedStateMachine(invalid)).toThrow();
    expect(() => validatedStateMachine(invalid)).toThrow();
    expect(marks()).toHaveLength(2);
  });
});
