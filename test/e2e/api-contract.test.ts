import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { routes, routeEntries } from '../../functions/routes.js';
import { SEEDED_USERS } from '../../local/auth.js';
import { ApiClient } from '../../local/client.js';
import { demoCaseBody, type CaseView } from '../../local/scenario.js';
import { startStack, type RunningStack } from '../../local/stack.js';

/** The HTTP contract (docs/api.md), route by route, on the local stack. */
let stack: RunningStack;
let api: ApiClient;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(process.cwd(), '.tmp', 'api-'));
  stack = await startStack({ port: 0, dataDir, timeScale: 1 });
  api = new ApiClient(stack.apiUrl);
});
afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const raw = (method: string, path: string, init: { headers?: Record<string, string>; body?: string } = {}) =>
  fetch(`${stack.apiUrl}${path}`, { method, headers: init.headers, body: init.body });
const concrete = (path: string) =>
  path
    .replace('{caseId}', '00000000-0000-4000-8000-000000000000')
    .replace('{approvalId}', '00000000-0000-4000-8000-000000000001')
    .replace('{requestId}', '00000000-0000-4000-8000-000000000002');
const bearer = async (user: string) => ({ authorization: `Bearer ${await api.token(user)}` });

async function expectProblem(res: Response, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  const body = (await res.json()) as {
    type: string;
    title: string;
    status: number;
    detail: string;
    errors?: { path: string; message: string }[];
  };
  expect(body).toMatchObject({
    status,
    title: expect.any(String),
    detail: expect.any(String),
    type: expect.stringMatching(/^https:\/\//),
  });
  expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+|Error:/);
  return body;
}

/**
 * What a refused request could have changed: which cases there are, and what people did on each (the entries of
 * its trail not made by the workflow or Notify). The workflows of cases opened earlier keep moving meanwhile (their
 * stages change, their steps append entries), which no request here could cause: comparing those would race them.
 * Reading a case is itself logged (DPA 2018 s.62); every other entry by a person is a change.
 */
async function snapshot() {
  const cases = (await api.all<{ caseId: string }>('/cases', 'inv.alice')).map((c) => c.caseId).sort();
  const byPeople = await Promise.all(
    cases.map(async (caseId) => {
      const trail = await api.all<{ seq: number; actor: string; action: string }>(
        `/cases/${caseId}/audit`,
        'aud.frank',
      );
      const entries = trail.filter((e) => !['workflow', 'notify'].includes(e.actor) && e.action !== 'case.viewed');
      return `${caseId}: ${entries.map((e) => `${e.seq} ${e.action}`).join(', ')}`;
    }),
  );
  return { cases, byPeople };
}

