import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { routeEntries } from '../../functions/routes.js';
import { SEEDED_USERS } from '../../local/auth.js';
import { ApiClient } from '../../local/client.js';
import { demoCaseBody, DEMO_VICTIM } from '../../local/scenario.js';
import { startStack, type RunningStack } from '../../local/stack.js';

/**
 * Who may do what, route by route: every route of routes.ts against every
 * seeded user, a user of another force, and no token. The statuses are
 * written out by hand below, not derived from the code under test.
 *
 * The fixture: case K opened by inv.alice, waiting at DATA_REQUEST_APPROVAL
 * (time runs at its normal pace, so nothing escalates), with its pending
 * data_request approval P. Bodies are either `{}` (so where the role is right
 * the answer is the 400 of the schema) or valid, chosen so that the answer
 * is a 404 or a 409 and nothing changes.
 */
const WHO = [
  'inv.alice',
  'inv.ahmed',
  'spoc.sam',
  'sgt.bob',
  'sgt.carol',
  'insp.dave',
  'supt.erin',
  'aud.frank',
  'ds.grace',
  'x.force',
  'none',
] as const;
type Who = (typeof WHO)[number];

const UNKNOWN = '00000000-0000-4000-8000-00000000dead';
const earlier = () => new Date(Date.now() - 3600_000).toISOString();

interface Row {
  method: 'GET' | 'POST' | 'PUT';
  /** The route as routes.ts names it. */
  route: string;
  /** The concrete path: {K} the fixture case, {P} its approval. */
  path: string;
  body?: () => unknown;
  /** Where a refusal on this row is audited: the fixture case's chain, or the caller's force's chain. */
  chain: 'case' | 'force';
  expect: Record<Who, number>;
}

//                                                              alice ahmed  sam  bob carol dave erin frank grace   X  none
const row = (
  method: Row['method'],
  route: string,
  path: string,
  body: Row['body'],
  chain: Row['chain'],
  s: number[],
): Row => {
  if (s.length !== WHO.length) throw new Error(`${method} ${path}: ${s.length} statuses for ${WHO.length} callers`);
  return {
    method,
    route,
    path,
    body,
    chain,
    expect: Object.fromEntries(WHO.map((w, i) => [w, s[i]!])) as Record<Who, number>,
  };
};

