import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SEEDED_USERS } from '../../local/auth.js';
import { demoCaseBody } from '../../local/scenario.js';
import { uniqueReference } from '../support/journey.js';
import { startTestStack, type TestStack } from '../support/stack.js';

/**
 * Lists are pages (docs/api.md, "Lists are pages"): walking every page lists each item
 * exactly once, also while items arrive; cursors are bound to the list, its
 * query and the caller's force; tags let a poll that finds nothing new cost a
 * 304. The workflow runs at its normal pace here, so nothing escalates.
 */
let t: TestStack;
let otherForce: string;

interface Row {
  caseId: string;
  crimeReference: string;
  stage: string;
  openTasks: { task: string; dueAt: string; overdue: boolean }[];
  nextDeadline: string | null;
  createdBy: string;
  owner: string;
}
type Page<T> = { items: T[]; nextCursor: string | null };

const open = async (who = 'inv.alice') => {
  const r = await t.api.post<{ caseId: string }>('/cases', who, demoCaseBody(uniqueReference()));
  expect(r.status).toBe(201);
  return r.body.caseId;
};

/** Every page of a list, `limit` at a time, calling `between` after each page. */
async function walk<T>(path: string, as: string, limit: number, between?: () => Promise<unknown>) {
  const items: T[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const r: { status: number; body: Page<T> } = await t.api.get<Page<T>>(
      `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      as,
    );
    expect(r.status).toBe(200);
    expect(r.body.items.length).toBeLessThanOrEqual(limit);
    items.push(...r.body.items);
    cursor = r.body.nextCursor;
    pages += 1;
    await between?.();
  } while (cursor);
  return { items, pages };
}

beforeAll(async () => {
  t = await startTestStack('lists-');
  const grace = SEEDED_USERS.find((u) => u.username === 'ds.grace')!;
  otherForce = t.stack.identity.sign({
    ...t.stack.identity.claimsFor(grace),
    sub: 'other-force-x',
    'cognito:username': 'x.force',
    'cognito:groups': ['investigator', 'spoc', 'supervisor', 'auditor'],
    'custom:rank': 'superintendent',
    'custom:force': 'OTHER',
  });
  for (let i = 0; i < 11; i++) await open();
  for (let i = 0; i < 3; i++) await open('inv.ahmed');
});
afterAll(async () => {
  await t?.stop();
});

const asOther = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${t.stack.apiUrl}${path}`, { headers: { authorization: `Bearer ${otherForce}`, ...headers } });

describe('GET /cases, a page at a time', () => {
  test('walking every page lists each case exactly once, newest first, each row its own summary', async () => {
    const { items, pages } = await walk<Row>('/cases', 'sgt.bob', 4);
    expect(pages).toBeGreaterThanOrEqual(4);
    const ids = items.map((r) => r.caseId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(14);
    const all = await t.api.all<Row>('/cases', 'sgt.bob');
    expect(all.map((r) => r.caseId)).toEqual(ids);
    for (const r of items) {
      expect(Object.keys(r).sort()).toEqual(
        ['caseId', 'createdBy', 'crimeReference', 'nextDeadline', 'openTasks', 'owner', 'stage'].sort(),
      );
      expect(r.owner).toBe(r.createdBy);
    }
  });

  test('cases opened during the walk: none listed twice, none of those there before missed', async () => {
    const before = new Set((await t.api.all<Row>('/cases', 'inv.alice')).map((r) => r.caseId));
    const added: string[] = [];
    const { items } = await walk<Row>('/cases', 'inv.alice', 3, async () => added.push(await open()));
    const ids = items.map((r) => r.caseId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of before) expect(ids).toContain(id);
    // Newest first: those opened during the walk sort ahead of where the walk already is.
    const after = await t.api.all<Row>('/cases', 'inv.alice');
    expect(
      after
        .map((r) => r.caseId)
        .slice(0, added.length)
        .sort(),
    ).toEqual([...added].sort());
  });

  test('scope=mine is the cases the caller owns; status filters open and closed', async () => {
    const mine = await t.api.all<Row>('/cases?scope=mine', 'inv.ahmed');
    expect(mine).toHaveLength(3);
    for (const r of mine) expect(r.owner).toBe('local-inv.ahmed');
    expect(await t.api.all<Row>('/cases?scope=mine&status=open', 'inv.ahmed')).toHaveLength(3);
    expect(await t.api.all<Row>('/cases?scope=mine&status=closed', 'inv.ahmed')).toHaveLength(0);
    const open = await t.api.all<Row>('/cases?status=open', 'sgt.bob');
    const all = await t.api.all<Row>('/cases', 'sgt.bob');
    expect(open.map((r) => r.caseId)).toEqual(
      all.filter((r) => !['CLOSED', 'REJECTED'].includes(r.stage)).map((r) => r.caseId),
    );
  });

  test('the summary on each row is the one the case shows', async () => {
    const row = await t.api.until('a case waiting at its first gate', async () =>
      (await t.api.all<Row>('/cases', 'inv.alice')).find((r) => r.openTasks.length > 0),
    );
    const kase = await t.api.get<{ openTasks: Row['openTasks']; nextDeadline: string | null; stage: string }>(
      `/cases/${row.caseId}`,
      'inv.alice',
    );
    // Compared only where this read could not race the workflow: the first gate waits a day.
    expect(kase.body.stage).toBe('DATA_REQUEST_APPROVAL');
    expect(row.openTasks).toEqual(kase.body.openTasks);
    expect(row.nextDeadline).toBe(kase.body.nextDeadline);
  });
});

describe('cursors and limits', () => {
  const first = async (path: string, as = 'sgt.bob') => {
    const r = await t.api.get<Page<Row>>(path, as);
    expect(r.status).toBe(200);
    expect(r.body.nextCursor).toEqual(expect.any(String));
    return r.body.nextCursor!;
  };

  test('a changed cursor is a 400 naming cursor', async () => {
    const cursor = await first('/cases?limit=2');
    const flipped = `${cursor.slice(0, -3)}${cursor.at(-3) === 'A' ? 'B' : 'A'}${cursor.slice(-2)}`;
    for (const bad of [flipped, 'garbage', `${cursor}x`]) {
      const r = await t.api.get<{ errors: { path: string }[] }>(
        `/cases?limit=2&cursor=${encodeURIComponent(bad)}`,
        'sgt.bob',
      );
      expect(r.status).toBe(400);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      expect(r.body.errors.map((e) => e.path)).toContain('cursor');
    }
  });

  test("a cursor of another query, another list or another force's is a 400", async () => {
    const cursor = encodeURIComponent(await first('/cases?limit=2'));
    expect((await t.api.get(`/cases?limit=2&scope=mine&cursor=${cursor}`, 'sgt.bob')).status).toBe(400);
    expect((await t.api.get(`/cases?limit=2&status=open&cursor=${cursor}`, 'sgt.bob')).status).toBe(400);
    expect((await t.api.get(`/approvals?limit=2&cursor=${cursor}`, 'sgt.bob')).status).toBe(400);
    expect((await asOther(`/cases?limit=2&cursor=${cursor}`)).status).toBe(400);
    // The same cursor, same list and query, same force: another page size is fine.
    expect((await t.api.get(`/cases?limit=3&cursor=${cursor}`, 'inv.alice')).status).toBe(200);
  });

  test('limit outside 1..200, and parameters a list does not take, are 400s', async () => {
    for (const q of ['limit=0', 'limit=201', 'limit=-1', 'limit=abc', 'limit=1.5', 'scope=all', 'status=any', 'page=2'])
      expect((await t.api.get(`/cases?${q}`, 'sgt.bob')).status, q).toBe(400);
    expect((await t.api.get('/approvals?limit=201', 'sgt.bob')).status).toBe(400);
    expect((await t.api.get('/requests?status=returned', 'spoc.sam')).status).toBe(400);
    expect((await t.api.get('/cases?limit=200', 'sgt.bob')).status).toBe(200);
    expect((await t.api.get('/cases?limit=1', 'sgt.bob')).status).toBe(200);
  });

  test("another force's caller sees none of this force's cases", async () => {
    const r = await asOther('/cases');
    expect(r.status).toBe(200);
    expect(((await r.json()) as Page<Row>).items).toEqual([]);
  });
});

describe('ETags', () => {
  /** The tag of a list now, and whether it answers 304 to that tag: retried once if a tag's time span ended between the two reads. */
  async function notModifiedAfter(path: string, as: string) {
    for (let attempt = 0; attempt < 3; attempt++) {
      const first = await t.api.get(path, as);
      const tag = first.headers.get('etag');
      expect(tag).toBeTruthy();
      const second = await t.api.getWith(path, as, { 'if-none-match': tag! });
      if (second.status === 304) return { tag: tag!, second };
      expect(second.status).toBe(200);
    }
    throw new Error(`${path} never answered 304`);
  }

  test('every list answers 304 with no body to its current tag, and 200 once something changed', async () => {
    for (const [path, as] of [
      ['/cases', 'inv.alice'],
      ['/cases?scope=mine&status=open', 'inv.ahmed'],
      ['/approvals', 'sgt.bob'],
      ['/faults', 'sgt.bob'],
      ['/requests', 'spoc.sam'],
    ] as const) {
      const { second } = await notModifiedAfter(path, as);
      expect(second.body).toBe('');
    }
    const { tag } = await notModifiedAfter('/cases', 'inv.alice');
    await open();
    const after = await t.api.getWith('/cases', 'inv.alice', { 'if-none-match': tag });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(tag);
  });

  test("a tag is the caller's: another user's tag for the same list is not a 304", async () => {
    const bob = await t.api.get('/approvals', 'sgt.bob');
    const dave = await t.api.getWith('/approvals', 'insp.dave', { 'if-none-match': bob.headers.get('etag')! });
    expect(dave.status).toBe(200);
  });

  test('a case answers 304 to its tag and records no view; the timeline pages on from the case', async () => {
    const caseId = await open();
    // What a view would change: the trail, and the consultation log (its views page).
    const trail = async () => [
      await t.api.all<{ seq: number; action: string }>(`/cases/${caseId}/audit`, 'aud.frank'),
      await t.api.all<{ at: string; actor: string }>(`/cases/${caseId}/views`, 'aud.frank'),
    ];
    const { tag } = await notModifiedAfter(`/cases/${caseId}`, 'inv.alice');
    const before = await trail();
    const again = await t.api.getWith(`/cases/${caseId}`, 'inv.alice', { 'if-none-match': tag });
    if (again.status === 304) expect(await trail()).toEqual(before);
    const kase = await t.api.get<{ timeline: { seq: number; text: string }[]; timelineCursor: string | null }>(
      `/cases/${caseId}`,
      'inv.alice',
    );
    expect(kase.body.timeline.length).toBeGreaterThan(0);
    expect(kase.body.timeline.length).toBeLessThanOrEqual(50);
    for (const e of kase.body.timeline) expect(e.text).toMatch(/\.$/);
    const seqs = kase.body.timeline.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
  });
});

describe('the timeline and the trail, a page at a time', () => {
  test('the timeline walks newest first, each entry once, in sentences; the trail oldest first', async () => {
    const caseId = await open();
    for (let i = 0; i < 5; i++) expect((await t.api.get(`/cases/${caseId}`, 'inv.alice')).status).toBe(200);
    const timeline = await walk<{ seq: number; at: string; actor: string; action: string; text: string }>(
      `/cases/${caseId}/timeline`,
      'aud.frank',
      2,
    );
    const seqs = timeline.items.map((e) => e.seq);
    expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => b - a));
    expect(timeline.items.at(-1)).toMatchObject({
      seq: 1,
      action: 'case.opened',
      text: 'local-inv.alice opened the case.',
    });
    const trail = await walk<{ seq: number }>(`/cases/${caseId}/audit`, 'aud.frank', 3);
    const trailSeqs = trail.items.map((e) => e.seq);
    expect(trailSeqs).toEqual(trailSeqs.map((_, i) => i + 1));
    expect(trailSeqs.length).toBeGreaterThanOrEqual(seqs.length);
    expect((await t.api.get(`/cases/${caseId}/timeline`, 'spoc.sam')).status).toBe(200);
    expect((await asOther(`/cases/${caseId}/timeline`)).status).toBe(403);
  });
});
