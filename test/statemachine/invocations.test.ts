import { afterAll, beforeAll, expect, test } from 'vitest';
import { runDemoCase } from '../../local/scenario.js';
import { uniqueReference } from '../support/journey.js';
import { startTestStack, type TestStack } from '../support/stack.js';

/**
 * What one case costs the workflow (issue 18): the demo case, opening to
 * close, is to invoke workflow functions at most 25 times. It costs 26 (the
 * ISP look-ups planned per account, then for the case, are two invocations):
 * the ceiling recorded here may only come down, to the goal. Time runs as on
 * the day (no time scale), so no deadline passes while people answer at once:
 * the count is the case's own path, every escalation aside.
 */
const GOAL = 25;
const MAX_WORKFLOW_INVOCATIONS = 26;
let local: TestStack;

beforeAll(async () => {
  local = await startTestStack('invocations-');
});
afterAll(() => local?.stop());

test(`the demo case invokes workflow functions at most ${MAX_WORKFLOW_INVOCATIONS} times (goal ${GOAL})`, async () => {
  const counters = local.stack.engine.counters;
  expect(counters.lambdaInvocations).toBe(0);
  const closed = await runDemoCase(local.api, { crimeReference: uniqueReference(), timeoutMs: 120_000 });
  expect(closed.stage).toBe('CLOSED');
  const byFunction = Object.values(counters.lambdaInvocationsByFunction).reduce((a, n) => a + n, 0);
  expect(byFunction).toBe(counters.lambdaInvocations);
  expect(
    counters.lambdaInvocations,
    `workflow invocations by function: ${JSON.stringify(counters.lambdaInvocationsByFunction)}`,
  ).toBeLessThanOrEqual(MAX_WORKFLOW_INVOCATIONS);
}, 180_000);
