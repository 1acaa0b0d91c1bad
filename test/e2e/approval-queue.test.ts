import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createCase } from '../../functions/adapters/case.js';
import { newCase } from '../../functions/domain/caseOpening.js';
import { CaseInput } from '../../functions/schemas/api.js';
import { lambdaContext, loadHandler } from '../../local/handlers.js';
import { demoCaseBody } from '../../local/scenario.js';
import { uniqueReference } from '../support/journey.js';
import { SEEDED_USERS } from '../../local/auth.js';
import { seededUser } from '../support/users.js';
import { startTestStack, type TestStack } from '../support/stack.js';

/**
 * A thousand approvals pending at once, at every rank, on cases opened by an
 * investigator and by a supervisor who also investigates: every one is in the
 * walk of each supervisor who may decide it, and in no other. They are made
 * by the handlers' own code: a case as POST /cases stores it, its gate opened
 * by the workflow's openApproval step, raised a rank at a time by its
 * escalate step (no workflow runs for these cases: the steps are called as the
 * state machine calls them, with a task token no one will use).
 */
const PENDING = 1000;
// Written out here, not taken from the code under test.
const RANKS = ['constable', 'sergeant', 'inspector', 'chief_inspector', 'superintendent'];
const SUPERVISORS = { 'sgt.bob': 1, 'sgt.carol': 1, 'ds.grace': 1, 'insp.dave': 2, 'supt.erin': 4 } as const;

interface Queued {
  approvalId: string;
  caseId: string;
  gate: string;
  requiredRank: string;
  dueAt: string;
  overdue: boolean;
}

let t: TestStack;
const seeded: { caseId: string; opener: string; rank: string }[] = [];

async function seedOne(i: number): Promise<void> {
  const opener = i % 5 === 0 ? 'ds.grace' : 'inv.alice';
  const caseId = randomUUID();
  const now = new Date().toISOString();
  const body = CaseInput.parse(demoCaseBody(uniqueReference()));
  await createCase(
    newCase(
      body,
      seededUser(opener),
      caseId,
      now,
      body.accounts.map(() => randomUUID()),
    ),
  );
  const openApproval = await loadHandler('workflow', 'openApproval');
  const escalate = await loadHandler('workflow', 'escalate');
  // Some are due at once (overdue when listed), the rest in a day.
  const timeoutSeconds = i % 7 === 0 ? 1 : 86_400;
  const gate = { caseId, gate: 'data_request', timeoutSeconds };
  await openApproval({ ...gate, taskToken: `seed-${caseId}-0` }, lambdaContext('openApproval'));
  // Most wait at the gate's own rank; one in twelve has gone one, two or three ranks up, some of them opened by
  // ds.grace (each raise is an escalation and a new opening, the seed's dearest part: as many as the ranks need).
  const raises = i % 12 === 0 ? ([1, 1, 2, 3] as const)[(i / 12) % 4]! : 0;
  for (let r = 1; r <= raises; r++) {
    await escalate({ caseId, gate: 'data_request' }, lambdaContext('escalate'));
    await openApproval({ ...gate, taskToken: `seed-${caseId}-${r}` }, lambdaContext('openApproval'));
  }
  seeded.push({ caseId, opener, rank: RANKS[1 + raises]! });
}

beforeAll(async () => {
  t = await startTestStack('approval-queue-');
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < PENDING) await seedOne(next++);
    }),
  );
}, 600_000);
afterAll(async () => {
  await t?.stop();
});

describe(`${PENDING} pending approvals`, () => {
  test('each supervisor walks exactly what they may decide: every one, once, and nothing else', async () => {
    for (const [who, rank] of Object.entries(SUPERVISORS)) {
      const walked = await t.api.all<Queued>('/approvals', who);
      const ids = walked.map((a) => a.caseId);
      expect(new Set(ids).size, who).toBe(ids.length);
      const expected = seeded
        .filter((s) => RANKS.indexOf(s.rank) <= rank && s.opener !== who)
        .map((s) => s.caseId)
        .sort();
      expect([...ids].sort(), who).toEqual(expected);
      for (const a of walked) expect(RANKS.indexOf(a.requiredRank), who).toBeLessThanOrEqual(rank);
    }
    expect(seeded).toHaveLength(PENDING);
    expect((await t.api.all<Queued>('/approvals', 'supt.erin')).length).toBe(
      seeded.filter((s) => s.opener !== 'supt.erin').length,
    );
  });

  test('the queue is overdue first, then by due time, page after page', async () => {
    const walked = await t.api.all<Queued>('/approvals', 'supt.erin');
    expect(walked.some((a) => a.overdue)).toBe(true);
    for (let i = 1; i < walked.length; i++) {
      const [a, b] = [walked[i - 1]!, walked[i]!];
      expect(!a.overdue && b.overdue).toBe(false);
      if (a.overdue === b.overdue) expect(b.dueAt >= a.dueAt).toBe(true);
    }
  });

  test('small pages of a filtered queue resume where the filter stopped: nothing skipped, nothing twice', async () => {
    const whole = (await t.api.all<Queued>('/approvals', 'sgt.bob')).map((a) => a.approvalId);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const r: { status: number; body: { items: Queued[]; nextCursor: string | null } } = await t.api.get(
        `/approvals?limit=37${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        'sgt.bob',
      );
      expect(r.status).toBe(200);
      paged.push(...r.body.items.map((a) => a.approvalId));
      cursor = r.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(whole);
  });

  test('no one else sees them: not an investigator, not another force', async () => {
    expect((await t.api.get('/approvals', 'inv.alice')).status).toBe(403);
    expect((await t.api.get('/approvals', 'aud.frank')).status).toBe(403);
    const grace = SEEDED_USERS.find((u) => u.username === 'ds.grace')!;
    const other = t.stack.identity.sign({
      ...t.stack.identity.claimsFor(grace),
      sub: 'other-force-x',
      'custom:rank': 'superintendent',
      'custom:force': 'OTHER',
    });
    const r = await fetch(`${t.stack.apiUrl}/approvals`, { headers: { authorization: `Bearer ${other}` } });
    expect(r.status).toBe(200);
    expect(((await r.json()) as { items: unknown[] }).items).toEqual([]);
  });
});
