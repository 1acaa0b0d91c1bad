import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ApiClient } from '../../local/client.js';
import { demoCaseBody, runDemoCase, type CaseView } from '../../local/scenario.js';
import { startStack, type RunningStack } from '../../local/stack.js';

/**
 * The workflow on the local engine, driven by people over the API: the happy
 * path, a rejection at each gate, a missed deadline escalating. Time runs
 * 43,200 times fast, so a 24-hour gate is due in 2 seconds.
 */
const TIME_SCALE = 43_200;
let stack: RunningStack;
let api: ApiClient;
let dataDir: string;
let n = 0;

beforeAll(async () => {
  dataDir = mkdtempSync(join(process.cwd(), '.tmp', 'wf-'));
  stack = await startStack({ port: 0, dataDir, timeScale: TIME_SCALE });
  api = new ApiClient(stack.apiUrl);
});
afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const ref = () => `LOCAL/26/${String(Date.now()).slice(-6)}${n++}`;
const view = async (caseId: string) => (await api.get<CaseView>(`/cases/${caseId}`, 'inv.alice')).body;
const atStage = (caseId: string, stage: string) => api.until(`stage ${stage}`, async () => ((await view(caseId)).stage === stage ? view(caseId) : undefined));
const approvalFor = (user: string, caseId: string, gate: string) =>
  api.until(`${gate} approval for ${user}`, async () =>
    (await api.get<{ approvalId: string; caseId: string; gate: string; requiredRank: string }[]>('/approvals', user)).body.find((a) => a.caseId === caseId && a.gate === gate),
  );
const decide = (user: string, approvalId: string, decision: 'approve' | 'reject', extra: object = {}) =>
  api.post(`/approvals/${approvalId}/decision`, user, { decision, rationale: `${decision} after reading the evidence`, ...extra });
const authorisation = () => ({ route: 'ocda', reference: 'OCDA/TEST/1', dataType: 'entity', expiresAt: new Date(Date.now() + 10 * 86400_000).toISOString() });

async function openCase() {
  const r = await api.post<{ caseId: string }>('/cases', 'inv.alice', demoCaseBody(ref()));
  expect(r.status).toBe(201);
  return r.body.caseId;
}

/** Through gate 1 and both returns, to a case waiting for its suspect to be proposed. */
async function caseAtIdentification() {
  const caseId = await openCase();
  expect((await decide('sgt.bob', (await approvalFor('sgt.bob', caseId, 'data_request')).approvalId, 'approve', { authorisation: authorisation() })).status).toBe(200);
  const requests = () => api.get<CaseView['requests']>(`/cases/${caseId}/requests`, 'spoc.sam').then((r) => r.body);
  const platform = await api.until('platform request', async () => (await requests()).find((r) => r.kind === 'platform_disclosure'));
  await api.post(`/cases/${caseId}/requests/${platform.requestId}/return`, 'spoc.sam', {
    receivedAt: new Date().toISOString(),
    subscriber: { name: 'John Smith', emails: ['j@example.com'], phones: [] },
    ipEvents: [{ ip: '203.0.113.9', port: 4000, at: '2026-10-01T10:00:00Z', kind: 'login' }],
  });
  const isp = await api.until('ISP request', async () => (await requests()).find((r) => r.kind === 'isp_resolution'));
  await api.post(`/cases/${caseId}/requests/${isp.requestId}/return`, 'spoc.sam', { receivedAt: new Date().toISOString(), subscriber: { name: 'John Smith' } });
  await atStage(caseId, 'IDENTIFICATION');
  return { caseId, platform: platform.requestId, isp: isp.requestId };
}

async function propose(c: { caseId: string; platform: string; isp: string }) {
  const r = await api.post(`/cases/${c.caseId}/identification`, 'inv.alice', {
    suspect: { name: 'John Smith', aliases: [] },
    points: [
      { requestId: c.platform, kind: 'email', detail: 'platform subscriber' },
      { requestId: c.isp, kind: 'ip_resolution', detail: 'ISP subscriber' },
    ],
    rationale: 'two sources agree on the person',
  });
  expect(r.status).toBe(202);
}

async function caseAtDisclosureDecision() {
  const c = await caseAtIdentification();
  await propose(c);
  expect((await decide('sgt.carol', (await approvalFor('sgt.carol', c.caseId, 'identification')).approvalId, 'approve')).status).toBe(200);
  await atStage(c.caseId, 'DISCLOSURE_DECISION');
  return c.caseId;
}

describe('the disclosure workflow on the local engine', () => {
  test('runs the whole case from opening to close', async () => {
    const closed = await runDemoCase(api, { crimeReference: ref() });
    expect(closed.stage).toBe('CLOSED');
    expect(closed.notifications.map((x) => x.channel).sort()).toEqual(['letter', 'sms', 'sms']);
    expect(closed.disclosure?.letterSha256).toMatch(/^[0-9a-f]{64}$/);
    const verify = await api.get<{ valid: boolean; entries: number }>(`/cases/${closed.caseId}/audit/verify`, 'aud.frank');
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
    expect((await api.post(`/cases/${caseId}/disclosure-proposal`, 'inv.alice', { action: 'disclose', rationale: 'the presumption applies' })).status).toBe(202);
    const a = await approvalFor('insp.dave', caseId, 'disclosure');
    expect((await decide('insp.dave', a.approvalId, 'reject')).status).toBe(200);
    const back = await atStage(caseId, 'DISCLOSURE_DECISION');
    expect(back.openTasks.map((t) => t.task)).toContain('DISCLOSURE_PROPOSAL');
  });

  test('a rejected delay returns the case to the decision', async () => {
    const caseId = await caseAtDisclosureDecision();
    const r = await api.post(`/cases/${caseId}/disclosure-proposal`, 'inv.alice', { action: 'delay', ground: 'prejudice_investigation', reviewInDays: 7, rationale: 'arrest planned this week' });
    expect(r.status).toBe(202);
    const a = await approvalFor('supt.erin', caseId, 'delay');
    expect((await decide('supt.erin', a.approvalId, 'reject')).status).toBe(200);
    await atStage(caseId, 'DISCLOSURE_DECISION');
  });

  test('a gate not decided by its due time escalates one rank up; the old approval answers 410', async () => {
    const caseId = await openCase();
    const first = await approvalFor('sgt.bob', caseId, 'data_request');
    expect(first.requiredRank).toBe('sergeant');
    const escalated = await approvalFor('insp.dave', caseId, 'data_request').then(async (a) => (a.approvalId === first.approvalId ? undefined : a));
    const next = escalated ?? (await api.until('escalation', async () => {
      const a = await approvalFor('insp.dave', caseId, 'data_request');
      return a.approvalId !== first.approvalId ? a : undefined;
    }));
    expect(next.requiredRank).toBe('inspector');
    expect((await decide('insp.dave', next.approvalId, 'approve', { authorisation: authorisation() })).status).toBe(200);
    expect((await decide('sgt.bob', first.approvalId, 'approve', { authorisation: authorisation() })).status).toBe(410);
    await atStage(caseId, 'PLATFORM_REQUESTS');
  });
});
