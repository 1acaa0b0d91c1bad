import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { routesWithInputs } from '../../functions/routeInputs.js';
import { ApiClient } from '../../local/client.js';
import { demoCaseBody } from '../../local/scenario.js';
import { startStack, type RunningStack } from '../../local/stack.js';
import { isReadOrRefusal, scanAll, TABLES } from './tables.js';

/**
 * Thousands of generated bodies at every route that takes one: random JSON,
 * near-valid bodies with one to three things wrong, huge strings, deep
 * nesting, prototype keys, wrong types, text that is not JSON. Whatever
 * comes: never a 5xx, every 4xx is problem details, and nothing in the tables
 * changes.
 *
 * Each route is aimed where even a valid body changes nothing: a new case
 * with a crime reference already open (409); a decision on an approval
 * already decided (409); the other case routes on a rejected case (409, or
 * 400 for points that are not returns) or an unknown request (404).
 */
// 50 bodies a route in `npm test`, new ones each run; `npm run test:nightly` tries 1,000 (FUZZ_RUNS).
const RUNS = Number(process.env.FUZZ_RUNS ?? 50);

let stack: RunningStack;
let api: ApiClient;
let dataDir: string;
let openRef: string;
let rejectedCase: string;
let decidedApproval: string;
const bearer = new Map<string, string>();

beforeAll(async () => {
  dataDir = mkdtempSync(join(process.cwd(), '.tmp', 'fuzz-'));
  stack = await startStack({ port: 0, dataDir, timeScale: 1 });
  api = new ApiClient(stack.apiUrl);
  for (const u of ['inv.alice', 'sgt.bob', 'sgt.carol', 'spoc.sam']) bearer.set(u, `Bearer ${await api.token(u)}`);
  bearer.set('notify', `Bearer ${stack.notifyCallbackSecret}`);

  openRef = 'LOCAL/26/310001';
  const open = await api.post<{ caseId: string }>('/cases', 'inv.alice', demoCaseBody(openRef));
  expect(open.status).toBe(201);
  const rejected = await api.post<{ caseId: string }>('/cases', 'inv.alice', demoCaseBody('LOCAL/26/310002'));
  rejectedCase = rejected.body.caseId;
  const gate = await api.until('gate 1', async () =>
    (await api.all<{ approvalId: string; caseId: string }>('/approvals', 'sgt.bob')).find(
      (a) => a.caseId === rejectedCase,
    ),
  );
  decidedApproval = gate.approvalId;
  expect(
    (
      await api.post(`/approvals/${decidedApproval}/decision`, 'sgt.bob', {
        decision: 'reject',
        rationale: 'not proportionate on this evidence',
      })
    ).status,
  ).toBe(200);
  await api.until(
    'REJECTED',
    async () => (await api.get<{ stage: string }>(`/cases/${rejectedCase}`, 'inv.alice')).body.stage === 'REJECTED',
  );
  // Both workflows settle before the tables are read, so the fuzz's digests compare only what requests change:
  // the rejected case's execution has ended (its stage set, its crime reference freed), and the open case waits
  // at its first gate, whose step writes the approval, then its trail entry, then the stage, then waits.
  await api.until('the rejected case’s execution ended', async () =>
    stack.engine.list().every((e) => e.caseId !== rejectedCase || e.status !== 'RUNNING'),
  );
  await api.until('the open case waiting at its first gate', async () => {
    const kase = (await api.get<{ stage: string }>(`/cases/${open.body.caseId}`, 'inv.alice')).body;
    const trail = await api.all<{ action: string }>(`/cases/${open.body.caseId}/audit`, 'aud.frank');
    return kase.stage === 'DATA_REQUEST_APPROVAL' && trail.some((e) => e.action === 'gate.data_request.opened');
  });
});
afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** What the tables hold, but for the records that reading and refusing add. */
async function tablesDigest(): Promise<Record<string, { items: number; digest: string }>> {
  const out: Record<string, { items: number; digest: string }> = {};
  for (const t of TABLES) {
    const items = (await scanAll(stack.endpoints.dynamodb!, t)).filter((i) => !isReadOrRefusal(t, i));
    const lines = items.map((i) => JSON.stringify(i, Object.keys(i).sort())).sort();
    out[t] = { items: items.length, digest: createHash('sha256').update(lines.join('\n')).digest('hex') };
  }
  return out;
}