describe('authentication', () => {
  test('public routes answer without a token', async () => {
    expect(await (await raw('GET', '/health')).json()).toEqual({ status: 'ok' });
    const doc = (await (await raw('GET', '/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    for (const [, r] of routeEntries.filter(([, r]) => !('localOnly' in r)))
      expect(doc.paths[r.path]?.[r.method.toLowerCase()], `${r.method} ${r.path}`).toBeDefined();
    expect(doc.paths['/local/token']).toBeUndefined();
  });

  test.each(routeEntries.filter(([, r]) => r.access !== 'public'))(
    '%s refuses a missing token with 401',
    async (_name, r) => {
      await expectProblem(await raw(r.method, concrete(r.path)), 401);
    },
  );

  test('an idle connection is left for the client to end: the server names no keep-alive timeout', async () => {
    // A server that ends idle connections races a client sending on one (ECONNRESET on a POST): local/server.ts.
    const answer = await new Promise<{ headers: Record<string, unknown>; reused: boolean }>((resolve, reject) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const ask = (then: (h: Record<string, unknown>, reused: boolean) => void) => {
        const req = get(`${stack.apiUrl}/health`, { agent }, (res) => {
          res.resume();
          res.on('end', () => then(res.headers, req.reusedSocket));
        });
        req.on('error', reject);
      };
      // The second asks once the first's socket is back in the agent's pool.
      ask((headers) =>
        setImmediate(() =>
          ask((_, reused) => {
            agent.destroy();
            resolve({ headers, reused });
          }),
        ),
      );
    });
    expect(answer.headers.connection).toBe('keep-alive');
    expect(answer.headers['keep-alive']).toBeUndefined();
    expect(answer.reused).toBe(true);
  });

  test('malformed, wrongly signed, expired, not-yet-valid, alg none and wrong-audience tokens get 401', async () => {
    const user = SEEDED_USERS.find((u) => u.username === 'inv.alice')!;
    const now = Math.floor(Date.now() / 1000);
    const claims = stack.identity.claimsFor(user, now);
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const good = await api.token('inv.alice');
    const tokens = {
      garbage: 'not-a-jwt',
      tampered: `${good.split('.')[0]}.${b64({ ...claims, 'custom:rank': 'superintendent' })}.${good.split('.')[2]}`,
      expired: stack.identity.sign({ ...claims, iat: now - 7200, exp: now - 3600 }),
      notYetValid: stack.identity.sign({ ...claims, nbf: now + 3600 }),
      algNone: `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`,
      wrongAudience: stack.identity.sign({ ...claims, aud: 'someone-else' }),
      wrongIssuer: stack.identity.sign({ ...claims, iss: 'https://example.com' }),
      accessToken: stack.identity.sign({ ...claims, token_use: 'access' }),
    };
    for (const [kind, token] of Object.entries(tokens)) {
      const res = await raw('GET', '/cases', { headers: { authorization: `Bearer ${token}` } });
      expect(res.status, kind).toBe(401);
    }
    expect((await raw('GET', '/cases', { headers: { authorization: `Bearer ${good}` } })).status).toBe(200);
  });
});

describe('bad input gets its status and changes nothing', () => {
  test('an invalid case lists every invalid field', async () => {
    const before = await snapshot();
    const body = demoCaseBody('LOCAL/26/123');
    const bad = {
      ...body,
      crimeReference: 'nope',
      offence: 'burglary',
      victim: {
        ...body.victim,
        contact: {
          ...body.victim.contact,
          phone: '07700 900123',
          postalAddress: { lines: ['1 High St'], postcode: 'XYZ' },
        },
      },
      risk: { ...body.risk, sdashYes: 12 },
      accounts: [],
    };
    const res = await raw('POST', '/cases', {
      headers: { ...(await bearer('inv.alice')), 'content-type': 'application/json' },
      body: JSON.stringify(bad),
    });
    const problem = await expectProblem(res, 400);
    expect(problem.errors!.map((e) => e.path).sort()).toEqual(
      [
        'accounts',
        'crimeReference',
        'offence',
        'risk.sdashYes',
        'victim.contact.phone',
        'victim.contact.postalAddress.postcode',
      ].sort(),
    );
    expect(await snapshot()).toEqual(before);
  });

  test('unknown fields, polluting keys, malformed JSON, wrong content type and big bodies are refused', async () => {
    const before = await snapshot();
    const headers = { ...(await bearer('inv.alice')), 'content-type': 'application/json' };
    const body = demoCaseBody('LOCAL/26/124');
    const unknown = await expectProblem(
      await raw('POST', '/cases', { headers, body: JSON.stringify({ ...body, extra: 1 }) }),
      400,
    );
    expect(unknown.errors!.some((e) => e.message.toLowerCase().includes('unrecognized'))).toBe(true);
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const polluted = `{"crimeReference":"LOCAL/26/125","victim":{"${key}":{"admin":true}}}`;
      const p = await expectProblem(await raw('POST', '/cases', { headers, body: polluted }), 400);
      expect(p.errors![0]!.path).toBe(`victim.${key}`);
    }
    await expectProblem(await raw('POST', '/cases', { headers, body: '{"crimeReference":' }), 400);
    await expectProblem(
      await raw('POST', '/cases', {
        headers: { ...headers, 'content-type': 'text/plain' },
        body: JSON.stringify(body),
      }),
      415,
    );
    await expectProblem(
      await raw('POST', '/cases', {
        headers,
        body: JSON.stringify({ ...body, summary: 'x'.repeat(1024 * 1024 + 10) }),
      }),
      413,
    );
    expect(await snapshot()).toEqual(before);
  });

  test('a wrong role gets 403 saying why', async () => {
    const before = await snapshot();
    const res = await raw('POST', '/cases', {
      headers: { ...(await bearer('spoc.sam')), 'content-type': 'application/json' },
      body: JSON.stringify(demoCaseBody('LOCAL/26/126')),
    });
    expect((await expectProblem(res, 403)).detail).toContain('investigator');
    await expectProblem(await raw('GET', '/approvals', { headers: await bearer('inv.alice') }), 403);
    await expectProblem(await raw('GET', '/stats', { headers: await bearer('spoc.sam') }), 403);
    expect(await snapshot()).toEqual(before);
  });

  test('an unknown case is 404; another force’s case is 403', async () => {
    await expectProblem(await raw('GET', concrete('/cases/{caseId}'), { headers: await bearer('inv.alice') }), 404);
    await expectProblem(await raw('GET', '/cases/not a valid id', { headers: await bearer('inv.alice') }), 404);
    const opened = await api.post<{ caseId: string }>('/cases', 'inv.alice', demoCaseBody('LOCAL/26/127'));
    const outsider = stack.identity.sign({
      ...stack.identity.claimsFor(SEEDED_USERS[0]!),
      'custom:force': 'OTHER',
      sub: 'other-force-user',
    });
    const res = await raw('GET', `/cases/${opened.body.caseId}`, { headers: { authorization: `Bearer ${outsider}` } });
    expect((await expectProblem(res, 403)).detail).toContain('another force');
  });

  test('a second open case with the same crime reference is 409', async () => {
    const first = await api.post<{ caseId: string }>('/cases', 'inv.alice', demoCaseBody('LOCAL/26/128'));
    expect(first.status).toBe(201);
    // The workflow has opened the first case's gate (its trail has moved) before the snapshot, so nothing races it.
    await api.until('gate 1 of the first case', async () =>
      (await api.all<{ caseId: string }>('/approvals', 'sgt.bob')).some((a) => a.caseId === first.body.caseId),
    );
    const before = await snapshot();
    const again = await raw('POST', '/cases', {
      headers: { ...(await bearer('inv.ahmed')), 'content-type': 'application/json' },
      body: JSON.stringify(demoCaseBody('LOCAL/26/128')),
    });
    await expectProblem(again, 409);
    expect(await snapshot()).toEqual(before);
  });

  test('a decision on an approval already decided is 409; on own case 403; with a short rationale 400', async () => {
    const opened = await api.post<{ caseId: string }>('/cases', 'ds.grace', demoCaseBody('LOCAL/26/129'));
    expect(opened.status).toBe(201);
    const approval = await api.until('gate 1', async () =>
      (await api.all<{ approvalId: string; caseId: string }>('/approvals', 'sgt.bob')).find(
        (a) => a.caseId === opened.body.caseId,
      ),
    );
    // ds.grace opened it: she never sees it in her queue, and cannot decide it.
    expect(
      (await api.all<{ caseId: string }>('/approvals', 'ds.grace')).some((a) => a.caseId === opened.body.caseId),
    ).toBe(false);
    const auth = {
      route: 'ocda',
      reference: 'OCDA/1',
      dataType: 'entity',
      expiresAt: new Date(Date.now() + 86400_000).toISOString(),
    };
    const own = await raw('POST', `/approvals/${approval.approvalId}/decision`, {
      headers: { ...(await bearer('ds.grace')), 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'approve', rationale: 'looks fine to me', authorisation: auth }),
    });
    expect((await expectProblem(own, 403)).detail).toContain('created');
    const short = await raw('POST', `/approvals/${approval.approvalId}/decision`, {
      headers: { ...(await bearer('sgt.bob')), 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'approve', rationale: 'ok', authorisation: auth }),
    });
    expect((await expectProblem(short, 400)).errors!.map((e) => e.path)).toEqual(['rationale']);
    const noAuth = await raw('POST', `/approvals/${approval.approvalId}/decision`, {
      headers: { ...(await bearer('sgt.bob')), 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'approve', rationale: 'necessary and proportionate' }),
    });
    expect((await expectProblem(noAuth, 400)).errors!.map((e) => e.path)).toEqual(['authorisation']);
    expect(
      (
        await api.post(`/approvals/${approval.approvalId}/decision`, 'sgt.bob', {
          decision: 'approve',
          rationale: 'necessary and proportionate',
          authorisation: auth,
        })
      ).status,
    ).toBe(200);
    // Let the workflow settle where it waits for the SPoC, then try to decide again.
    // (Its trail holds each return task's opening: the last write of each wait.)
    await api.until('platform requests', async () => {
      const v = (await api.get<CaseView>(`/cases/${opened.body.caseId}`, 'inv.alice')).body;
      const disclosures = v.requests.filter((r) => r.kind === 'platform_disclosure').length;
      const waits = (await api.all<{ action: string }>(`/cases/${opened.body.caseId}/audit`, 'aud.frank')).filter(
        (e) => e.action === 'task.REQUEST_RETURN.opened',
      ).length;
      return v.stage === 'PLATFORM_REQUESTS' && disclosures > 0 && waits === disclosures;
    });
    const before = await snapshot();
    const second = await raw('POST', `/approvals/${approval.approvalId}/decision`, {
      headers: { ...(await bearer('sgt.carol')), 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'reject', rationale: 'I would have refused it' }),
    });
    await expectProblem(second, 409);
    const v = (await api.get<CaseView>(`/cases/${opened.body.caseId}`, 'inv.alice')).body;
    expect(v.approvals.find((a) => a.approvalId === approval.approvalId)?.status).toBe('approved');
    expect(await snapshot()).toEqual(before);
  });

  test('identification on a single point is refused with 400', async () => {
    const opened = await api.post<{ caseId: string }>('/cases', 'inv.alice', demoCaseBody('LOCAL/26/130'));
    const res = await raw('POST', `/cases/${opened.body.caseId}/identification`, {
      headers: { ...(await bearer('inv.alice')), 'content-type': 'application/json' },
      body: JSON.stringify({
        suspect: { name: 'X Y', aliases: [] },
        points: [{ requestId: 'abcdef12', kind: 'email', detail: 'one point' }],
        rationale: 'only one source here',
      }),
    });
    await expectProblem(res, 400);
  });

  test('unknown routes are 404 and wrong methods 405, as problem details', async () => {
    await expectProblem(await raw('GET', '/nothing-here'), 404);
    const res = await raw('DELETE', '/cases');
    await expectProblem(res, 405);
    expect(res.headers.get('allow')).toContain('POST');
  });

  test('every route of docs/api.md is in the route table', () => {
    const table = routeEntries.map(([, r]) => `${r.method} ${r.path}`).sort();
    expect(table).toEqual(
      [
        'GET /health',
        'GET /openapi.json',
        'POST /cases',
        'GET /cases',
        'GET /cases/{caseId}',
        'GET /approvals',
        'POST /approvals/{approvalId}/decision',
        'GET /cases/{caseId}/requests',
        'GET /cases/{caseId}/requests/{requestId}/document.pdf',
        'POST /cases/{caseId}/requests/{requestId}/return',
        'GET /cases/{caseId}/requests/{requestId}/ip-events',
        'POST /cases/{caseId}/requests/{requestId}/isp-requests',
        'POST /cases/{caseId}/identification',
        'POST /cases/{caseId}/arrest',
        'POST /cases/{caseId}/disclosure-proposal',
        'POST /cases/{caseId}/contact-verification',
        'POST /cases/{caseId}/disclosure/delivered',
        'GET /cases/{caseId}/disclosure/letter.pdf',
        'GET /cases/{caseId}/audit',
        'GET /cases/{caseId}/audit/verify',
        'GET /stats',
        'POST /callbacks/notify',
        'POST /local/token',
        'POST /cases/{caseId}/victim-update',
        'POST /cases/{caseId}/protection-order',
        'POST /cases/{caseId}/protection-order/notification',
        'POST /cases/{caseId}/prison-contact/confirmed',
        'POST /cases/{caseId}/referrals',
        'POST /cases/{caseId}/close',
        // Issue 8: the dead-letter queue a supervisor works.
        'GET /faults',
        'POST /cases/{caseId}/faults/{faultId}/retry',
        // Contract v2: the SPoC's queue across the force, and the case's timeline, each a list of pages.
        'GET /requests',
        'GET /cases/{caseId}/timeline',
        // Issue 14: who viewed a case, from the consultation log (views are not entries of the trail).
        'GET /cases/{caseId}/views',
        // Contract v2: the case owner.
        'POST /cases/{caseId}/owner',
        // Contract v2: closing without a suspect.
        'POST /cases/{caseId}/closure-proposal',
        // Contract v2: the victim's contact and choices.
        'POST /cases/{caseId}/victim-choice',
        'PUT /cases/{caseId}/victim/contact',
      ].sort(),
    );
    expect(routes.localToken.localOnly).toBe(true);
  });
});
