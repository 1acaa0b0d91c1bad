import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ApiClient } from '../../local/client.js';
import type { demoCaseBody, CaseView } from '../../local/scenario.js';
import { policy } from '../../functions/domain/policy.js';
import { SEEDED_USERS } from '../../local/auth.js';
import { authorisation, type Journey } from '../support/journey.js';
import { startTestStack, type TestStack } from '../support/stack.js';

/**
 * From an approved data request to an approved identification (issue 3), as
 * the SPoC and the detective sergeant do it over HTTP. Time runs 3,600 times
 * fast; a return is chased after 4 s and given up 16 s later; a preservation's renewal is due after 1 s.
 */
let local: TestStack;
let api: ApiClient;
let journey: Journey;
beforeAll(async () => {
  local = await startTestStack('ident-', {
    timeScale: 3600,
    // A request is given up 20 s after it is sent. The uploads race that clock (a return after the give-up is a 409), so
    // they go first and at once, and 20 s is ten times what they take on a loaded machine: two runs side by side on two
    // cores took over 8 s, the give-up this had before.
    settings: { ReturnChaseSeconds: '4', ReturnGiveUpAfterChaseSeconds: '16', PreservationRenewalWarningSeconds: '1' },
  });
  ({ api, journey } = local);
});
afterAll(() => local?.stop());

type Req = CaseView['requests'][number] & {
  accountHandle?: string;
  ip?: string;
  port?: number;
  eventAt?: string;
  atCandidates?: string[];
  returnedAt?: string;
  flags: string[];
  tipOffRisk: boolean;
};
const requests = async (caseId: string) => (await api.get<Req[]>(`/cases/${caseId}/requests`, 'spoc.sam')).body;
const upload = (caseId: string, requestId: string, body: unknown, contentType = 'application/json') =>
  api.post<{ flags?: string[]; errors?: { path: string; message: string }[]; detail?: string }>(
    `/cases/${caseId}/requests/${requestId}/return`,
    'spoc.sam',
    body,
    contentType,
  );
const now = () => new Date().toISOString();

/**
 * What an upload stores on a case: which requests it has, which of them are returned and when, and the trail's
 * `request.returned` entries. Meanwhile the workflow's clock chases, gives up and flags requests for renewal (time
 * runs fast here), which no upload does: comparing whole requests would race it.
 */
type Account = { platform: string; handle: string; platformUserId?: string; url?: string };
async function approvedCase(accounts: Account[]) {
  const caseId = await journey.openCase((b) => {
    b.accounts = accounts as ReturnType<typeof demoCaseBody>['accounts'];
  });
  expect(
    (
      await journey.decide(
        'sgt.bob',
        (
          await journey.approvalFor('sgt.bob', caseId, 'data_request')
        ).approvalId,
        'approve',
        { authorisation: authorisation() },
      )
    ).status,
  ).toBe(200);
  await api.until(
    'platform requests',
    async () => (await requests(caseId)).filter((r) => r.kind === 'platform_disclosure').length === accounts.length,
  );
  return caseId;
}