const UNKNOWN_REQUEST = '00000000-0000-4000-8000-0000000f0f0f';
const earlier = new Date(Date.now() - 86400_000).toISOString();

interface Target {
  name: string;
  path: () => string;
  as: string;
  valid: () => unknown;
  /** Every status a generated body may get here: a 2xx only where it changes nothing. */
  allowed: number[];
  /** POST unless the route says otherwise. */
  method?: 'PUT';
  contentType?: string;
}

const TARGETS: Target[] = [
  {
    name: 'openCase',
    path: () => '/cases',
    as: 'inv.alice',
    valid: () => demoCaseBody(openRef),
    allowed: [400, 409, 413],
  },
  {
    name: 'decideApproval',
    path: () => `/approvals/${decidedApproval}/decision`,
    as: 'sgt.carol',
    valid: () => ({
      decision: 'approve',
      rationale: 'necessary and proportionate',
      authorisation: {
        route: 'ocda',
        reference: 'OCDA/F/1',
        dataType: 'entity',
        expiresAt: new Date(Date.now() + 86400_000).toISOString(),
      },
    }),
    allowed: [400, 409, 413],
  },
  {
    name: 'uploadReturn',
    path: () => `/cases/${rejectedCase}/requests/${UNKNOWN_REQUEST}/return`,
    as: 'spoc.sam',
    valid: () => ({
      receivedAt: earlier,
      subscriber: {
        name: 'A Person',
        emails: ['a@example.com'],
        phones: ['+447700900999'],
        createdAt: '2025-06-01T10:00:00Z',
      },
      ipEvents: [
        { ip: '203.0.113.7', port: 51234, at: '2026-11-01 21:14:05', timeZone: 'America/Los_Angeles', kind: 'login' },
      ],
      installationAddress: { lines: ['22 Acacia Avenue', 'Bradford'], postcode: 'BD1 2AB' },
    }),
    allowed: [400, 404, 413],
  },
  {
    name: 'chooseIspRequests',
    path: () => `/cases/${rejectedCase}/requests/${UNKNOWN_REQUEST}/isp-requests`,
    as: 'spoc.sam',
    valid: () => ({ events: [0, 1], rationale: 'the remaining logins are needed to corroborate' }),
    allowed: [400, 404, 413],
  },
  {
    name: 'proposeIdentification',
    path: () => `/cases/${rejectedCase}/identification`,
    as: 'inv.alice',
    valid: () => ({
      candidateId: 'cand-0001',
      suspect: { name: 'A Person', aliases: ['anon'], dateOfBirth: '1985-02-03' },
      points: [
        { requestId: 'req-000001', kind: 'email', detail: 'subscriber record' },
        { requestId: 'req-000002', kind: 'ip_resolution', detail: 'ISP subscriber' },
      ],
      rationale: 'two sources agree on the person',
    }),
    allowed: [400, 409, 413],
  },
  {
    name: 'recordArrest',
    path: () => `/cases/${rejectedCase}/arrest`,
    as: 'inv.alice',
    valid: () => ({ outcome: 'arrested', at: earlier }),
    allowed: [400, 409, 413],
  },
  {
    name: 'proposeDisclosure',
    path: () => `/cases/${rejectedCase}/disclosure-proposal`,
    as: 'inv.alice',
    valid: () => ({
      action: 'delay',
      ground: 'prejudice_investigation',
      reviewInDays: 7,
      rationale: 'an arrest is planned this week',
    }),
    allowed: [400, 409, 413],
  },
  // Closing without a suspect: a rejected case is past it (409).
  {
    name: 'proposeClosure',
    path: () => `/cases/${rejectedCase}/closure-proposal`,
    as: 'inv.alice',
    valid: () => ({ reason: 'no_suspect_identified', rationale: 'nothing came back that names anyone' }),
    allowed: [400, 409, 413],
  },
  {
    name: 'verifyContact',
    path: () => `/cases/${rejectedCase}/contact-verification`,
    as: 'inv.alice',
    valid: () => ({ channel: 'sms', verified: true, note: 'confirmed with the victim in person' }),
    allowed: [400, 409, 413],
  },
  {
    name: 'recordHandover',
    path: () => `/cases/${rejectedCase}/disclosure/delivered`,
    as: 'inv.alice',
    valid: () => ({ at: earlier, note: 'handed over at the station' }),
    allowed: [400, 409, 413],
  },
  // The victim's contact: a rejected case keeps its details (409).
  {
    name: 'updateContact',
    method: 'PUT',
    path: () => `/cases/${rejectedCase}/victim/contact`,
    as: 'inv.alice',
    valid: () => ({ preferredChannel: 'letter', phone: '+447700900456', safeTimes: 'weekday mornings' }),
    allowed: [400, 409, 413],
  },
  // The victim's choice: nothing left to choose on a rejected case (409).
  {
    name: 'recordVictimChoice',
    path: () => `/cases/${rejectedCase}/victim-choice`,
    as: 'inv.alice',
    valid: () => ({
      choice: 'declines',
      channel: 'in_person',
      supportPresent: true,
      note: 'she does not want to know',
    }),
    allowed: [400, 409, 413],
  },
  // Contract v2, the case owner: a rejected case keeps its owner (409).
  {
    name: 'transferOwner',
    path: () => `/cases/${rejectedCase}/owner`,
    as: 'inv.alice',
    valid: () => ({ owner: 'local-inv.ahmed', reason: 'DC Hughes is on leave; DC Khan takes the case' }),
    allowed: [400, 409, 413],
  },
  // After identification (issue 7): the rejected case owes nothing on an arrest track and cannot be closed by decision (409);
  // a referral without consent is a 400 whatever the case.
  {
    name: 'recordVictimUpdate',
    path: () => `/cases/${rejectedCase}/victim-update`,
    as: 'inv.alice',
    valid: () => ({ arrestIndex: 0, how: 'phone', at: earlier, note: 'told her by phone' }),
    allowed: [400, 409, 413],
  },
  {
    name: 'recordProtectionOrder',
    path: () => `/cases/${rejectedCase}/protection-order`,
    as: 'inv.alice',
    valid: () => ({
      arrestIndex: 2,
      considered: 'full',
      power: 'on_conviction',
      decision: 'made',
      reason: 'made by the court at sentencing',
      order: {
        conditions: ['not to contact the victim'],
        duration: { kind: 'time_limited', years: 5 },
        madeAt: earlier,
        servedAt: earlier,
      },
    }),
    allowed: [400, 409, 413],
  },
  {
    name: 'recordSpoNotification',
    path: () => `/cases/${rejectedCase}/protection-order/notification`,
    as: 'inv.alice',
    valid: () => ({ arrestIndex: 0, notified: false, at: earlier, note: 'did not attend' }),
    allowed: [400, 409, 413],
  },
  {
    name: 'confirmPrisonContact',
    path: () => `/cases/${rejectedCase}/prison-contact/confirmed`,
    as: 'inv.alice',
    valid: () => ({ arrestIndex: 3, at: earlier, prisonReference: 'HMP-1', note: 'confirmed' }),
    allowed: [400, 409, 413],
  },
  {
    name: 'makeReferral',
    path: () => `/cases/${rejectedCase}/referrals`,
    as: 'inv.alice',
    valid: () => ({
      service: 'stalking_advocate',
      consent: { given: true, recordedAt: earlier, how: 'in_person' },
      shared: ['victim.name', 'victim.contact.phone'],
    }),
    allowed: [400, 409, 413],
  },
  {
    name: 'closeCase',
    path: () => `/cases/${rejectedCase}/close`,
    as: 'inv.alice',
    valid: () => ({ reason: 'nothing more can be done here' }),
    allowed: [400, 409, 413],
  },
  // No fault of that id on the case: the valid body is a 404, and nothing changes.
  {
    name: 'retryFault',
    path: () => `/cases/${rejectedCase}/faults/00000000-0000-4000-8000-00000000f417/retry`,
    as: 'sgt.bob',
    valid: () => ({ rationale: 'the cause was dealt with today' }),
    allowed: [400, 404, 413],
  },
  // Receipts for notifications no case sent: acknowledged (200) and ignored.
  {
    name: 'notifyCallback',
    path: () => '/callbacks/notify',
    as: 'notify',
    valid: () => ({
      id: 'f0f0f0f0-0000-4000-8000-000000000001',
      reference: `${rejectedCase}:nothing-sent`,
      to: '+447700900123',
      status: 'delivered',
      notification_type: 'sms',
    }),
    allowed: [200, 400, 413],
  },
  {
    name: 'localToken',
    path: () => '/local/token',
    as: 'none',
    valid: () => ({ username: 'inv.alice' }),
    allowed: [200, 400, 404, 413],
  },
];

