import { afterAll, beforeAll, expect, test } from 'vitest';
import type { RunningStack } from '../../local/stack.js';
import type { Journey } from '../support/journey.js';
import { gatesHeldOpen, startTestStack, type TestStack } from '../support/stack.js';

/**
 * A Standard execution lives at most a year, and an arrest track can outlast one (a sentence passed a year after
 * the arrest). Here a day is 2 seconds, the track waits at most a week (14 seconds), and the track's execution must
 * hand over 20 seconds after it starts: a track still waiting on its first outcome by then continues in a fresh
 * execution at the case's stage, and goes on there from its records.
 */
let local: TestStack;
let stack: RunningStack;
let journey: Journey;
beforeAll(async () => {
  local = await startTestStack('track-handover-', {
    timeScale: 43_200,
    settings: { ...gatesHeldOpen(120), ArrestTrackHandoverSeconds: '20' },
  });
  ({ stack, journey } = local);
});
afterAll(() => local?.stop());

test('an arrest track that outlives its execution continues in a fresh execution, and an outcome recorded then moves it on', async () => {
  const caseId = await journey.atDisclosureDecision();
  const executions = await journey.api.until(
    'a fresh execution, the old one ended',
    async () => {
      const mine = stack.engine.list().filter((e) => e.caseId === caseId);
      return mine.length >= 2 && mine[0]!.status === 'ABORTED' ? mine : undefined;
    },
    60_000,
  );
  expect(executions[1]!.input).toEqual({ caseId, resumeAt: 'DISCLOSURE_DECISION' });
  const trail = async () =>
    (await journey.api.all<{ action: string; ids?: Record<string, string> }>(`/cases/${caseId}/audit`, 'aud.frank'))
      .filter((e) => e.action === 'workflow.continued')
      .map((e) => e.ids?.resumeAt);
  expect((await trail())[0]).toBe('DISCLOSURE_DECISION');

  // The track goes on in the fresh execution (or a later one): the arrest recorded now opens what it calls for.
  const arrested = await journey.api.post(`/cases/${caseId}/arrest`, 'inv.alice', {
    outcome: 'arrested',
    at: new Date().toISOString(),
  });
  expect(arrested.status).toBe(202);
  const spo = await journey.withTask(caseId, 'SPO_CONSIDERATION');
  expect((spo as unknown as { arrests: { outcome: string }[] }).arrests.map((a) => a.outcome)).toEqual(['arrested']);
  // Exactly one execution runs the case, whatever number of hand-overs the run has seen.
  expect(stack.engine.list().filter((e) => e.caseId === caseId && e.status === 'RUNNING')).toHaveLength(1);
  expect((await trail()).every((stage) => stage === 'DISCLOSURE_DECISION')).toBe(true);
});
