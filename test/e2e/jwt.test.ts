import { createHmac, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SEEDED_USERS } from '../../local/auth.js';
import { ApiClient } from '../../local/client.js';
import { demoCaseBody } from '../../local/scenario.js';
import { startStack, type RunningStack } from '../../local/stack.js';

/**
 * Tokens an attacker could bring. The common ones (none, garbage, tampered,
 * expired, not yet valid, alg none, wrong audience or issuer, an access
 * token) are in api-contract.test.ts; these are the signatures of another
 * key, and a good token of another force on this force's case.
 */
let stack: RunningStack;
let api: ApiClient;
let dataDir: string;
let caseId: string;
let approvalId: string;

const b64 = (data: string | Buffer) => Buffer.from(data).toString('base64url');
const alice = SEEDED_USERS.find((u) => u.username === 'inv.alice')!;

beforeAll(async () => {
  dataDir = mkdtempSync(join(process.cwd(), '.tmp', 'jwt-'));
  stack = await startStack({ port: 0, dataDir, timeScale: 1 });
  api = new ApiClient(stack.apiUrl);
  const opened = await api.post<{ caseId: string }>('/cases', 'inv.alice', demoCaseBody('LOCAL/26/880001'));
  expect(opened.status).toBe(201);
  caseId = opened.body.caseId;
  approvalId = (
    await api.until('gate 1', async () =>
      (await api.all<{ approvalId: string; caseId: string }>('/approvals', 'sgt.bob')).find((a) => a.caseId === caseId),
    )
  ).approvalId;
});
afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const get = (path: string, token: string) =>
  fetch(`${stack.apiUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });

describe('a signature by another key is refused with 401', () => {
  const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const signWith = (header: object, claims: object, signer: (input: string) => Buffer) => {
    const input = `${b64(JSON.stringify(header))}.${b64(JSON.stringify(claims))}`;
    return `${input}.${b64(signer(input))}`;
  };

  test.each([
    ['another RSA key, same key id', { alg: 'RS256', typ: 'JWT', kid: 'local-1' }],
    ['another RSA key, its own key id', { alg: 'RS256', typ: 'JWT', kid: 'attacker-1' }],
    ['another RSA key, no key id', { alg: 'RS256', typ: 'JWT' }],
  ])('%s', async (_what, header) => {
    const token = signWith(header, stack.identity.claimsFor(alice), (input) =>
      sign('RSA-SHA256', Buffer.from(input), stranger),
    );
    for (const path of ['/cases', `/cases/${caseId}`, '/stats'])
      expect((await get(path, token)).status, path).toBe(401);
  });

  test('HS256 signed with the public key as the HMAC secret (key confusion)', async () => {
    const pem = createPublicKey(readFileSync(join(dataDir, 'local-signing-key.pem'))).export({
      type: 'spki',
      format: 'pem',
    });
    const token = signWith({ alg: 'HS256', typ: 'JWT', kid: 'local-1' }, stack.identity.claimsFor(alice), (input) =>
      createHmac('sha256', pem).update(input).digest(),
    );
    expect((await get('/cases', token)).status).toBe(401);
  });

  test('the real key’s signature over other claims (a signature moved onto a changed payload)', async () => {
    const good = stack.identity.tokenFor('inv.alice')!;
    const [header, , signature] = good.split('.');
    const promoted = `${header}.${b64(JSON.stringify({ ...stack.identity.claimsFor(alice), 'cognito:groups': ['supervisor'], 'custom:rank': 'superintendent' }))}.${signature}`;
    expect((await get('/approvals', promoted)).status).toBe(401);
    expect((await get('/approvals', good)).status).toBe(403);
  });

  test.each(['none', 'None', 'NONE', 'nOnE'])('alg %s, with or without a signature', async (alg) => {
    const unsigned = `${b64(JSON.stringify({ alg, typ: 'JWT' }))}.${b64(JSON.stringify(stack.identity.claimsFor(alice)))}`;
    expect((await get('/cases', `${unsigned}.`)).status).toBe(401);
    expect((await get('/cases', `${unsigned}.${b64('x')}`)).status).toBe(401);
  });
});

describe('a good token of another force, on this force’s case', () => {
  /** Signed by the right key, every role and the top rank, even the same subject as a user here: only the force differs. */
  const outsider = () =>
    stack.identity.sign({
      ...stack.identity.claimsFor(alice),
      'cognito:groups': ['investigator', 'spoc', 'supervisor', 'auditor'],
      'custom:rank': 'superintendent',
      'custom:force': 'WYP',
    });

  test('is refused with 403 on the case routes, saying why, and sees none of its cases in lists', async () => {
    const token = outsider();
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const earlier = new Date(Date.now() - 3600_000).toISOString();
    const calls: [string, string, unknown?][] = [
      ['GET', `/cases/${caseId}`],
      ['GET', `/cases/${caseId}/requests`],
      ['GET', `/cases/${caseId}/requests/${approvalId}/document.pdf`],
      ['GET', `/cases/${caseId}/audit`],
      ['GET', `/cases/${caseId}/audit/verify`],
      ['GET', `/cases/${caseId}/disclosure/letter.pdf`],
      [
        'POST',
        `/approvals/${approvalId}/decision`,
        {
          decision: 'approve',
          rationale: 'approved from another force',
          authorisation: {
            route: 'ocda',
            reference: 'X/1',
            dataType: 'entity',
            expiresAt: new Date(Date.now() + 86400_000).toISOString(),
          },
        },
      ],
      ['POST', `/cases/${caseId}/requests/${approvalId}/return`, { receivedAt: earlier }],
      [
        'POST',
        `/cases/${caseId}/identification`,
        {
          suspect: { name: 'Some One', aliases: [] },
          points: [
            { requestId: 'abcdef12', kind: 'email', detail: 'x' },
            { requestId: 'abcdef13', kind: 'email', detail: 'y' },
          ],
          rationale: 'from another force',
        },
      ],
      ['POST', `/cases/${caseId}/arrest`, { outcome: 'arrested', at: earlier }],
      ['POST', `/cases/${caseId}/disclosure-proposal`, { action: 'disclose', rationale: 'from another force' }],
      ['POST', `/cases/${caseId}/contact-verification`, { channel: 'sms', verified: true, note: 'from another force' }],
      ['POST', `/cases/${caseId}/disclosure/delivered`, { at: earlier, note: 'from another force' }],
    ];
    for (const [method, path, body] of calls) {
      const res = await fetch(`${stack.apiUrl}${path}`, {
        method,
        headers,
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(((await res.json()) as { detail: string }).detail).toContain('another force');
    }
    expect(((await (await get('/cases', token)).json()) as { items: unknown[] }).items.length).toBe(0);
    expect(((await (await get('/approvals', token)).json()) as { items: unknown[] }).items.length).toBe(0);
    // Nothing moved: the approval is still pending, the contact not verified.
    const view = (
      await api.get<{
        stage: string;
        approvals: { approvalId: string; status: string }[];
        contactVerified: { sms: boolean };
      }>(`/cases/${caseId}`, 'inv.alice')
    ).body;
    expect(view.stage).toBe('DATA_REQUEST_APPROVAL');
    expect(view.approvals.find((a) => a.approvalId === approvalId)?.status).toBe('pending');
    expect(view.contactVerified.sms).toBe(false);
    // Each refusal is on this case's trail, as "other_force".
    const trail = (
      await api.all<{ action: string; ids: Record<string, string> }>(`/cases/${caseId}/audit`, 'aud.frank')
    ).filter((e) => e.action === 'access.refused');
    expect(trail).toHaveLength(calls.length);
    expect(new Set(trail.map((e) => e.ids.reason))).toEqual(new Set(['other_force']));
  });
});