// Wrong-typed and hostile values, for any place in a body.
const HUGE = fc
  .tuple(fc.constantFrom('a', 'é', '😀', ' ', '\\', '"'), fc.integer({ min: 1_000, max: 200_000 }))
  .map(([c, n]) => c.repeat(n));
const HOSTILE_STRING = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\ud800',
    'a\udc00b',
    '😀',
    '\u202e',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${x} is the fuzz input, not a template
    '${x}',
    '<script>',
    "' OR 1=1 --",
    '../../etc/passwd',
    '%00',
    'null',
    'true',
    '1e309',
    '-0',
    '__proto__',
  ),
  fc.string({ maxLength: 50 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
);
const WRONG = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constantFrom(1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 0.1),
  HOSTILE_STRING,
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
  HUGE,
);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const DEEP = '\u0000deep\u0000';

/** Every place in a body, as a path of keys and indexes. */
function places(v: Json, path: (string | number)[] = []): (string | number)[][] {
  if (v === null || typeof v !== 'object') return [path];
  const children = Array.isArray(v)
    ? v.map((c, i) => places(c, [...path, i]))
    : Object.entries(v).map(([k, c]) => places(c, [...path, k]));
  return [path, ...children.flat()];
}

type Mutation = {
  kind: 'delete' | 'replace' | 'unknownKey' | 'deep';
  pick: number;
  value?: Json;
  key?: string;
  depth?: number;
};
const MUTATION: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('replace' as const), pick: fc.nat(), value: WRONG as fc.Arbitrary<Json> }),
  fc.record({
    kind: fc.constant('unknownKey' as const),
    pick: fc.nat(),
    key: fc.oneof(
      fc.constantFrom('extra', 'isAdmin', 'force', 'stage', 'createdBy', 'toString', 'hasOwnProperty'),
      fc.string({ maxLength: 12 }),
    ),
    value: fc.jsonValue({ maxDepth: 1 }) as fc.Arbitrary<Json>,
  }),
  fc.record({ kind: fc.constant('deep' as const), pick: fc.nat(), depth: fc.integer({ min: 20, max: 50_000 }) }),
);

