import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { markApproval } from '../../functions/adapters/approval.js';
import { appendAudit } from '../../functions/adapters/audit.js';
import { mustLoadCase } from '../../functions/adapters/case.js';
import { watchDynamoCalls } from '../../functions/adapters/clients/dynamo.js';
import { viewWindow } from '../../functions/domain/consultations.js';
import { policy } from '../../functions/domain/policy.js';
import { SEEDED_USERS } from '../../local/auth.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { scanAll } from './tables.js';

/**
 * Opening a case is recorded (DPA 2018 s.62), once per person per window, in
 * the consultation log (one conditional put, not an entry of the case's
 * chain): the console's refreshes within the window add nothing. Many people
 * reading one case at once all get it.
 */
let t: TestStack;
beforeAll(async () => {
  t = await startTestStack('views-', { timeScale: 1 });
});
afterAll(() => t?.stop());

const views = async (caseId: string) =>
  (await scanAll(t.stack.endpoints.dynamodb!, 'consultations')).filter((i) => i.caseId === caseId) as {
    actor: string;
    at: string;
  }[];
const window = (at: string) => viewWindow(at, policy.viewRecordWindowSeconds);

/**
 * The store calls that name the case, made while `during` runs, but the puts to the case's items and trail (the
 * workflow's, which makes only puts here); a put to the consultation log is counted.
 */
async function readsOf<T>(caseId: string, during: () => Promise<T>): Promise<{ calls: string[]; result: T }> {
  const calls: string[] = [];
  const stop = watchDynamoCalls((commandName, input) => {
    const counted = !/^Put(Item)?Command$/.test(commandName) || input.TableName === 'consultations';
    if (counted && JSON.stringify(input).includes(caseId))
      calls.push(
        `${commandName} ${
          input.TableName ??
          Object.keys(input.RequestItems ?? {})
            .sort()
            .join('+')
        }`,
      );
  });
  try {
    return { calls, result: await during() };
  } finally {
    stop();
  }
}

const gateOpened = (caseId: string) =>
  t.api.until('gate 1 opened', async () =>
    (await t.api.all<{ action: string }>(`/cases/${caseId}/timeline`, 'inv.ahmed')).some(
      (e) => e.action === 'gate.data_request.opened',
    ),
  );