describe('three platforms, three time zones, CGNAT, and one platform that never answers', () => {
  test('ends with an approved identification on independent points', async () => {
    const caseId = await approvedCase([
      { platform: 'instagram', handle: '@anon_watcher', platformUserId: '17841400000000001' },
      { platform: 'x', handle: '@watcher_x', platformUserId: '1500000000000000001' },
      { platform: 'google', handle: 'watcher.anon@gmail.example' },
    ]);
    const rs = await requests(caseId);
    const byPlatform = (p: string) => rs.find((r) => r.kind === 'platform_disclosure' && r.target === p)!;
    // The two returns first and at once, before their requests are given up (the checks below take their time).
    // Instagram, in JSON, in Pacific time across the end of daylight saving (01:30 on 1 Nov 2026 happens twice).
    // X, as a CSV IP log in Indian time, with a carrier-grade NAT address once with and once without its port.
    const csv = [
      'ip,port,timestamp,timezone,kind',
      '100.64.12.34,40001,2026-11-10 09:15:00,Asia/Kolkata,login',
      '100.64.12.34,,2026-11-11 20:45:00,Asia/Kolkata,login',
      '198.51.100.20,443,2026-11-12T08:00:00Z,,login',
    ].join('\n');
    const [ig, x] = await Promise.all([
      upload(caseId, byPlatform('instagram').requestId, {
        receivedAt: now(),
        subscriber: { name: 'John Smith', emails: ['J.Smith@Example.com'], phones: ['07700 900999'] },
        ipEvents: [
          { ip: '203.0.113.7', port: 51234, at: '2026-10-31 22:10:00', timeZone: 'America/Los_Angeles', kind: 'login' },
          { ip: '203.0.113.7', port: 51234, at: '2026-11-01 01:30:00', timeZone: 'America/Los_Angeles', kind: 'login' },
        ],
      }),
      upload(caseId, byPlatform('x').requestId, csv, 'text/csv'),
    ]);
    expect(ig.status).toBe(202);
    expect(ig.body.flags).toEqual(['ipEvents.1.at: ambiguous_dst_overlap']);
    expect(x.status).toBe(202);
    // Preservation first, one per account; Google and X tell their users, so those carry the tip-off risk.
    expect(rs.filter((r) => r.kind === 'platform_preservation').map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
    expect(
      rs
        .filter((r) => r.tipOffRisk)
        .map((r) => r.target)
        .sort(),
    ).toEqual(['google', 'google', 'x', 'x']);
    const doc = await api.get<Uint8Array>(
      `/cases/${caseId}/requests/${byPlatform('x').requestId}/document.pdf`,
      'spoc.sam',
    );
    expect(doc.status).toBe(200);
    expect(Buffer.from(doc.body).subarray(0, 5).toString()).toBe('%PDF-');
    // Google never answers: chased, then given up; the case goes on with what it has.
    const isp = await api.until(
      'ISP requests',
      async () => {
        const all = await requests(caseId);
        const google = all.find((r) => r.kind === 'platform_disclosure' && r.target === 'google')!;
        const isps = all.filter((r) => r.kind === 'isp_resolution');
        return google.status === 'abandoned' && isps.length === 5 ? isps : undefined;
      },
      45_000,
    );
    // The ISPs answer with the installation address; the CGNAT address without a port cannot be resolved.
    // At once, and all together: an ISP request is given up 20 s after it is sent, like Google's.
    const address = { lines: ['22 Acacia Avenue', 'Bradford'], postcode: 'BD1 2AB' };
    const answers = await Promise.all(
      isp.map((r) =>
        upload(
          caseId,
          r.requestId,
          r.ip === '100.64.12.34' && r.port === undefined
            ? { receivedAt: now() }
            : {
                receivedAt: now(),
                subscriber: { name: 'John Smith', emails: [], phones: [] },
                installationAddress: address,
              },
        ),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(isp.map(() => 202));
    // Every time in UTC: Kolkata is +05:30; Los Angeles is -07:00 before the change and, for the ambiguous 01:30, the earlier (-07:00) reading.
    expect(isp.map((r) => `${r.ip}|${r.eventAt}|${r.port ?? ''}`).sort()).toEqual([
      '100.64.12.34|2026-11-10T03:45:00.000Z|40001',
      '100.64.12.34|2026-11-11T15:15:00.000Z|',
      '198.51.100.20|2026-11-12T08:00:00.000Z|443',
      '203.0.113.7|2026-11-01T05:10:00.000Z|51234',
      '203.0.113.7|2026-11-01T08:30:00.000Z|51234',
    ]);
    // The 01:30 that happened twice asks the ISP for both instants.
    expect(isp.find((r) => r.eventAt === '2026-11-01T08:30:00.000Z')!.atCandidates).toEqual([
      '2026-11-01T08:30:00.000Z',
      '2026-11-01T09:30:00.000Z',
    ]);
    expect(isp.find((r) => r.ip === '100.64.12.34' && r.port === undefined)!.flags).toContain('cgnat_without_port');
    // The silent platform's preservation came up for renewal while its return was awaited.
    const googlePreservation = (await requests(caseId)).find(
      (r) => r.kind === 'platform_preservation' && r.target === 'google',
    )!;
    expect(googlePreservation.flags).toContain('renewal_due');
    expect((await api.all<{ action: string }>(`/cases/${caseId}/audit`, 'aud.frank')).map((e) => e.action)).toEqual(
      expect.arrayContaining(['request.chased', 'request.abandoned', 'request.preservation_renewal_due']),
    );
    expect(isp.find((r) => r.ip === '100.64.12.34' && r.port === 40001)!.flags).not.toContain('cgnat_without_port');

    const atIdentification = (await journey.atStage(caseId, 'IDENTIFICATION')) as unknown as CaseView & {
      candidates: {
        candidateId: string;
        name: string;
        points: { requestId: string; kind: string }[];
        contradictions: unknown[];
      }[];
      tipOffWarning: boolean;
    };
    expect(atIdentification.tipOffWarning).toBe(true);
    const john = atIdentification.candidates.find((c) => c.name === 'John Smith')!;
    expect(new Set(john.points.map((p) => p.requestId)).size).toBeGreaterThanOrEqual(4);

    const ispPoints = john.points.filter((p) => p.kind === 'ip_resolution').slice(0, 2);
    const proposal = await api.post(`/cases/${caseId}/identification`, 'inv.alice', {
      candidateId: john.candidateId,
      suspect: { name: 'John Smith', aliases: ['watcher_x'] },
      points: ispPoints.map((p) => ({
        requestId: p.requestId,
        kind: 'ip_resolution',
        detail: 'login resolves to the same subscriber at another time',
      })),
      rationale: 'Two logins at different times resolve to the same subscriber at the same installation address.',
    });
    expect(proposal.status).toBe(202);
    const gate2 = await api.until('gate 2 for a second sergeant', async () =>
      (await api.all<{ approvalId: string; caseId: string; gate: string }>('/approvals', 'sgt.carol')).find(
        (a) => a.caseId === caseId && a.gate === 'identification',
      ),
    );
    // What the second sergeant decides on, as the decision page shows it from the case.
    const evidence = (
      await api.get<{ candidates: { candidateId: string; name: string }[]; tipOffWarning: boolean }>(
        `/cases/${caseId}`,
        'sgt.carol',
      )
    ).body;
    expect(evidence.candidates.find((c) => c.candidateId === john.candidateId)?.name).toBe('John Smith');
    expect(evidence.tipOffWarning).toBe(true);
    expect((await journey.decide('sgt.carol', gate2.approvalId, 'approve')).status).toBe(200);
    await journey.atStage(caseId, 'DISCLOSURE_DECISION');
  });
});

describe('refusals', () => {
  test('the same fact twice is one point: identification on a single source is refused', async () => {
    const caseId = await approvedCase([{ platform: 'instagram', handle: '@lonely_source' }]);
    const [r] = (await requests(caseId)).filter((x) => x.kind === 'platform_disclosure');
    expect(
      (
        await upload(caseId, r!.requestId, {
          receivedAt: now(),
          subscriber: { name: 'Sam Single', emails: ['s@example.com'], phones: [] },
        })
      ).status,
    ).toBe(202);
    await journey.atStage(caseId, 'IDENTIFICATION');
    const refused = await api.post<{ errors: { path: string; message: string }[] }>(
      `/cases/${caseId}/identification`,
      'inv.alice',
      {
        suspect: { name: 'Sam Single', aliases: [] },
        points: [
          { requestId: r!.requestId, kind: 'email', detail: 'the email on the account' },
          { requestId: r!.requestId, kind: 'other', detail: 'the name on the account' },
        ],
        rationale: 'only one return names this person',
      },
    );
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ path: 'points', message: 'only 1 independent source' }]);
    expect((await journey.view(caseId)).stage).toBe('IDENTIFICATION');
  });

  test('a case sharing an identifier with another case shows it, both ways', async () => {
    const a = await approvedCase([{ platform: 'discord', handle: 'dup_one' }]);
    const b = await approvedCase([{ platform: 'discord', handle: 'dup_two' }]);
    for (const id of [a, b]) {
      const [r] = (await requests(id)).filter((x) => x.kind === 'platform_disclosure');
      expect(
        (
          await upload(id, r!.requestId, {
            receivedAt: now(),
            subscriber: { name: `Someone ${id.slice(0, 4)}`, emails: ['Shared.Person@example.com'], phones: [] },
          })
        ).status,
      ).toBe(202);
    }
    const shows = async (from: string, to: string) =>
      (
        (await journey.view(from)) as unknown as { duplicateTargets: { caseId: string; shared: string[] }[] }
      ).duplicateTargets.find((d) => d.caseId === to);
    expect(await shows(a, b)).toMatchObject({ shared: ['email'] });
    expect(await shows(b, a)).toMatchObject({ shared: ['email'] });

    // Many more cases holding the same email (the index entries a return's upload writes): a read of the case
    // names a bounded number of them, not every one.
    const { indexIdentifiers } = await import('../../functions/adapters/case.js');
    const { force } = SEEDED_USERS.find((u) => u.username === 'inv.alice')!;
    for (let k = 0; k < policy.duplicateCasesPerIdentifier + 5; k++)
      await indexIdentifiers({ force, caseId: `many-${k}`, crimeReference: `MANY/${k}` }, [
        'email:shared.person@example.com',
      ]);
    const named = ((await journey.view(a)) as unknown as { duplicateTargets: { caseId: string; shared: string[] }[] })
      .duplicateTargets;
    expect(named).toHaveLength(policy.duplicateCasesPerIdentifier);
    expect(named.every((d) => d.caseId !== a && d.shared.includes('email'))).toBe(true);
  });
});
