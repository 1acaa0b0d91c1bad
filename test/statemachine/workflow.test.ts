import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ApiClient } from '../../local/client.js';
import { runDemoCase, WORKFLOW_INVOCATIONS_LIMIT } from '../../local/scenario.js';
import { authorisation, type Journey, uniqueReference } from '../support/journey.js';
import { startTestStack, type TestStack } from '../support/stack.js';

/**
 * The workflow on the local engine, driven by people over the API: the happy
 * path, a rejection at each gate, a missed deadline escalating. Time runs
 * 3,600 times fast, so a 24-hour gate is due in 24 seconds: long enough that
 * the people of the other tests decide before it escalates on a busy machine
 * (at 43,200, 2 seconds, a slow decision met a 410), and the escalation test
 * waits those 24 seconds.
 */
const TIME_SCALE = 3_600;
let local: TestStack;
let api: ApiClient;
let journey: Journey;

beforeAll(async () => {
  local = await startTestStack('wf-', { timeScale: TIME_SCALE });
  ({ api, journey } = local);
});
afterAll(() => local?.stop());

const ref = uniqueReference;
const view = (caseId: string) => journey.view(caseId);
const atStage = (caseId: string, stage: string) => journey.atStage(caseId, stage);
const approvalFor = (user: string, caseId: string, gate: string) => journey.approvalFor(user, caseId, gate);
const decide = (user: string, approvalId: string, decision: 'approve' | 'reject', extra: object = {}) =>
  journey.decide(user, approvalId, decision, extra);
const openCase = () => journey.openCase();
const caseAtIdentification = () => journey.atIdentification();
const propose = (c: { caseId: string; platform: string; isp: string }) => journey.propose(c);
const caseAtDisclosureDecision = () => journey.atDisclosureDecision();

describe('the disclosure workflow on the local engine', () => {
  test('runs the whole case from opening to close, in at most 25 workflow Lambda invocations', async () => {
    const closed = await runDemoCase(api, { crimeReference: ref() });
    expect(closed.stage).toBe('CLOSED');
    // Issue 18: steps that always run together run in one invocation (the arrest track plans and waits in one).
    expect(local.stack.engine.workflowInvocationsOf(closed.caseId)).toBeLessThanOrEqual(WORKFLOW_INVOCATIONS_LIMIT);
    expect(closed.notifications.map((x) => x.channel).sort()).toEqual(['letter', 'sms', 'sms']);
    expect(closed.disclosure?.letterSha256).toMatch(/^[0-9a-f]{64}$/);
    const verify = await api.get<{ valid: boolean; entries: number }>(
      `/cases/${closed.caseId}/audit/verify`,
      'aud.frank',
    );
    expect(verify.body.valid).toBe(true);
    expect(verify.body.entries).toBeGreaterThan(20);
  });

  test('a rejected data request ends the case', async () => {
    const caseId = await openCase();
    const a = await approvalFor('sgt.bob', caseId, 'data_request');
    expect((await decide('sgt.bob', a.approvalId, 'reject')).status).toBe(200);
    expect((await atStage(caseId, 'REJECTED')).stage).toBe('REJECTED');
    // The decision is made once: a second answer is a conflict and changes nothing.
    expect((await decide('sgt.carol', a.approvalId, 'approve', { authorisation: authorisation() })).status).toBe(409);
    expect((await view(caseId)).stage).toBe('REJECTED');
  });

  test('a rejected identification returns the case to IDENTIFICATION for a new proposal', async () => {
    const c = await caseAtIdentification();
    await propose(c);
    const a = await approvalFor('sgt.carol', c.caseId, 'identification');
    expect((await decide('sgt.carol', a.approvalId, 'reject')).status).toBe(200);
    await atStage(c.caseId, 'IDENTIFICATION');
    await propose(c);
    const again = await approvalFor('sgt.carol', c.caseId, 'identification');
    expect(again.approvalId).not.toBe(a.approvalId);
  });

  test('a rejected disclosure returns the case to the decision', async () => {
    const caseId = await caseAtDisclosureDecision();
    expect(
      (
        await api.post(`/cases/${caseId}/disclosure-proposal`, 'inv.alice', {
          action: 'disclose',
          rationale: 'the presumption applies',
        })
      ).status,
    ).toBe(202);
    const a = await approvalFor('insp.dave', caseId, 'disclosure');
    expect((await decide('insp.dave', a.approvalId, 'reject')).status).toBe(200);
    const back = await atStage(caseId, 'DISCLOSURE_DECISION');
    expect(back.openTasks.map((t) => t.task)).toContain('DISCLOSURE_PROPOSAL');
  });

  test('a rejected delay returns the case to the decision', async () => {
    const caseId = await caseAtDisclosureDecision();
    const r = await api.post(`/cases/${caseId}/disclosure-proposal`, 'inv.alice', {
      action: 'delay',
      ground: 'prejudice_investigation',
      reviewInDays: 7,
      rationale: 'arrest planned this week',
    });
    expect(r.status).toBe(202);
    const a = await approvalFor('supt.erin', caseId, 'delay');
    expect((await decide('supt.erin', a.approvalId, 'reject')).status).toBe(200);
    await atStage(caseId, 'DISCLOSURE_DECISION');
  });

  test('each wait has a token of its own: a late answer to an earlier wait is refused and moves nothing', async () => {
    const c = await caseAtIdentification();
    const engine = local.stack.engine;
    const waitAt = (state: string) =>
      api.until(`a wait at ${state}`, async () => engine.waitsOf(c.caseId).find((w) => w.state === state));
    const proposal = await waitAt('AwaitIdentificationProposal');
    await propose(c);
    const gate = await waitAt('AwaitIdentificationApproval');
    expect(gate.token).not.toBe(proposal.token);
    // The proposal's wait is over: its token answers TaskTimedOut, as in AWS, and the gate still waits.
    expect(() => engine.sendTaskSuccess(proposal.token, JSON.stringify({ retry: true }))).toThrow(
      expect.objectContaining({ name: 'TaskTimedOut' }),
    );
    expect(engine.waitsOf(c.caseId).map((w) => w.state)).toContain('AwaitIdentificationApproval');
    const a = await approvalFor('sgt.carol', c.caseId, 'identification');
    expect((await decide('sgt.carol', a.approvalId, 'approve')).status).toBe(200);
    await atStage(c.caseId, 'DISCLOSURE_DECISION');
    expect(engine.describe(c.caseId)?.status).toBe('RUNNING');
  });
});