describe('views of a case', () => {
  test('50 concurrent reads of one case by the force’s people: every one answered, each person’s view recorded once a window', async () => {
    const caseId = await t.journey.openCase();
    const users = SEEDED_USERS.map((u) => u.username);
    const started = new Date().toISOString();
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => t.api.get<{ caseId: string }>(`/cases/${caseId}`, users[i % users.length]!)),
    );
    const ended = new Date().toISOString();
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    for (const a of answers) expect(a.body.caseId).toBe(caseId);

    const recorded = await views(caseId);
    // A request may straddle the turn of a window: a person is recorded once in each window the reads fell in.
    const windows = new Set([started, ended].map(window)).size;
    const byActor = new Map<string, number>();
    for (const v of recorded) byActor.set(v.actor, (byActor.get(v.actor) ?? 0) + 1);
    expect(byActor.size).toBe(users.length);
    for (const [actor, n] of byActor) expect(n, actor).toBeLessThanOrEqual(windows);

    // Another read by the same person within the window adds nothing; the trail holds no view, and stays a valid chain.
    const from = new Date().toISOString();
    expect((await t.api.get(`/cases/${caseId}`, 'inv.alice')).status).toBe(200);
    const after = await views(caseId);
    // Only when the read fell in the window of the earlier ones (not across the turn of the hour) is it the same view.
    if (window(ended) === window(new Date().toISOString()) && window(from) === window(ended))
      expect(after).toHaveLength(recorded.length);
    const verdict = await t.api.get<{ valid: boolean }>(`/cases/${caseId}/audit/verify`, 'aud.frank');
    expect(verdict.body.valid).toBe(true);
    const trail = await t.api.all<{ action: string }>(`/cases/${caseId}/audit`, 'aud.frank');
    expect(trail.filter((e) => e.action === 'case.viewed')).toEqual([]);

    // The views page lists each record once, newest window first, to any who may see the case.
    type View = { at: string; actor: string };
    const listed = await t.api.all<View>(`/cases/${caseId}/views?limit=7`, 'aud.frank');
    expect(listed.map((v) => `${v.actor}|${v.at}`).sort()).toEqual(after.map((v) => `${v.actor}|${v.at}`).sort());
    const starts = listed.map((v) => window(v.at));
    expect(starts).toEqual([...starts].sort().reverse());
    for (const v of listed) expect(Object.keys(v).sort()).toEqual(['actor', 'at']);
  });

  test('opening a case reads it and its newest entries and puts one consultation; reading it again in the window reads its version alone and records nothing, until the case or its trail moves', async () => {
    const caseId = await t.journey.openCase();
    // The workflow's last step before gate 1's wait (days away at time ×1) ends with the gate's entry, whose
    // marker and head it may still be writing: puts to the trail, which are not counted.
    await gateOpened(caseId);
    const opening = new Date().toISOString();
    const { calls: openedCalls, result: opened } = await readsOf(caseId, () =>
      t.api.get<{ caseId: string; timelineCursor: string | null }>(`/cases/${caseId}`, 'inv.ahmed'),
    );
    const recorded = await views(caseId);
    if (window(opening) === window(new Date().toISOString())) {
      expect(openedCalls.sort()).toEqual(['PutItemCommand consultations', 'QueryCommand audit', 'QueryCommand cases']);
      expect(recorded.map((v) => v.actor)).toEqual(['local-inv.ahmed']);
    }

    const { calls, result: again } = await readsOf(caseId, () =>
      t.api.get<{ caseId: string; timelineCursor: string | null }>(`/cases/${caseId}`, 'inv.ahmed'),
    );
    expect(again.status).toBe(200);
    expect(again.body.caseId).toBe(caseId);
    // Across the turn of a window the read is a new view, and rightly records it. Within it, one read (the case's
    // version and its chain's head, as this process read them: what the case and its newest entries were, the rest
    // made afresh) and no put (this process recorded the view): no view recorded again. What the process kept stands
    // for policy.listTagSeconds from its read, whether or not a tag's span turns between the two reads.
    if (window(opening) !== window(new Date().toISOString())) return;
    expect(Date.now() - Date.parse(opening)).toBeLessThan(policy.listTagSeconds * 1000);
    expect(calls).toEqual(['BatchGetItemCommand audit+cases']);
    expect(again.body).toEqual({ ...opened.body, timelineCursor: again.body.timelineCursor });
    expect(await views(caseId)).toHaveLength(recorded.length);

    // Once the case moves (here its gate's approval marked overdue), the read is answered afresh, with the change.
    const [approval] = (await mustLoadCase(caseId)).approvals;
    expect(await markApproval(approval!, { overdue: true })).toBe(true);
    const changed = await t.api.get<{ approvals: { overdue: boolean }[] }>(`/cases/${caseId}`, 'inv.ahmed');
    expect(changed.body.approvals.map((a) => a.overdue)).toEqual([true]);

    // Once the trail moves, the read is answered afresh, with the new entry.
    await appendAudit({
      caseId,
      at: new Date().toISOString(),
      actor: 'sgt.other-force',
      action: 'access.refused',
      ids: { route: 'GET /cases/{caseId}', reason: 'another force' },
    });
    const moved = await t.api.get<{ timeline: { action: string }[] }>(`/cases/${caseId}`, 'inv.ahmed');
    expect(moved.body.timeline[0]!.action).toBe('access.refused');
  });

  test('opening a case answers the trail’s newest entries (no view among them), as the timeline gives them, and its cursor pages on from there', async () => {
    const caseId = await t.journey.openCase();
    await gateOpened(caseId);
    // More entries than the case answer carries, so it has a cursor (refusals, as the API appends them).
    for (let i = 0; i < policy.caseTimelineEntries; i++)
      await appendAudit({
        caseId,
        at: new Date().toISOString(),
        actor: 'sgt.other-force',
        action: 'access.refused',
        ids: { route: 'GET /cases/{caseId}', reason: 'another force', n: String(i) },
      });
    type Entry = { seq: number; actor: string; action: string };
    const opened = await t.api.get<{ timeline: Entry[]; timelineCursor: string | null }>(
      `/cases/${caseId}`,
      'inv.alice',
    );
    expect(opened.status).toBe(200);
    expect(opened.body.timeline).toHaveLength(policy.caseTimelineEntries);
    expect(opened.body.timeline.filter((e) => e.action === 'case.viewed')).toEqual([]);
    const older: Entry[] = [];
    for (let cursor = opened.body.timelineCursor; cursor; ) {
      const page = await t.api.get<{ items: Entry[]; nextCursor: string | null }>(
        `/cases/${caseId}/timeline?cursor=${encodeURIComponent(cursor)}`,
        'inv.alice',
      );
      expect(page.status).toBe(200);
      older.push(...page.body.items);
      cursor = page.body.nextCursor;
    }
    // The workflow waits at gate 1 (days away at time ×1): nothing else appends to the case meanwhile.
    const whole = await t.api.all<Entry>(`/cases/${caseId}/timeline`, 'inv.alice');
    expect([...opened.body.timeline, ...older].map((e) => e.seq)).toEqual(whole.map((e) => e.seq));
    expect(whole[0]).toMatchObject(opened.body.timeline[0]!);
  });

  test('a refresh holding the current tag is a 304 from one read (the case item and its chain head together), and records nothing', async () => {
    const caseId = await t.journey.openCase();
    await gateOpened(caseId);
    const first = await t.api.get(`/cases/${caseId}`, 'inv.alice');
    const trail = await t.api.all<{ seq: number }>(`/cases/${caseId}/audit`, 'aud.frank');
    const viewed = await views(caseId);
    const { calls, result: refresh } = await readsOf(caseId, () =>
      t.api.getWith(`/cases/${caseId}`, 'inv.alice', { 'if-none-match': first.headers.get('etag')! }),
    );
    // A tag names the minute it was made in: across the turn of one the refresh is rightly a full answer.
    if (refresh.status === 200) return;
    expect(refresh.status).toBe(304);
    expect(calls).toEqual(['BatchGetItemCommand audit+cases']);
    expect(await t.api.all<{ seq: number }>(`/cases/${caseId}/audit`, 'aud.frank')).toEqual(trail);
    expect(await views(caseId)).toEqual(viewed);
  });
});
