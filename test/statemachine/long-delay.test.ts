import { afterAll, beforeAll, expect, test } from 'vitest';
import type { RunningStack } from '../../local/stack.js';
import type { Journey } from '../support/journey.js';
import { gatesHeldOpen, startTestStack, type TestStack } from '../support/stack.js';

/**
 * A Standard execution lives at most a year. Here an execution "lives" one
 * second past its start before it must hand over, and a day is 2 seconds: a
 * one-day delay outlives the execution, which continues in a fresh one at
 * DELAYED, and the case keeps its place and its history.
 */
let local: TestStack;
let stack: RunningStack;
let journey: Journey;
beforeAll(async () => {
  local = await startTestStack('long-delay-', {
    timeScale: 43_200,
    settings: { ...gatesHeldOpen(120), ExecutionHandoverSeconds: '1' },
  });
  ({ stack, journey } = local);
});
afterAll(() => local?.stop());

test('a delay that outlives its execution continues in a fresh execution without losing its place', async () => {
  const caseId = await journey.atDisclosureDecision();
  await journey.verifyContact(caseId);
  expect(
    (
      await journey.api.post(`/cases/${caseId}/disclosure-proposal`, 'inv.alice', {
        action: 'delay',
        ground: 'prejudice_investigation',
        reviewInDays: 1,
        rationale: 'arrest planned this week',
      })
    ).status,
  ).toBe(202);
  expect(
    (await journey.decide('supt.erin', (await journey.approvalFor('supt.erin', caseId, 'delay')).approvalId, 'approve'))
      .status,
  ).toBe(200);
  // The delay is on record (DELAYED lasts two seconds here, so a loaded machine can poll past the stage itself).
  await journey.inTrail(caseId, 'disclosure.delayed');
  // The fresh execution starts before the old one is stopped: both are waited for, not read in between.
  const executions = await journey.api.until('a fresh execution, the old one ended', async () => {
    const mine = stack.engine.list().filter((e) => e.caseId === caseId);
    return mine.length === 2 && mine[0]!.status !== 'RUNNING' ? mine : undefined;
  });
  expect(executions.map((e) => e.status)).toEqual(['ABORTED', 'RUNNING']);
  expect(executions[1]!.input).toEqual({ caseId, resumeAt: 'DELAYED' });
  // The review still comes round on its date, in the new execution, with the delay on record.
  const again = await journey.withTask(caseId, 'DISCLOSURE_PROPOSAL');
  expect((again as unknown as { delays: unknown[] }).delays).toHaveLength(1);
  await journey.disclosureApproved(caseId);
  await journey.atStage(caseId, 'AFTER_DISCLOSURE');
  const trail = (await journey.api.all<{ action: string }>(`/cases/${caseId}/audit`, 'aud.frank')).map((e) => e.action);
  expect(trail.filter((a) => a === 'workflow.continued')).toHaveLength(1);
  expect(trail.filter((a) => a === 'disclosure.delayed')).toHaveLength(1);
});
