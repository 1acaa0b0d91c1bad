import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { deriveAuditDigestKey } from '../../functions/adapters/auditKey.js';
import { canonical, keyedDigestOf } from '../../functions/domain/audit.js';
import { DEMO_VICTIM, demoCaseBody, runDemoCase } from '../../local/scenario.js';
import { localAuditDigestKey } from '../../local/task-token-key.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { authorisation, uniqueReference } from '../support/journey.js';
import { pdfText } from '../support/pdf.js';
import { scanAll } from './tables.js';

/**
 * The black-box security probe of issue 17, each finding replayed as the
 * attack it was, against the local stack: every test here would let the
 * attacker through on the code the probe ran against.
 */
let t: TestStack;

beforeAll(async () => {
  // ×3600: the demo case reaches CLOSED in seconds. Authorisations run on the wall clock whatever the scale.
  t = await startTestStack('probe-', { timeScale: 3600 });
});
afterAll(async () => {
  await t?.stop();
});

type Entry = { seq: number; action: string; ids: Record<string, string>; dataDigest?: string; hash: string };
type Problem = { status: number; title: string; detail: string; errors?: { path: string }[] };

const itemsOf = <T>(body: T[] | { items: T[] }) => (Array.isArray(body) ? body : body.items);
const trail = async (caseId: string, as = 'inv.alice') =>
  itemsOf((await t.api.get<Entry[] | { items: Entry[] }>(`/cases/${caseId}/audit`, as)).body);
const requestsOf = async (caseId: string) =>
  itemsOf(
    (
      await t.api.get<{ requestId: string; kind: string }[] | { items: { requestId: string; kind: string }[] }>(
        `/cases/${caseId}/requests`,
        'spoc.sam',
      )
    ).body,
  );
const platformRequest = (caseId: string) =>
  t.api.until('the platform request', async () =>
    (await requestsOf(caseId)).find((r) => r.kind === 'platform_disclosure'),
  );

