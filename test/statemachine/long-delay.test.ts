import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ApiClient } from '../../local/client.js';
import { startStack, type RunningStack } from '../../local/stack.js';
import { Journey } from '../support/journey.js';

/**
 * A Standard execution lives at most a year. Here an execution "lives" one
 * second past its start before it must hand over, and a day is 2 seconds: a
 * one-day delay outlives the execution, which continues in a fresh one at
 * DELAYED, and the case keeps its place and its history.
 */
let stack: RunningStack;
let journey: Journey;
let dataDir: string;
beforeAll(async () => {
  dataDir = mkdtempSync(join(process.cwd(), '.tmp', 'long-delay-'));
  stack = await startStack({ port: 0, dataDir, timeScale: 43_200, settings: { ExecutionHandoverSeconds: '1' } });
  journey = new Journey(new ApiClient(stack.apiUrl));
});
afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('a delay that outlives its execution continues in a fresh execution without losing its place', async () => {
  const caseId = await journey.atDisclosureDecision();
  await journey.verifyContact(caseId);
  expect(
    (await journey.api.post(`/cases/${caseId}/disclosure-proposal`, 'inv.alice', { action: 'delay', ground: 'prejudice_investigation', reviewInDays: 1, rationale: 'arrest planned this week' }))
      .status,
  ).toBe(202);
  expect((await journey.decide('supt.erin', (await journey.approvalFor('supt.erin', caseId, 'delay')).approvalId, 'approve')).status).toBe(200);
  await journey.atStage(caseId, 'DELAYED');
  const executions = await journey.api.until('a fresh execution', async () => {
    const mine = stack.engine.list().filter((e) => e.caseId === caseId);
    return mine.length === 2 ? mine : undefined;
  });
  expect(executions.map((e) => e.status)).toEqual(['ABORTED', 'RUNNING']);
  expect(executions[1]!.input).toEqual({ caseId, resumeAt: 'DELAYED' });
  // The review still comes round on its date, in the new execution, with the delay on record.
  const again = await journey.withTask(caseId, 'DISCLOSURE_PROPOSAL');
  expect((again as unknown as { delays: unknown[] }).delays).toHaveLength(1);
  await journey.disclosureApproved(caseId);
  await journey.atStage(caseId, 'AFTER_DISCLOSURE');
  const trail = (await journey.api.get<{ action: string }[]>(`/cases/${caseId}/audit`, 'aud.frank')).body.map((e) => e.action);
  expect(trail.filter((a) => a === 'workflow.continued')).toHaveLength(1);
  expect(trail.filter((a) => a === 'disclosure.delayed')).toHaveLength(1);
});
