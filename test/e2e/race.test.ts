import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startCaseExecution } from '../../functions/adapters/workflow.js';
import { ApiClient } from '../../local/client.js';
import { demoCaseBody, type CaseView } from '../../local/scenario.js';
import { startStack, type RunningStack } from '../../local/stack.js';

/**
 * A gate is decided exactly once: two supervisors answering the same approval
 * at the same instant get one 200 and one 409, and the approval holds the
 * decision of the 200.
 */
const ROUNDS = 10;
let stack: RunningStack;
let api: ApiClient;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(process.cwd(), '.tmp', 'race-'));
  stack = await startStack({ port: 0, dataDir, timeScale: 1 });
  api = new ApiClient(stack.apiUrl);
  for (const u of ['sgt.bob', 'sgt.carol', 'inv.alice', 'aud.frank']) await api.token(u);
});
afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const authorisation = () => ({
  route: 'ocda',
  reference: 'OCDA/RACE/1',
  dataType: 'entity',
  expiresAt: new Date(Date.now() + 10 * 86400_000).toISOString(),
});
const approve = {
  decision: 'approve',
  rationale: 'necessary and proportionate',
  authorisation: authorisation(),
} as const;
const reject = { decision: 'reject', rationale: 'not proportionate on this evidence' } as const;

async function aCaseAwaitingGate1(n: number) {
  const opened = await api.post<{ caseId: string }>(
    '/cases',
    'inv.alice',
    demoCaseBody(`LOCAL/26/66${String(n).padStart(4, '0')}`),
  );
  expect(opened.status).toBe(201);
  const caseId = opened.body.caseId;
  const { approvalId } = await api.until('gate 1', async () =>
    (await api.all<{ approvalId: string; caseId: string }>('/approvals', 'sgt.bob')).find((a) => a.caseId === caseId),
  );
  return { caseId, approvalId };
}

describe('two decisions on one approval at the same instant', () => {
  test(`${ROUNDS} rounds, on fresh cases: exactly one 200 and one 409; the approval holds the 200's decision`, async () => {
    const cases = await Promise.all(Array.from({ length: ROUNDS }, (_, i) => aCaseAwaitingGate1(i)));
    const winners: string[] = [];
    for (const [i, { caseId, approvalId }] of cases.entries()) {
      // Alternate who is first in the array, so neither has a head start every time.
      const [first, second] = i % 2 ? (['sgt.carol', 'sgt.bob'] as const) : (['sgt.bob', 'sgt.carol'] as const);
      const body = { 'sgt.bob': approve, 'sgt.carol': reject };
      const answers = await Promise.all([
        api.post<{ status: string }>(`/approvals/${approvalId}/decision`, first, body[first]),
        api.post<{ status: string }>(`/approvals/${approvalId}/decision`, second, body[second]),
      ]);
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses, `round ${i}`).toEqual([200, 409]);
      const loser = answers.find((a) => a.status === 409)!;
      expect(loser.headers.get('content-type')).toBe('application/problem+json');
      const winner = answers[0]!.status === 200 ? first : second;
      winners.push(winner);
      const expected = winner === 'sgt.bob' ? 'approved' : 'rejected';

      const view = (
        await api.get<CaseView & { decisions: { approvalId: string; decision: string; decidedBy: string }[] }>(
          `/cases/${caseId}`,
          'inv.alice',
        )
      ).body;
      expect(view.approvals.find((a) => a.approvalId === approvalId)?.status).toBe(expected);
      expect(view.decisions).toHaveLength(1);
      expect(view.decisions[0]!.decidedBy).toBe(`local-${winner}`);
      const trail = await api.all<{ action: string }>(`/cases/${caseId}/audit`, 'aud.frank');
      expect(
        trail.filter((e) => /^gate\.data_request\.(approved|rejected)$/.test(e.action)).map((e) => e.action),
      ).toEqual([`gate.data_request.${expected}`]);
      // The workflow follows the one decision.
      await api.until(`case ${i} follows ${expected}`, async () => {
        const stage = (await api.get<CaseView>(`/cases/${caseId}`, 'inv.alice')).body.stage;
        return stage === (expected === 'approved' ? 'PLATFORM_REQUESTS' : 'REJECTED');
      });
    }
    // Reported, not asserted: which of two simultaneous requests wins is not for the test to decide.
    console.info(`race winners: ${winners.join(', ')}`);
  });

  test('the same supervisor submitting twice at once (a double click) decides once', async () => {
    const { caseId, approvalId } = await aCaseAwaitingGate1(ROUNDS);
    const answers = await Promise.all(
      [0, 1, 2].map(() => api.post(`/approvals/${approvalId}/decision`, 'sgt.bob', approve)),
    );
    // A click that reads the approval still pending and loses the conditional write is a 409; one that reads it
    // already decided by the same person, the same way, is that person's replay and answers as the first did (200).
    // Which of the two each click meets depends on timing, so the test holds what must be true either way.
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s !== 200 && s !== 409)).toEqual([]);
    const decided = answers.filter((a) => a.status === 200).map((a) => a.body as { decidedAt: string; status: string });
    expect(decided.length).toBeGreaterThan(0);
    expect(new Set(decided.map((d) => `${d.status} ${d.decidedAt}`)).size).toBe(1);
    const view = (await api.get<{ decisions: unknown[] }>(`/cases/${caseId}`, 'inv.alice')).body;
    expect(view.decisions).toHaveLength(1);
    const trail = await api.all<{ action: string }>(`/cases/${caseId}/audit`, 'aud.frank');
    expect(trail.filter((e) => e.action === 'gate.data_request.approved')).toHaveLength(1);
  });

  test("a case's start sent again (its first answer lost) is the same start: one execution; another input under its name is refused", async () => {
    const opened = await api.post<{ caseId: string }>('/cases', 'inv.alice', demoCaseBody('LOCAL/26/770001'));
    expect(opened.status).toBe(201);
    const { caseId } = opened.body;
    const [first] = stack.engine.list().filter((e) => e.caseId === caseId);
    expect(await startCaseExecution(caseId, caseId)).toBe(first!.arn);
    expect(stack.engine.list().filter((e) => e.caseId === caseId)).toHaveLength(1);
    await expect(startCaseExecution(caseId, caseId, 'IDENTIFICATION')).rejects.toMatchObject({
      name: 'ExecutionAlreadyExists',
    });
  });
});