function mutate(body: Json, m: Mutation): Json {
  const all = places(body);
  const path = all[m.pick % all.length]!;
  if (path.length === 0) return m.kind === 'replace' ? m.value! : m.kind === 'deep' ? DEEP : body;
  const parent = path.slice(0, -1).reduce<Json>((o, k) => (o as Record<string | number, Json>)[k]!, body) as Record<
    string | number,
    Json
  >;
  const last = path.at(-1)!;
  if (m.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else if (m.kind === 'replace') parent[last] = m.value!;
  else if (m.kind === 'deep') parent[last] = DEEP;
  else if (!Array.isArray(parent)) parent[m.key!] = m.value!;
  return body;
}

const deepText = (depth: number, i: number) =>
  i % 2 ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

/** A body as text: near-valid, random JSON, polluted, not JSON at all. */
function bodies(t: Target): fc.Arbitrary<{ text: string; contentType: string }> {
  const json = (text: string) => ({ text, contentType: t.contentType ?? 'application/json' });
  const nearValid = fc.tuple(fc.array(MUTATION, { minLength: 1, maxLength: 3 }), fc.nat()).map(([ms, i]) => {
    const body = ms.reduce((b, m) => mutate(b, m), t.valid() as Json);
    let text = JSON.stringify(body);
    const depth = ms.find((m) => m.kind === 'deep')?.depth ?? 0;
    text = text.split(JSON.stringify(DEEP)).join(deepText(depth, i));
    return json(text);
  });
  const polluted = fc
    .tuple(fc.constantFrom('__proto__', 'constructor', 'prototype'), fc.nat(), fc.jsonValue({ maxDepth: 2 }))
    .map(([key, at, value]) => {
      const text = JSON.stringify(t.valid());
      const opens = [...text.matchAll(/\{/g)].map((m) => m.index);
      const pos = opens[at % opens.length]! + 1;
      return json(
        `${text.slice(0, pos)}${JSON.stringify(key)}:${JSON.stringify(value)}${text[pos] === '}' ? '' : ','}${text.slice(pos)}`,
      );
    });
  const random = fc.jsonValue({ maxDepth: 4 }).map((v) => json(JSON.stringify(v) ?? 'null'));
  const notJson = fc
    .oneof(
      fc.string({ maxLength: 200 }),
      fc.constantFrom(
        '',
        '{',
        '}',
        '[',
        '{"a":}',
        '{"a":1,}',
        "{'a':1}",
        'NaN',
        'undefined',
        '\u0000',
        '\ufeff{}',
        '{"a":1}{"b":2}',
      ),
      fc.nat().map((n) => {
        const text = JSON.stringify(t.valid());
        return text.slice(0, n % text.length);
      }),
    )
    .map(json);
  const wrongType = fc
    .tuple(
      fc.constantFrom(
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data',
        'application/xml',
        'text/csv',
        '',
      ),
      fc.constant(JSON.stringify(t.valid())),
    )
    .map(([contentType, text]) => ({ text, contentType }));
  return fc
    .oneof(
      { weight: 5, arbitrary: nearValid },
      { weight: 2, arbitrary: polluted },
      { weight: 2, arbitrary: random },
      { weight: 2, arbitrary: notJson },
      { weight: 1, arbitrary: wrongType },
    )
    .map((b) => ({ ...b, [fc.toStringMethod]: () => shown(b.contentType, b.text) }));
}

/** A counterexample as a person can read it: a huge or deep body is cut short. */
const shown = (contentType: string, text: string) =>
  `${contentType} ${text.length > 300 ? `${text.slice(0, 300)}… (${text.length} chars)` : text}`;

async function send(t: Target, text: string, contentType: string) {
  const headers: Record<string, string> = {};
  if (t.as !== 'none') headers.authorization = bearer.get(t.as)!;
  if (contentType) headers['content-type'] = contentType;
  const res = await fetch(`${stack.apiUrl}${t.path()}`, { method: t.method ?? 'POST', headers, body: text });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

async function check(t: Target, text: string, contentType: string) {
  const res = await send(t, text, contentType);
  const where = `${t.name}: ${res.status} for ${shown(contentType, text)}`;
  // Wrong content types get their 415 wherever the route takes JSON only.
  const allowed =
    contentType === (t.contentType ?? 'application/json')
      ? t.allowed
      : [...t.allowed, 415, ...(t.name === 'uploadReturn' && contentType === 'text/csv' ? [404] : [])];
  expect(allowed, where).toContain(res.status);
  if (res.status >= 400) {
    expect(res.type, where).toBe('application/problem+json');
    const problem = JSON.parse(res.text) as { status: number; title: string; detail: string };
    expect(problem.status, where).toBe(res.status);
    expect(res.text, where).not.toMatch(/\bat .+\.(ts|js):\d+|node:internal|Error:/);
  }
}

describe('generated bodies at every route with a body', () => {
  test('cover every route of routes.ts that takes a body', () => {
    expect(TARGETS.map((t) => t.name).sort()).toEqual(
      routesWithInputs()
        .filter(([, r]) => r.body)
        .map(([n]) => n)
        .sort(),
    );
  });

  test(`${RUNS} bodies a route (and CSV for returns): no 5xx, problem details for every 4xx, and the tables unchanged`, async () => {
    const before = await tablesDigest();
    for (const t of TARGETS)
      await fc.assert(
        fc.asyncProperty(bodies(t), ({ text, contentType }) => check(t, text, contentType)),
        { numRuns: RUNS },
      );

    // Platform IP logs may come as CSV: rows of any text, near-valid rows, and a header that is wrong.
    const csvTarget = { ...TARGETS.find((t) => t.name === 'uploadReturn')!, contentType: 'text/csv' };
    const cell = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom(
        '203.0.113.7',
        '::1',
        '999.1.1.1',
        '51234',
        '-1',
        '2026-11-01 21:14:05',
        '2026-11-01T21:14:05Z',
        'America/Los_Angeles',
        'Mars/Olympus',
        'login',
        '"quoted, with comma"',
        '"unterminated',
        '',
      ),
    );
    const csv = fc
      .tuple(
        fc.constantFrom(
          'ip,port,timestamp,timezone,kind',
          'ip,timestamp',
          'IP,PORT,TIMESTAMP,TIMEZONE,KIND',
          '',
          'ip,port,timestamp,timezone,kind,extra',
        ),
        fc.array(fc.array(cell, { minLength: 0, maxLength: 7 }), { maxLength: 20 }),
        fc.constantFrom('\n', '\r\n', '\r'),
      )
      .map(([header, rows, nl]) => [header, ...rows.map((r) => r.join(','))].join(nl));
    await fc.assert(
      fc.asyncProperty(csv, (text) => check(csvTarget, text, 'text/csv')),
      { numRuns: RUNS },
    );

    expect(await tablesDigest()).toEqual(before);
  }, 240_000);
});

describe('generated query strings at every list', () => {
  const lists = routesWithInputs().filter(([, r]) => r.query);

  test(`${RUNS} query strings a list (page sizes, cursors, scopes, statuses, keys it does not take): a 200 or a 400 as problem details, and the tables unchanged`, async () => {
    expect(lists.map(([n]) => n).sort()).toEqual(
      ['getAudit', 'getTimeline', 'getViews', 'listApprovals', 'listCases', 'listFaults', 'listRequestQueue'].sort(),
    );
    const before = await tablesDigest();
    const value = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.integer().map(String),
      fc.constantFrom('0', '1', '50', '200', '201', '-1', '1e2', '0x10', ' 5', 'force', 'mine', 'all', 'open'),
      fc.constantFrom('closed', 'awaiting_return', 'v1.AAAA.BBBB.CCCC', 'v1...', '%', ''),
    );
    const key = fc.constantFrom('limit', 'cursor', 'scope', 'status', 'page', '__proto__', 'constructor', 'LIMIT');
    const query = fc
      .array(fc.tuple(key, value), { maxLength: 5 })
      .map((pairs) => new URLSearchParams(pairs).toString());
    for (const [name, route] of lists) {
      const as = name === 'listRequestQueue' ? 'spoc.sam' : 'sgt.bob';
      const path = route.path.replace('{caseId}', rejectedCase);
      await fc.assert(
        fc.asyncProperty(query, async (q) => {
          const res = await fetch(`${stack.apiUrl}${path}${q ? `?${q}` : ''}`, {
            headers: { authorization: bearer.get(as)! },
          });
          const text = await res.text();
          const where = `${name}: ${res.status} for ?${q}`;
          expect([200, 400], where).toContain(res.status);
          if (res.status === 400) {
            expect(res.headers.get('content-type'), where).toBe('application/problem+json');
            expect(JSON.parse(text).status, where).toBe(400);
          } else expect(JSON.parse(text), where).toMatchObject({ items: expect.any(Array) });
        }),
        { numRuns: RUNS },
      );
    }
    expect(await tablesDigest()).toEqual(before);
  }, 240_000);
});
