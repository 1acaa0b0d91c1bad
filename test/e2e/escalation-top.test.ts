import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SEEDED_USERS } from '../../local/auth.js';
import type { ApiClient } from '../../local/client.js';
import { demoCaseBody, type CaseView } from '../../local/scenario.js';
import type { RunningStack } from '../../local/stack.js';
import type { Journey } from '../support/journey.js';
import { startTestStack, type TestStack } from '../support/stack.js';

/**
 * A missed deadline at the top: the delay gate is decided by a
 * superintendent, and there is no rank above. Past its due time the approval
 * stays (no 410), shows overdue, and every superintendent of the force sees
 * it. Time runs 43,200 times fast: a gate's 24 hours pass in 2 seconds.
 */
const TIME_SCALE = 43_200;
const GATE_SECONDS_SCALED = (24 * 3600) / TIME_SCALE;
let local: TestStack;
let stack: RunningStack;
let api: ApiClient;
let journey: Journey;
let secondSuperintendent: string;

interface Pending {
  approvalId: string;
  caseId: string;
  gate: string;
  requiredRank: string;
  overdue: boolean;
  dueAt: string;
}

beforeAll(async () => {
  local = await startTestStack('esc-', { timeScale: TIME_SCALE });
  ({ stack, api, journey } = local);
  const erin = SEEDED_USERS.find((u) => u.username === 'supt.erin')!;
  secondSuperintendent = stack.identity.sign({
    ...stack.identity.claimsFor(erin),
    sub: 'local-supt.second',
    'cognito:username': 'supt.second',
    name: 'Supt Second',
  });
});
afterAll(() => local?.stop());

const view = async (caseId: string) => (await api.get<CaseView>(`/cases/${caseId}`, 'inv.alice')).body;
const pendingFor = async (bearer: string, caseId: string, gate: string) => {
  const res = await fetch(`${stack.apiUrl}/approvals`, { headers: { authorization: `Bearer ${bearer}` } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: Pending[] }).items.find((a) => a.caseId === caseId && a.gate === gate);
};

/**
 * Decide whichever approval of the gate is current. At this time scale an
 * earlier gate may escalate while it is being decided: a 410 means try the
 * one that replaced it. supt.erin outranks every gate's rank.
 */
async function decideCurrent(caseId: string, gate: string, extra: object = {}) {
  for (let attempt = 0; attempt < 10; attempt++) {
    const a = await api.until(`${gate} approval`, async () =>
      (await api.all<Pending>('/approvals', 'supt.erin')).find((x) => x.caseId === caseId && x.gate === gate),
    );
    const r = await api.post(`/approvals/${a.approvalId}/decision`, 'supt.erin', {
      decision: 'approve',
      rationale: `${gate} approved on the evidence`,
      ...extra,
    });
    if (r.status === 200) return;
    expect(r.status, JSON.stringify(r.body)).toBe(410);
  }
  throw new Error(`could not decide ${gate}`);
}

async function aCaseAwaitingTheDelayGate(): Promise<string> {
  const opened = await api.post<{ caseId: string }>('/cases', 'inv.alice', demoCaseBody('LOCAL/26/440001'));
  expect(opened.status).toBe(201);
  const caseId = opened.body.caseId;
  await decideCurrent(caseId, 'data_request', {
    authorisation: {
      route: 'ocda',
      reference: 'OCDA/ESC/1',
      dataType: 'entity',
      expiresAt: new Date(Date.now() + 10 * 86400_000).toISOString(),
    },
  });
  await journey.propose(await journey.returnsUploaded(caseId));
  await decideCurrent(caseId, 'identification');
  await api.until('DISCLOSURE_DECISION', async () => (await view(caseId)).stage === 'DISCLOSURE_DECISION');
  const delay = await api.post(`/cases/${caseId}/disclosure-proposal`, 'inv.alice', {
    action: 'delay',
    ground: 'prejudice_investigation',
    reviewInDays: 7,
    rationale: 'an arrest is planned this week',
  });
  expect(delay.status).toBe(202);
  return caseId;
}

describe('a delay gate past its due time, at superintendent', () => {
  test('stays the same approval, shows overdue to every superintendent, never answers 410, and can still be decided', async () => {
    const caseId = await aCaseAwaitingTheDelayGate();
    const erinToken = await api.token('supt.erin');
    const first = await api.until('the delay approval', () => pendingFor(erinToken, caseId, 'delay'));
    expect(first.requiredRank).toBe('superintendent');

    // Three due periods later it is still the one approval, now overdue.
    await new Promise((r) => setTimeout(r, 3 * GATE_SECONDS_SCALED * 1000 + 500));
    const overdue = await api.until('overdue', async () => {
      const a = await pendingFor(erinToken, caseId, 'delay');
      return a?.overdue ? a : undefined;
    });
    expect(overdue.approvalId).toBe(first.approvalId);
    expect(overdue.requiredRank).toBe('superintendent');

    // Every superintendent of the force sees it, overdue; no one below does.
    const seenBySecond = await pendingFor(secondSuperintendent, caseId, 'delay');
    expect(seenBySecond).toMatchObject({ approvalId: first.approvalId, overdue: true });
    for (const lower of ['insp.dave', 'sgt.bob', 'ds.grace'])
      expect(await pendingFor(await api.token(lower), caseId, 'delay'), lower).toBeUndefined();

    const v = await view(caseId);
    expect(v.stage).toBe('DELAY_APPROVAL');
    expect(v.approvals.filter((a) => a.gate === 'delay').map((a) => [a.approvalId, a.status])).toEqual([
      [first.approvalId, 'pending'],
    ]);
    expect(v.openTasks.find((t) => t.task === 'DELAY_APPROVAL')?.overdue).toBe(true);
    const trail = (await api.all<{ action: string }>(`/cases/${caseId}/audit`, 'aud.frank')).map((e) => e.action);
    expect(trail).toContain('gate.delay.overdue');
    expect(trail).not.toContain('gate.delay.escalated');

    // Overdue is not gone: the second superintendent decides it.
    const decided = await fetch(`${stack.apiUrl}/approvals/${first.approvalId}/decision`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secondSuperintendent}`, 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'approve', rationale: 'delay approved late, the arrest is imminent' }),
    });
    expect(decided.status).toBe(200);
    // The delay is on record (DELAYED lasts 14 s here, so a loaded machine can poll past the stage itself).
    await journey.inTrail(caseId, 'disclosure.delayed');
  });
});