const MATRIX: Row[] = [
  row(
    'GET',
    '/health',
    '/health',
    undefined,
    'force',
    /*                                  */ [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  ),
  row(
    'GET',
    '/openapi.json',
    '/openapi.json',
    undefined,
    'force',
    /*                       */ [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  ),
  row(
    'POST',
    '/local/token',
    '/local/token',
    () => ({}),
    'force',
    /*                       */ [400, 400, 400, 400, 400, 400, 400, 400, 400, 400, 400],
  ),
  row(
    'POST',
    '/local/token',
    '/local/token',
    () => ({ username: 'inv.alice' }),
    'force',
    /* */ [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  ),
  row(
    'POST',
    '/cases',
    '/cases',
    () => ({}),
    'force',
    /*                                    */ [400, 400, 403, 403, 403, 403, 403, 403, 400, 400, 401],
  ),
  row(
    'POST',
    '/cases',
    '/cases',
    () => demoCaseBody('LOCAL/26/990001'),
    'force',
    /*         */ [409, 409, 403, 403, 403, 403, 403, 403, 409, 201, 401],
  ),
  row(
    'GET',
    '/cases',
    '/cases',
    undefined,
    'force',
    /*                                      */ [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 401],
  ),
  row(
    'GET',
    '/cases/{caseId}',
    '/cases/{K}',
    undefined,
    'case',
    /*                           */ [200, 200, 200, 200, 200, 200, 200, 200, 200, 403, 401],
  ),
  row(
    'GET',
    '/cases/{caseId}',
    `/cases/${UNKNOWN}`,
    undefined,
    'force',
    /*                   */ [404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 401],
  ),
  row(
    'GET',
    '/approvals',
    '/approvals',
    undefined,
    'force',
    /*                               */ [403, 403, 403, 200, 200, 200, 200, 403, 200, 200, 401],
  ),
  row(
    'POST',
    '/approvals/{approvalId}/decision',
    '/approvals/{P}/decision',
    () => ({}),
    'case',
    [403, 403, 403, 400, 400, 400, 400, 403, 400, 400, 401],
  ),
  // Approving a data request without the authorisation: a 400 for whoever may decide, so nothing is decided.
  row(
    'POST',
    '/approvals/{approvalId}/decision',
    '/approvals/{P}/decision',
    () => ({ decision: 'approve', rationale: 'necessary and proportionate' }),
    'case',
    /*                                                                                        */ [
      403, 403, 403, 400, 400, 400, 400, 403, 400, 403, 401,
    ],
  ),
  row(
    'POST',
    '/approvals/{approvalId}/decision',
    `/approvals/${UNKNOWN}/decision`,
    () => ({ decision: 'reject', rationale: 'not necessary here' }),
    'force',
    /*                                                                                        */ [
      403, 403, 403, 404, 404, 404, 404, 403, 404, 404, 401,
    ],
  ),
  // Faults (issue 8): supervisors of the force see the queue; no fault of that id on the case is a 404.
  row(
    'GET',
    '/faults',
    '/faults',
    undefined,
    'force',
    /*                                     */ [403, 403, 403, 200, 200, 200, 200, 403, 200, 200, 401],
  ),
  row(
    'POST',
    '/cases/{caseId}/faults/{faultId}/retry',
    `/cases/{K}/faults/${UNKNOWN}/retry`,
    () => ({}),
    'case',
    /*                                                                                        */ [
      403, 403, 403, 400, 400, 400, 400, 403, 400, 400, 401,
    ],
  ),
  row(
    'POST',
    '/cases/{caseId}/faults/{faultId}/retry',
    `/cases/{K}/faults/${UNKNOWN}/retry`,
    () => ({ rationale: 'the cause was dealt with today' }),
    'case',
    /*                                                                                        */ [
      403, 403, 403, 404, 404, 404, 404, 403, 404, 403, 401,
    ],
  ),
  row(
    'GET',
    '/cases/{caseId}/requests',
    '/cases/{K}/requests',
    undefined,
    'case',
    /*         */ [200, 200, 200, 403, 403, 403, 403, 403, 200, 403, 401],
  ),
  // No request of that id on the case: 404 for those who may read request documents.
  row(
    'GET',
    '/cases/{caseId}/requests/{requestId}/document.pdf',
    `/cases/{K}/requests/${UNKNOWN}/document.pdf`,
    undefined,
    'case',
    /*                                                                                        */ [
      404, 404, 404, 403, 403, 403, 403, 403, 404, 403, 401,
    ],
  ),
  row(
    'GET',
    '/cases/{caseId}/requests/{requestId}/ip-events',
    `/cases/{K}/requests/${UNKNOWN}/ip-events`,
    undefined,
    'case',
    /*                                                                                        */ [
      404, 404, 404, 403, 403, 403, 403, 403, 404, 403, 401,
    ],
  ),
  row(
    'POST',
    '/cases/{caseId}/requests/{requestId}/isp-requests',
    `/cases/{K}/requests/${UNKNOWN}/isp-requests`,
    () => ({}),
    'case',
    /*                                                                                        */ [
      403, 403, 400, 403, 403, 403, 403, 403, 403, 400, 401,
    ],
  ),
  row(
    'POST',
    '/cases/{caseId}/requests/{requestId}/isp-requests',
    `/cases/{K}/requests/${UNKNOWN}/isp-requests`,
    () => ({ events: [0], rationale: 'the times the victim reported' }),
    'case',
    /*                                                                                        */ [
      403, 403, 404, 403, 403, 403, 403, 403, 403, 403, 401,
    ],
  ),
  row(
    'POST',
    '/cases/{caseId}/requests/{requestId}/return',
    `/cases/{K}/requests/${UNKNOWN}/return`,
    () => ({}),
    'case',
    /*                                                                                        */ [
      403, 403, 400, 403, 403, 403, 403, 403, 403, 400, 401,
    ],
  ),
  row(
    'POST',
    '/cases/{caseId}/requests/{requestId}/return',
    `/cases/{K}/requests/${UNKNOWN}/return`,
    () => ({ receivedAt: earlier(), subscriber: { name: 'A Person' } }),
    'case',
    /*                                                                                        */ [
      403, 403, 404, 403, 403, 403, 403, 403, 403, 403, 401,
    ],
  ),
  row(
    'POST',
    '/cases/{caseId}/identification',
    '/cases/{K}/identification',
    () => ({}),
    'case',
    [400, 400, 403, 403, 403, 403, 403, 403, 400, 400, 401],
  ),
  row(
    'POST',
    '/cases/{caseId}/arrest',
    '/cases/{K}/arrest',
    () => ({}),
    'case',
    /*           */ [400, 400, 403, 403, 403, 403, 403, 403, 400, 400, 401],
  ),
  // No arrest outcome is awaited before identification: 409.
  row(
    'POST',
    '/cases/{caseId}/arrest',
    '/cases/{K}/arrest',
    () => ({ outcome: 'arrested', at: earlier() }),
    'case',
    /*                                                                                        */ [
      409, 409, 403, 403, 403, 403, 403, 403, 409, 403, 401,
    ],
  ),
  // After identification (issue 7): nothing is owed on the arrest track before identification, so a valid body is a 409;
  // a referral without consent is refused (400) before the case is looked at further, and no case closes while a gate is pending (409).
  row(
    'POST',
    '/cases/{caseId}/victim-update',
    '/cases/{K}/victim-update',
    () => ({}),
    'case',
    /*    */ [400, 400, 403, 403, 403, 403, 403, 403, 400, 400, 401],
  ),
  row(
    'POST',
    '/cases/{caseId}/victim-update',
    '/cases/{K}/victim-update',
    () => ({ arrestIndex: 0, how: 'phone', at: earlier(), note: 'told her by phone' }),
    'case',
    /*                                                                                        */ [
      409, 409, 403, 403, 403, 403, 403, 403, 409, 403, 401,
    ],
  ),
  row(
    'POST',
    '/cases/{caseId}/protection-order',
    '/cases/{K}/protection-order',
    () => ({}),
    'case',
    [400, 400, 403, 403, 403, 403, 403, 403, 400, 400, 401],
  ),
  row(
    'POST',
    '/cases/{caseId}/protection-order',
    '/cases/{K}/protection-order',
    () => ({
      arrestIndex: 0,
      considered: 'interim',
      power: 'application',
      decision: 'not_sought',
      reason: 'bail conditions suffice',
    }),
    'case',
    /*                                                                                        */ [
      409, 409, 403, 403, 403, 403, 403, 403, 409, 403, 401,
    ],
  ),
  row(
    'POST',
    '/cases/{caseId}/protection-order/notification',
    '/cases/{K}/protection-order/notification',
    () => ({}),
    'case',
    [400, 400, 403, 403, 403, 403, 403, 403, 400, 400, 401],
  ),
  row(
    'POST',
    '/cases/{caseId}/protection-order/notification',
    '/cases/{K}/protection-order/notification',
    () => ({ arrestIndex: 0, notified: true, at: earlier(), note: 'at the station' }),
    'case',
    /*                                                                                        */ [
      409, 409, 403, 403, 403, 403, 403, 403, 409, 403, 401,
    ],
  ),
  row(
    'POST',
    '/cases/{caseId}/prison-contact/confirmed',
    '/cases/{K}/prison-contact/confirmed',
    () => ({}),
    'case',
    [400, 400, 403, 403, 403, 403, 403, 403, 400, 400, 401],
  ),
  row(
    'POST',
    '/cases/{caseId}/prison-contact/confirmed',
    '/cases/{K}/prison-contact/confirmed',
    () => ({ at: earlier(), note: 'confirmed by the prison' }),
    'case',
    /*                                                                                        */ [
      409, 409, 403, 403, 403, 403, 403, 403, 409, 403, 401,
    ],
  ),
  row(
    'POST',
    '/cases/{caseId}/referrals',
    '/cases/{K}/referrals',
    () => ({}),
    'case',
    /*      */ [400, 400, 403, 403, 403, 403, 403, 403, 400, 400, 401],
  ),
  row(
    'POST',
    '/cases/{caseId}/referrals',
    '/cases/{K}/referrals',
    () => ({
      service: 'national_helpline',
      consent: { given: false, recordedAt: earlier(), how: 'phone' },
      shared: ['victim.name'],
    }),
    'case',
    /*                                                                                        */ [
      400, 400, 403, 403, 403, 403, 403, 403, 400, 403, 401,
    ],
  ),
  row(
    'POST',
    '/cases/{caseId}/close',
    '/cases/{K}/close',
    () => ({}),
    'case',
    /*              */ [400, 400, 403, 403, 403, 403, 403, 403, 400, 400, 401],
  ),
  row(
    'POST',
    '/cases/{caseId}/close',
    '/cases/{K}/close',
    () => ({ reason: 'nothing more to do here' }),
    'case',
    /* */ [409, 409, 403, 403, 403, 403, 403, 403, 409, 403, 401],
  ),
  row(
    'POST',
    '/cases/{caseId}/closure-proposal',
    '/cases/{K}/closure-proposal',
    () => ({}),
    'case',
    [400, 400, 403, 403, 403, 403, 403, 403, 400, 400, 401],
  ),
  // The case is at DATA_REQUEST_APPROVAL, before any request: a closure without a suspect is not yet proposed (409).
  row(
    'POST',
    '/cases/{caseId}/closure-proposal',
    '/cases/{K}/closure-proposal',
    () => ({ reason: 'no_suspect_identified', rationale: 'nothing came back that names anyone' }),
    'case',
    /*                                                                                        */ [
      409, 409, 403, 403, 403, 403, 403, 403, 409, 403, 401,
    ],
  ),
  row(
    'POST',
    '/cases/{caseId}/disclosure-proposal',
    '/cases/{K}/disclosure-proposal',
    () => ({}),
    'case',
    [400, 400, 403, 403, 403, 403, 403, 403, 400, 400, 401],
  ),
  // The case is at DATA_REQUEST_APPROVAL, not DISCLOSURE_DECISION: 409.
  row(
    'POST',
    '/cases/{caseId}/disclosure-proposal',
    '/cases/{K}/disclosure-proposal',
    () => ({ action: 'disclose', rationale: 'the presumption applies' }),
    'case',
    /*                                                                                        */ [
      409, 409, 403, 403, 403, 403, 403, 403, 409, 403, 401,
    ],
  ),
  row(
    'POST',
    '/cases/{caseId}/contact-verification',
    '/cases/{K}/contact-verification',
    () => ({}),
    'case',
    [400, 400, 403, 403, 403, 403, 403, 403, 400, 400, 401],
  ),
  row(
    'POST',
    '/cases/{caseId}/disclosure/delivered',
    '/cases/{K}/disclosure/delivered',
    () => ({}),
    'case',
    [400, 400, 403, 403, 403, 403, 403, 403, 400, 400, 401],
  ),
  // No handover is awaited: 409.
  row(
    'POST',
    '/cases/{caseId}/disclosure/delivered',
    '/cases/{K}/disclosure/delivered',
    () => ({ at: earlier(), note: 'handed over at the station' }),
    'case',
    /*                                                                                        */ [
      409, 409, 403, 403, 403, 403, 403, 403, 409, 403, 401,
    ],
  ),
  row(
    'PUT',
    '/cases/{caseId}/victim/contact',
    '/cases/{K}/victim/contact',
    () => ({}),
    'case',
    [400, 400, 403, 403, 403, 403, 403, 403, 400, 400, 401],
  ),
  // The victim's choice: a valid one would change the fixture (a decline is taken at any open stage), so the schema's 400.
  row(
    'POST',
    '/cases/{caseId}/victim-choice',
    '/cases/{K}/victim-choice',
    () => ({}),
    'case',
    [400, 400, 403, 403, 403, 403, 403, 403, 400, 400, 401],
  ),
  row(
    'POST',
    '/cases/{caseId}/owner',
    '/cases/{K}/owner',
    () => ({}),
    'case',
    [400, 400, 403, 400, 400, 400, 400, 403, 400, 400, 401],
  ),
  // To the officer who already owns it: 409 for the owner and sergeants or above; another investigator is not the owner.
  row(
    'POST',
    '/cases/{caseId}/owner',
    '/cases/{K}/owner',
    () => ({ owner: 'local-inv.alice', reason: 'kept with the officer who opened it' }),
    'case',
    /*                                                                                        */ [
      409, 403, 403, 409, 409, 409, 409, 403, 409, 403, 401,
    ],
  ),
  // No letter yet: 404 for those who may read it.
  row(
    'GET',
    '/cases/{caseId}/disclosure/letter.pdf',
    '/cases/{K}/disclosure/letter.pdf',
    undefined,
    'case',
    [404, 404, 403, 404, 404, 404, 404, 403, 404, 403, 401],
  ),
  row(
    'GET',
    '/cases/{caseId}/audit',
    '/cases/{K}/audit',
    undefined,
    'case',
    /*               */ [403, 403, 403, 200, 200, 200, 200, 200, 200, 403, 401],
  ),
  // Lists are pages (Contract v2): the timeline is any role's that may see the case; the force's request queue the SPoC's.
  row(
    'GET',
    '/cases/{caseId}/timeline',
    '/cases/{K}/timeline?limit=5',
    undefined,
    'case',
    /*                   */ [200, 200, 200, 200, 200, 200, 200, 200, 200, 403, 401],
  ),
  // Who viewed the case (the consultation log): as the timeline, any role's that may see the case.
  row(
    'GET',
    '/cases/{caseId}/views',
    '/cases/{K}/views?limit=5',
    undefined,
    'case',
    /*                   */ [200, 200, 200, 200, 200, 200, 200, 200, 200, 403, 401],
  ),
  row(
    'GET',
    '/requests',
    '/requests?status=all',
    undefined,
    'force',
    /*                   */ [403, 403, 200, 403, 403, 403, 403, 403, 403, 200, 401],
  ),
  // A page size out of range is a 400 for whoever may list; the role is checked first.
  row(
    'GET',
    '/requests',
    '/requests?limit=201',
    undefined,
    'force',
    /*                   */ [403, 403, 400, 403, 403, 403, 403, 403, 403, 400, 401],
  ),
  row(
    'GET',
    '/cases',
    '/cases?scope=mine&status=open&limit=10',
    undefined,
    'force',
    /*                   */ [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 401],
  ),
  row(
    'GET',
    '/cases/{caseId}/audit/verify',
    '/cases/{K}/audit/verify',
    undefined,
    'case',
    /* */ [403, 403, 403, 200, 200, 200, 200, 200, 200, 403, 401],
  ),
  row(
    'GET',
    '/stats',
    '/stats',
    undefined,
    'force',
    /*                                        */ [403, 403, 403, 200, 200, 200, 200, 200, 200, 200, 401],
  ),
  // A signed-in user's JWT is not Notify's callback token.
  row(
    'POST',
    '/callbacks/notify',
    '/callbacks/notify',
    () => ({ id: UNKNOWN, reference: 'nothing:here', status: 'delivered' }),
    'force',
    /*                                                                                        */ [
      401, 401, 401, 401, 401, 401, 401, 401, 401, 401, 401,
    ],
  ),
];

let stack: RunningStack;
let api: ApiClient;
let dataDir: string;
let caseId: string;
let approvalId: string;
const tokens = new Map<Who, string>();

beforeAll(async () => {
  dataDir = mkdtempSync(join(process.cwd(), '.tmp', 'authz-'));
  stack = await startStack({ port: 0, dataDir, timeScale: 1 });
  api = new ApiClient(stack.apiUrl);
  for (const u of SEEDED_USERS) tokens.set(u.username as Who, await api.token(u.username));
  const grace = SEEDED_USERS.find((u) => u.username === 'ds.grace')!;
  tokens.set(
    'x.force',
    stack.identity.sign({
      ...stack.identity.claimsFor(grace),
      sub: 'other-force-x',
      'cognito:username': 'x.force',
      'cognito:groups': ['investigator', 'spoc', 'supervisor', 'auditor'],
      'custom:rank': 'superintendent',
      'custom:force': 'OTHER',
    }),
  );
  const opened = await api.post<{ caseId: string }>('/cases', 'inv.alice', demoCaseBody('LOCAL/26/990001'));
  expect(opened.status).toBe(201);
  caseId = opened.body.caseId;
  approvalId = (
    await api.until('the fixture approval', async () =>
      (await api.all<{ approvalId: string; caseId: string }>('/approvals', 'sgt.bob')).find((a) => a.caseId === caseId),
    )
  ).approvalId;
});
afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const concrete = (path: string) => path.replace('{K}', caseId).replace('{P}', approvalId);

async function call(r: Row, who: Who): Promise<{ status: number; type: string; text: string }> {
  const headers: Record<string, string> = {};
  if (who !== 'none') headers.authorization = `Bearer ${tokens.get(who)}`;
  const body = r.body?.();
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${stack.apiUrl}${concrete(r.path)}`, {
    method: r.method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

const refusalsIn = async (chain: string) => {
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: stack.endpoints.dynamodb, region: 'eu-west-2' }),
  );
  const out = await db.send(
    new QueryCommand({
      TableName: 'audit',
      KeyConditionExpression: 'caseId = :c',
      ExpressionAttributeValues: { ':c': chain },
      ConsistentRead: true,
    }),
  );
  db.destroy();
  return (out.Items ?? []).filter((e) => e.action === 'access.refused') as {
    actor: string;
    ids: Record<string, string>;
  }[];
};

describe('the authorisation matrix', () => {
  test('names every route of routes.ts, the local token route included', () => {
    const covered = new Set(MATRIX.map((r) => `${r.method} ${r.route}`));
    expect(routeEntries.map(([, r]) => `${r.method} ${r.path}`).filter((k) => !covered.has(k))).toEqual([]);
    for (const r of MATRIX)
      expect(
        routeEntries.some(([, x]) => x.method === r.method && x.path === r.route),
        `${r.method} ${r.route}`,
      ).toBe(true);
  });

  test('every caller gets the status written for them, and every refusal is problem details saying why', async () => {
    const got: string[] = [];
    const want: string[] = [];
    for (const r of MATRIX) {
      for (const who of WHO) {
        const res = await call(r, who);
        got.push(`${r.method} ${r.path} ${who}: ${res.status}`);
        want.push(`${r.method} ${r.path} ${who}: ${r.expect[who]}`);
        if (res.status >= 400) {
          expect(res.type, `${r.method} ${r.path} ${who}`).toBe('application/problem+json');
          const problem = JSON.parse(res.text) as { status: number; detail: string };
          expect(problem.status).toBe(res.status);
          if (res.status === 403)
            expect(problem.detail).toMatch(/role|rank|force|created|proposed|different people|SPoC|investigator/);
        }
      }
    }
    expect(got).toEqual(want);
  });

  test('each refusal is in the audit trail: on the case it concerned, else on the caller’s force; with its reason code and no personal data', async () => {
    const count = (chain: Row['chain'], who: (w: Who) => boolean) =>
      MATRIX.filter((r) => r.chain === chain).reduce(
        (n, r) => n + WHO.filter((w) => who(w) && r.expect[w] === 403).length,
        0,
      );
    const onCase = await refusalsIn(caseId);
    const onLocal = await refusalsIn('FORCE#LOCAL');
    const onOther = await refusalsIn('FORCE#OTHER');
    expect(onCase).toHaveLength(count('case', () => true));
    expect(onLocal).toHaveLength(count('force', (w) => w !== 'x.force'));
    expect(onOther).toHaveLength(count('force', (w) => w === 'x.force'));
    expect(onCase.filter((e) => e.actor === 'other-force-x').every((e) => e.ids.reason === 'other_force')).toBe(true);
    for (const e of [...onCase, ...onLocal, ...onOther]) {
      expect(['role', 'other_force', 'rank', 'own_case', 'own_proposal', 'two_person', 'not_owner']).toContain(
        e.ids.reason,
      );
      expect(e.ids.route).toMatch(/^(GET|POST|PUT) \//);
      const text = JSON.stringify(e);
      for (const secret of [DEMO_VICTIM.name, DEMO_VICTIM.phone, DEMO_VICTIM.postalAddress.postcode])
        expect(text).not.toContain(secret);
    }
    // The chain with the refusals in it still verifies.
    expect((await api.get<{ valid: boolean }>(`/cases/${caseId}/audit/verify`, 'aud.frank')).body.valid).toBe(true);
  });
});