/** A request as a browser tricked by DNS rebinding sends it: any Host header, straight to the local port. */
function rawRequest(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; type: string; body: string }> {
  const url = new URL(t.stack.apiUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method, path, headers, setHost: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body: text }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Every line written to stdout and stderr while `fn` runs (the handlers' logs and the local server's own). */
async function logsOf(fn: () => Promise<unknown>): Promise<string> {
  const lines: string[] = [];
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const keep =
    (w: typeof out) =>
    (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      lines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return (w as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
    };
  process.stdout.write = keep(out) as typeof process.stdout.write;
  process.stderr.write = keep(err) as typeof process.stderr.write;
  try {
    await fn();
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
  return lines.join('');
}

const exec = promisify(execFile);
const auditCli = (...args: string[]) =>
  exec(join(process.cwd(), 'node_modules/.bin/tsx'), ['local/audit-cli.ts', ...args, '--data', t.dataDir], {
    cwd: process.cwd(),
  }).then(
    (r) => ({ code: 0, stdout: r.stdout }),
    (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
  );

describe('audit digests that gave data away', () => {
  test('the auditor brute-forcing the victim’s phone from the trail, the case and the court export recovers nothing; the force can still check it', async () => {
    const caseId = await t.journey.openCase();
    const made = await t.api.post<{ referralId: string }>(`/cases/${caseId}/referrals`, 'inv.alice', {
      service: 'national_helpline',
      consent: { given: true, recordedAt: new Date().toISOString(), how: 'in_person' },
      shared: ['victim.contact.phone'],
    });
    expect(made.status).toBe(201);

    // As the auditor, who is denied the victim's contact: the entry, its ids and the case's referral record.
    const entry = (await trail(caseId, 'aud.frank')).find((e) => e.action === 'referral.made')!;
    const seen = await t.api.get<{ victim: { contact: Record<string, unknown> }; referrals: Record<string, string>[] }>(
      `/cases/${caseId}`,
      'aud.frank',
    );
    expect(seen.body.victim.contact.phone).toBeUndefined();
    const referral = seen.body.referrals[0]!;
    const consent = { given: true, recordedAt: entry.ids.consentRecordedAt, how: entry.ids.consentHow };
    const asDigested = (phone: string) => ({ consent, shared: { 'victim.contact.phone': phone } });

    // What the probe did: hash every guess the way the trail hashed the data.
    const sha = (data: unknown) => createHash('sha256').update(canonical(data)).digest('hex');
    const guesses = Array.from({ length: 1000 }, (_, i) => `+447700900${String(i).padStart(3, '0')}`);
    expect(guesses).toContain(DEMO_VICTIM.phone);
    const published = [entry.dataDigest, ...Object.values(referral)];
    const found = guesses.filter(
      (g) => published.includes(sha(asDigested(g))) || published.includes(sha({ 'victim.contact.phone': g })),
    );
    expect(found).toEqual([]);

    // The attacker's model of the data is exact: with the force's key the true phone is what the entry concerns.
    const key = deriveAuditDigestKey(localAuditDigestKey(t.dataDir));
    expect(entry.dataDigest).toBe(keyedDigestOf(key, asDigested(DEMO_VICTIM.phone)));
    expect(Object.values(referral)).toContain(keyedDigestOf(key, { 'victim.contact.phone': DEMO_VICTIM.phone }));

    // The court export: no data digests unless asked for.
    expect((await auditCli('export', caseId)).code).toBe(0);
    const exported = JSON.parse(readFileSync(join(t.dataDir, 'exports', `${caseId}-audit.json`), 'utf8')) as {
      dataDigests: string;
      entries: Entry[];
    };
    expect(exported.dataDigests).toBe('withheld');
    expect(exported.entries.length).toBeGreaterThan(1);
    expect(exported.entries.some((e) => 'dataDigest' in e)).toBe(false);
    const exportedText = () => pdfText(readFileSync(join(t.dataDir, 'exports', `${caseId}-audit.pdf`)));
    expect(exportedText()).toContain(entry.hash.slice(0, 32));
    expect(exportedText()).not.toContain(entry.dataDigest!.slice(0, 32));
    expect((await auditCli('export', caseId, '--with-digests')).code).toBe(0);
    const asked = JSON.parse(readFileSync(join(t.dataDir, 'exports', `${caseId}-audit.json`), 'utf8')) as {
      entries: Entry[];
    };
    expect(asked.entries.find((e) => e.seq === entry.seq)!.dataDigest).toBe(entry.dataDigest);
    expect(exportedText()).toContain(entry.dataDigest!.slice(0, 32));

    // The force, holding the key, checks data against the entry; other data does not match.
    const file = join(t.dataDir, 'shared.json');
    writeFileSync(file, JSON.stringify(asDigested(DEMO_VICTIM.phone)));
    const right = await auditCli('check', caseId, String(entry.seq), file);
    expect(right).toMatchObject({ code: 0, stdout: expect.stringMatching(/^MATCH/) });
    writeFileSync(file, JSON.stringify(asDigested('+447700900124')));
    const wrong = await auditCli('check', caseId, String(entry.seq), file);
    expect(wrong).toMatchObject({ code: 1, stdout: expect.stringMatching(/^DIFFERS/) });
    // And the chains still verify.
    expect((await auditCli('verify')).stdout).toMatch(/0 broken/);
  }, 240_000);
});

describe('a decision replayed by the person who made it', () => {
  test('the first data-request approval replayed after a re-authorisation leaves the new one in place; its expired request document is a 409', async () => {
    const caseId = await t.journey.openCase();
    const first = await t.journey.approvalFor('sgt.bob', caseId, 'data_request');
    const expiresAt = new Date(Date.now() + 20_000).toISOString();
    const body = {
      decision: 'approve',
      rationale: 'necessary and proportionate',
      authorisation: { ...authorisation(), expiresAt },
    };
    const answered = await t.api.post<Record<string, string>>(
      `/approvals/${first.approvalId}/decision`,
      'sgt.bob',
      body,
    );
    expect(answered.status).toBe(200);
    const platform = await platformRequest(caseId);
    const document = `/cases/${caseId}/requests/${platform.requestId}/document.pdf`;

    // The authorisation runs out: its document is refused, not printed.
    await t.api.until('the authorisation to expire', async () => Date.now() > Date.parse(expiresAt) + 500, 30_000, 250);
    const expired = await t.api.get<Problem>(document, 'spoc.sam');
    expect(expired.status).toBe(409);
    expect(expired.headers.get('content-type')).toBe('application/problem+json');
    expect(expired.body.detail).toMatch(/authorisation has expired/);

    // The return comes in; the ISP requests need an authorisation: gate 1 again, and a renewal.
    expect(
      (
        await t.api.post(`/cases/${caseId}/requests/${platform.requestId}/return`, 'spoc.sam', {
          receivedAt: new Date().toISOString(),
          subscriber: { name: 'John Smith', emails: ['j@example.com'], phones: [] },
          ipEvents: [{ ip: '203.0.113.9', port: 4000, at: '2026-10-01T10:00:00Z', kind: 'login' }],
        })
      ).status,
    ).toBe(202);
    const renewal = await t.api.until(
      'the re-authorisation',
      async () => {
        const a = await t.journey.approvalFor('sgt.bob', caseId, 'data_request');
        return a.approvalId !== first.approvalId ? a : undefined;
      },
      90_000,
    );
    expect(
      (await t.journey.decide('sgt.bob', renewal.approvalId, 'approve', { authorisation: authorisation() })).status,
    ).toBe(200);
    expect((await t.journey.view(caseId)).authorisation).toMatchObject({ approvalId: renewal.approvalId });
    // Renewed, the same request's document is printed again: the 409 was the expiry's.
    expect((await t.api.get(document, 'spoc.sam')).status).toBe(200);

    // The replay: the stored answer, and the renewal stays.
    const replayed = await t.api.post<Record<string, string>>(
      `/approvals/${first.approvalId}/decision`,
      'sgt.bob',
      body,
    );
    expect(replayed.status).toBe(200);
    expect(replayed.body).toEqual(answered.body);
    expect((await t.journey.view(caseId)).authorisation).toMatchObject({ approvalId: renewal.approvalId });
  }, 240_000);

  test('a replay on a closed case writes nothing (case item and trail unchanged) and returns the stored answer', async () => {
    const closed = await runDemoCase(t.api, { crimeReference: uniqueReference(), timeoutMs: 180_000 });
    expect(closed.stage).toBe('CLOSED');
    const caseId = closed.caseId;
    const decided = (await trail(caseId, 'aud.frank')).find((e) => e.action === 'gate.identification.approved')!;
    const approvalId = decided.ids.approvalId!;
    const raw = async () => ({
      kase: (await scanAll(t.stack.endpoints.dynamodb!, 'cases')).find(
        (i) => i.pk === `CASE#${caseId}` && i.sk === 'CASE',
      ),
      trail: (await scanAll(t.stack.endpoints.dynamodb!, 'audit')).filter((i) => i.caseId === caseId),
    });
    const before = await raw();
    expect(before.kase).toMatchObject({ stage: 'CLOSED' });
    const replayed = await t.api.post<Record<string, string>>(`/approvals/${approvalId}/decision`, 'sgt.carol', {
      decision: 'approve',
      rationale: 'sent again: the first answer was lost',
    });
    expect(replayed.status).toBe(200);
    expect(replayed.body).toMatchObject({ approvalId, caseId, gate: 'identification', status: 'approved' });
    expect(await raw()).toEqual(before);
  }, 240_000);
});

describe('the SMS word rule, through the crime reference', () => {
  test('a reference that would put the offence in the victim’s text is refused at opening, naming crimeReference; LOCAL/26/123456B is accepted', async () => {
    for (const crimeReference of ['STALKING/26/000123', 'LOCAL/26/STALK1', 'HARASS-26-1', 'stalking/26/1']) {
      const refused = await t.api.post<Problem>('/cases', 'inv.alice', demoCaseBody(crimeReference));
      expect(refused.status, crimeReference).toBe(400);
      expect(
        refused.body.errors?.map((e) => e.path),
        crimeReference,
      ).toContain('crimeReference');
    }
    const accepted = await t.journey.openCase((b) => (b.crimeReference = `LOCAL/26/${String(Date.now()).slice(-6)}B`));
    expect(accepted).toBeTruthy();
  });
});

describe('unprintable text', () => {
  test('a request document that cannot print a handle logs the count and the field, never the text nor its code points', async () => {
    const caseId = await t.journey.openCase((b) => (b.accounts[0]!.handle = '王小明'));
    const gate = await t.journey.approvalFor('sgt.bob', caseId, 'data_request');
    expect(
      (await t.journey.decide('sgt.bob', gate.approvalId, 'approve', { authorisation: authorisation() })).status,
    ).toBe(200);
    const platform = await platformRequest(caseId);
    let status = 0;
    const logs = await logsOf(async () => {
      status = (await t.api.get(`/cases/${caseId}/requests/${platform.requestId}/document.pdf`, 'spoc.sam')).status;
    });
    expect(status).toBe(500);
    expect(logs).toContain('LetterTextNotPrintable');
    expect(logs).toMatch(/holds 3 character/);
    for (const leak of ['王', '小', '明', 'U+738B', '738B', '5C0F', '660E']) expect(logs).not.toContain(leak);
  });
});

describe('the local stack’s doors', () => {
  const tokenBody = JSON.stringify({ username: 'supt.erin' });
  const json = { 'content-type': 'application/json' };

  test('a request with a foreign Host (DNS rebinding) cannot mint a token: 403 problem details; loopback names can', async () => {
    const port = new URL(t.stack.apiUrl).port;
    for (const host of ['attacker.example', `attacker.example:${port}`, `127.0.0.1.nip.io:${port}`, `localhost:1`]) {
      const r = await rawRequest('POST', '/local/token', { ...json, host }, tokenBody);
      expect(r.status, host).toBe(403);
      expect(r.type).toBe('application/problem+json');
      expect(r.body).not.toContain('token"');
    }
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) {
      const r = await rawRequest('POST', '/local/token', { ...json, host }, tokenBody);
      expect(r.status, host).toBe(200);
    }
  });

  test('a path with malformed percent-encoding is a 400, not a 500', async () => {
    const r = await rawRequest('GET', '/cases/%E0%A4%A', {
      host: new URL(t.stack.apiUrl).host,
      authorization: `Bearer ${await t.api.token('inv.alice')}`,
    });
    expect(r.status).toBe(400);
    expect(r.type).toBe('application/problem+json');
  });

  test('the Notify callback secret is this data folder’s own, and the constant the repository held is refused', async () => {
    const secret = readFileSync(join(t.dataDir, 'notify-callback-secret'), 'utf8').trim();
    expect(t.stack.notifyCallbackSecret).toBe(secret);
    expect(secret.length).toBeGreaterThanOrEqual(32);
    const receipt = { id: '00000000-0000-4000-8000-000000000000', reference: 'x', status: 'delivered' };
    const old = await fetch(`${t.stack.apiUrl}/callbacks/notify`, {
      method: 'POST',
      headers: { ...json, authorization: 'Bearer local-notify-callback-secret-000000000000' },
      body: JSON.stringify(receipt),
    });
    expect(old.status).toBe(401);
  });
});
