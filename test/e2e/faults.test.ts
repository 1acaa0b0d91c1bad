import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.js';

/**
 * A step that fails for good parks its case for a supervisor: GET /faults
 * shows it to supervisors of the force, the case shows WORKFLOW_FAULT, one
 * retry (with a rationale) runs the step again, a second answer is a 409, and
 * the trail holds both. Unanswered, it goes one rank up.
 */
let t: TestStack;
beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  t = await startTestStack('faults-', { timeScale: 3600, faults: { functionTimeoutMs: 300 } });
});
afterAll(async () => {
  await t?.stop();
});

type Fault = { faultId: string; caseId: string; state: string; error: string; requiredRank: string; status: string };
const faultsFor = async (user: string) => ({ body: await t.api.all<Fault>('/faults', user) });
const parked = (caseId: string, state: string, user = 'sgt.bob') =>
  t.api.until(`a fault at ${state}`, async () =>
    ((await faultsFor(user)).body as Fault[]).find((f) => f.caseId === caseId && f.state === state),
  );
const retry = (f: Fault, user: string) =>
  t.api.post(`/cases/${f.caseId}/faults/${f.faultId}/retry`, user, {
    rationale: 'the cause was dealt with; run it again',
  });

describe('a step that fails for good', () => {
  test.each(['throw', 'after'] as const)(
    '(%s) parks the case; one retry by a supervisor runs it again and the case goes on',
    async (mode) => {
      const c = await t.journey.atIdentification();
      t.stack.faults!.inject({
        kind: 'workflow',
        handler: 'openApproval',
        state: 'AwaitIdentificationApproval',
        caseId: c.caseId,
        mode,
        error: 'InjectedBug',
        times: 1,
      });
      await t.journey.propose(c);
      const fault = await parked(c.caseId, 'AwaitIdentificationApproval');
      expect(fault).toMatchObject({ error: 'InjectedBug', requiredRank: 'sergeant', status: 'open' });
      expect((await t.journey.view(c.caseId)).openTasks.map((o) => o.task)).toContain('WORKFLOW_FAULT');
      expect((await t.api.get('/faults', 'inv.alice')).status).toBe(403);
      expect((await retry(fault, 'inv.alice')).status).toBe(403);

      expect((await retry(fault, 'sgt.bob')).status).toBe(202);
      expect((await retry(fault, 'sgt.carol')).status).toBe(409);
      const approval = await t.journey.approvalFor('sgt.carol', c.caseId, 'identification');
      expect((await t.journey.decide('sgt.carol', approval.approvalId, 'approve')).status).toBe(200);
      await t.journey.atStage(c.caseId, 'DISCLOSURE_DECISION');
      const v = await t.journey.view(c.caseId);
      expect(v.openTasks.map((o) => o.task)).not.toContain('WORKFLOW_FAULT');
      expect(v.approvals.filter((a) => a.gate === 'identification' && a.status === 'approved')).toHaveLength(1);
      const trail = await t.api.all<{ action: string; ids: Record<string, string> }>(
        `/cases/${c.caseId}/audit`,
        'aud.frank',
      );
      expect(trail.filter((e) => e.action === 'workflow.fault.opened' && e.ids.faultId === fault.faultId)).toHaveLength(
        1,
      );
      expect(
        trail.filter((e) => e.action === 'workflow.fault.retried' && e.ids.faultId === fault.faultId),
      ).toHaveLength(1);
      expect(t.stack.engine.list().filter((e) => e.caseId === c.caseId && e.status === 'FAILED')).toEqual([]);
    },
    90_000,
  );

  test('unanswered, it goes one rank up: the sergeant no longer sees it, an inspector does', async () => {
    const c = await t.journey.atIdentification();
    t.stack.faults!.inject({
      kind: 'workflow',
      handler: 'openApproval',
      state: 'AwaitIdentificationApproval',
      caseId: c.caseId,
      mode: 'throw',
      error: 'InjectedBug',
      times: 1,
    });
    await t.journey.propose(c);
    const fault = await parked(c.caseId, 'AwaitIdentificationApproval');
    // Four hours at ×3600 is four seconds.
    await t.api.until(
      'the fault at inspector',
      async () =>
        ((await faultsFor('insp.dave')).body as Fault[]).find(
          (f) => f.faultId === fault.faultId && f.requiredRank !== 'sergeant',
        ),
      20_000,
    );
    expect(((await faultsFor('sgt.bob')).body as Fault[]).some((f) => f.faultId === fault.faultId)).toBe(false);
    expect((await retry(fault, 'sgt.bob')).status).toBe(403);
    expect((await retry(fault, 'supt.erin')).status).toBe(202);
    await t.journey.approvalFor('sgt.carol', c.caseId, 'identification');
    const trail = (await t.api.all<{ action: string }>(`/cases/${c.caseId}/audit`, 'aud.frank')).map((e) => e.action);
    expect(trail).toContain('workflow.fault.escalated');
  });
});

describe('a store that throttles beyond the SDK’s own retries', () => {
  test('the API answers 503 problem details with Retry-After and changes nothing; the workflow retries and goes on', async () => {
    const before = (await t.api.all<unknown>('/cases', 'inv.alice')).length;
    t.stack.faults!.throttleStore({ count: 40 });
    const r = await t.api.get('/cases', 'inv.alice');
    t.stack.faults!.throttleStore(undefined);
    expect(r.status).toBe(503);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(r.headers.get('retry-after')).toBe('1');
    expect(await t.api.all<unknown>('/cases', 'inv.alice')).toHaveLength(before);

    const c = await t.journey.atIdentification();
    // The next 24 writes throttled: the investigator sends the proposal again after a 503, as the problem says;
    // the workflow's steps meet the rest, fail as TransientError, and are retried until the store answers.
    const throttledBefore = t.stack.faults!.throttled.count;
    t.stack.faults!.throttleStore({ count: 24, operations: ['PutItem', 'UpdateItem'] });
    const body = {
      suspect: { name: 'John Smith', aliases: [] },
      points: [
        { requestId: c.platform, kind: 'email', detail: 'platform subscriber' },
        { requestId: c.isp, kind: 'ip_resolution', detail: 'ISP subscriber' },
      ],
      rationale: 'two sources agree on the person',
    };
    const answers: number[] = [];
    for (let i = 0; i < 30 && answers.at(-1) !== 202; i++)
      answers.push((await t.api.post(`/cases/${c.caseId}/identification`, 'inv.alice', body)).status);
    expect(answers.at(-1)).toBe(202);
    expect(new Set(answers.slice(0, -1))).toEqual(new Set(answers.length > 1 ? [503] : []));
    await t.journey.approvalFor('sgt.carol', c.caseId, 'identification');
    expect(t.stack.faults!.throttled.count - throttledBefore).toBe(24);
    expect((await t.journey.view(c.caseId)).faults).toEqual([]);
    const proposed = (await t.api.all<{ action: string }>(`/cases/${c.caseId}/audit`, 'aud.frank')).filter(
      (e) => e.action === 'identification.proposed',
    );
    expect(proposed).toHaveLength(1);
  });
});