/** The escalations wait out a gate's 24 seconds each: side by side, they wait them once. */
describe.concurrent('a gate not decided by its due time', () => {
  test('escalates one rank up; the old approval answers 410', async () => {
    const caseId = await openCase();
    const first = await approvalFor('sgt.bob', caseId, 'data_request');
    expect(first.requiredRank).toBe('sergeant');
    const escalated = await approvalFor('insp.dave', caseId, 'data_request').then(async (a) =>
      a.approvalId === first.approvalId ? undefined : a,
    );
    const next =
      escalated ??
      (await api.until('escalation', async () => {
        const a = await approvalFor('insp.dave', caseId, 'data_request');
        return a.approvalId !== first.approvalId ? a : undefined;
      }));
    expect(next.requiredRank).toBe('inspector');
    expect((await decide('insp.dave', next.approvalId, 'approve', { authorisation: authorisation() })).status).toBe(
      200,
    );
    expect((await decide('sgt.bob', first.approvalId, 'approve', { authorisation: authorisation() })).status).toBe(410);
    await atStage(caseId, 'PLATFORM_REQUESTS');
  });

  test("the closure gate escalates as the others do: an inspector decides it, the sergeant's approval answers 410", async () => {
    const caseId = await openCase();
    const gate1 = await approvalFor('sgt.bob', caseId, 'data_request');
    expect((await decide('sgt.bob', gate1.approvalId, 'approve', { authorisation: authorisation() })).status).toBe(200);
    await atStage(caseId, 'PLATFORM_REQUESTS');
    await journey.verifyContact(caseId);
    const proposed = await api.post(`/cases/${caseId}/closure-proposal`, 'inv.alice', {
      reason: 'no_suspect_identified',
      rationale: 'The platform holds no subscriber data and the ISP records have lapsed.',
    });
    expect(proposed.status).toBe(202);
    const first = await approvalFor('sgt.carol', caseId, 'closure');
    expect(first.requiredRank).toBe('sergeant');
    const next = await api.until('the closure gate escalated', async () => {
      const a = await approvalFor('insp.dave', caseId, 'closure');
      return a.approvalId !== first.approvalId ? a : undefined;
    });
    expect(next.requiredRank).toBe('inspector');
    expect((await decide('insp.dave', next.approvalId, 'approve')).status).toBe(200);
    expect((await decide('sgt.carol', first.approvalId, 'approve')).status).toBe(410);
    const closed = (await atStage(caseId, 'CLOSED')) as { closure?: { reason: string; decidedBy: { sub: string } } };
    expect(closed.closure).toMatchObject({ reason: 'no_suspect_identified', decidedBy: { sub: 'local-insp.dave' } });
  });
});
