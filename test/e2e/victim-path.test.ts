import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ApiClient } from '../../local/client.js';
import type { Journey } from '../support/journey.js';
import { gatesHeldOpen, startTestStack, type TestStack } from '../support/stack.js';

/**
 * The victim's path as it really goes (issue 16), on the local stack over
 * HTTP. Time runs 43,200 times fast: a day is 2 seconds, four weeks about a
 * minute.
 */
const TIME_SCALE = 43_200;
let local: TestStack;
let api: ApiClient;
let journey: Journey;

beforeAll(async () => {
  // People decide the gates within an hour, so no approval escalates under a test on a loaded machine.
  local = await startTestStack('victim-path-', {
    timeScale: TIME_SCALE,
    settings: {
      ...gatesHeldOpen(3600),
      // A day of the arrest track's calendar in one second: the sentence awaited four weeks is overdue in 28 s.
      DaySeconds: '1',
    },
  });
  ({ api, journey } = local);
});
afterAll(() => local?.stop());

type Task = { task: string; dueAt: string; overdue: boolean; arrestIndex?: number };
type Case = {
  stage: string;
  openTasks: Task[];
  arrests: { outcome: string }[];
  arrestTrack?: { endedAt?: string };
};
type Event = { detailType: string; detail: Record<string, unknown> & { caseId: string; schemaVersion: string } };

const now = () => new Date().toISOString();
const view = async (caseId: string) => (await api.get<Case>(`/cases/${caseId}`, 'inv.alice')).body;
const taskWhere = (caseId: string, what: string, match: (t: Task) => boolean) =>
  api.until(
    what,
    async () => {
      const v = await view(caseId);
      return v.openTasks.some(match) ? v : undefined;
    },
    120_000,
  );
const taskOpen = (caseId: string, task: string, arrestIndex: number) =>
  taskWhere(caseId, `${task} #${arrestIndex}`, (t) => t.task === task && t.arrestIndex === arrestIndex);
const outcome = (caseId: string, o: string) =>
  api.post<{ detail?: string }>(`/cases/${caseId}/arrest`, 'inv.alice', {
    outcome: o,
    at: now(),
    victimInformed: { how: 'in_person', at: now() },
  });
const noOrder = (caseId: string, arrestIndex: number, power = 'application') =>
  api.post(`/cases/${caseId}/protection-order`, 'inv.alice', {
    arrestIndex,
    considered: 'full',
    power,
    decision: 'not_sought',
    reason: 'Bail conditions and the sentence protect her for now.',
  });
const lines = (file: string) =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l))
    : [];
const eventsFor = (caseId: string): Event[] =>
  (lines(join(local.stack.outboxDir, 'events.jsonl')) as Event[]).filter((e) => e.detail.caseId === caseId);
const blocksFor = (caseId: string) => eventsFor(caseId).filter((e) => e.detailType === 'PrisonContactBlock');
const smsFor = (caseId: string) =>
  (lines(join(local.stack.outboxDir, 'sms.jsonl')) as { reference: string }[]).filter((m) =>
    m.reference.startsWith(caseId),
  );

async function identifiedCase() {
  const caseId = await journey.atDisclosureDecision();
  await journey.verifyContact(caseId);
  await taskOpen(caseId, 'ARREST_OUTCOME', 0);
  return caseId;
}

/** Arrested and charged, each with its protection order considered and the victim told in person. */
async function charged() {
  const caseId = await identifiedCase();
  expect((await outcome(caseId, 'arrested')).status).toBe(202);
  await taskOpen(caseId, 'SPO_CONSIDERATION', 0);
  expect((await noOrder(caseId, 0)).status).toBe(202);
  expect((await outcome(caseId, 'charged')).status).toBe(202);
  await taskOpen(caseId, 'SPO_CONSIDERATION', 1);
  expect((await noOrder(caseId, 1)).status).toBe(202);
  return caseId;
}

describe.concurrent('the arrest track after a conviction, and custody', () => {
  test('conviction, then a custodial sentence weeks later: the track waits for it, the contact block goes out', async () => {
    const caseId = await charged();
    expect((await outcome(caseId, 'convicted')).status).toBe(202);
    await taskOpen(caseId, 'SPO_CONSIDERATION', 2);
    expect((await noOrder(caseId, 2, 'on_conviction')).status).toBe(202);

    // Everything the conviction called for is done; four weeks on the sentence is still awaited (overdue, not ended).
    const waiting = await taskWhere(
      caseId,
      'the sentence overdue after four weeks',
      (t) => t.task === 'ARREST_OUTCOME' && t.arrestIndex === 3 && t.overdue,
    );
    expect(waiting.arrestTrack?.endedAt).toBeUndefined();
    const trackTasks = waiting.openTasks.filter((t) => t.arrestIndex !== undefined);
    expect(trackTasks.map((t) => t.task)).toEqual(['ARREST_OUTCOME']);
    expect(blocksFor(caseId)).toEqual([]);

    const refused = await outcome(caseId, 'released_from_custody');
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/custodial sentence, community sentence, remanded in custody/);

    expect((await outcome(caseId, 'custodial_sentence')).status).toBe(202);
    await taskOpen(caseId, 'PRISON_CONTACT', 3);
    // Both versions (copies of a publication retried count as one: consumers drop duplicates on eventId).
    const versions = (events: Event[]) => new Set(events.map((e) => e.detail.schemaVersion));
    const events = await api.until('the prison contact block', async () =>
      versions(blocksFor(caseId)).size >= 2 ? blocksFor(caseId) : undefined,
    );
    expect(versions(events)).toEqual(new Set(['1', '2']));
    expect(new Set(events.map((e) => e.detail.eventId))).toEqual(new Set([`${caseId}:prison-contact-block:3`]));
    expect(events.find((e) => e.detail.schemaVersion === '2')?.detail.custody).toMatchObject({
      outcome: 'custodial_sentence',
    });

    expect(
      (
        await api.post(`/cases/${caseId}/prison-contact/confirmed`, 'inv.alice', {
          at: now(),
          prisonReference: 'HMP-LEEDS-0042',
          note: 'Confirmed by the prison.',
        })
      ).status,
    ).toBe(202);
    const ended = await api.until('the arrest track to end', async () => {
      const v = await view(caseId);
      return v.arrestTrack?.endedAt ? v : undefined;
    });
    expect(ended.arrests.map((a) => a.outcome)).toEqual(['arrested', 'charged', 'convicted', 'custodial_sentence']);
    expect((await outcome(caseId, 'community_sentence')).status).toBe(409);
  }, 240_000);

  test('remand in custody asks for the contact block; release from custody updates the victim', async () => {
    const caseId = await charged();
    expect((await outcome(caseId, 'released_from_custody')).status).toBe(409); // not in custody
    expect((await outcome(caseId, 'remanded_in_custody')).status).toBe(202);
    await taskOpen(caseId, 'PRISON_CONTACT', 2);
    const blocks = await api.until('the remand contact block', async () =>
      blocksFor(caseId).length ? blocksFor(caseId) : undefined,
    );
    // Version 2 only (version 1 knew only sentences). A step retried after publishing publishes again under the same
    // eventId, which consumers drop duplicates on (docs/events.md): seen under load, so copies count as one.
    expect(new Set(blocks.map((e) => `v${e.detail.schemaVersion} ${e.detail.eventId}`))).toEqual(
      new Set([`v2 ${caseId}:prison-contact-block:2`]),
    );
    const block = blocks[0];
    expect(block!.detail).toMatchObject({
      schemaVersion: '2',
      eventId: `${caseId}:prison-contact-block:2`,
      custody: { outcome: 'remanded_in_custody' },
    });

    // Released: the update goes by SMS to the phone verified safe.
    expect(
      (await api.post(`/cases/${caseId}/arrest`, 'inv.alice', { outcome: 'released_from_custody', at: now() })).status,
    ).toBe(202);
    await api.until('the release update SMS', async () =>
      smsFor(caseId).some((m) => m.reference === `${caseId}:victim_update:3`),
    );
    const after = await view(caseId);
    expect(after.openTasks.map((t) => t.task)).toContain('PRISON_CONTACT');
    expect(after.openTasks.find((t) => t.task === 'ARREST_OUTCOME')?.arrestIndex).toBe(4);
    // As its neighbours: charged, remanded and released, each through the workflow, take minutes on a loaded machine.
  }, 240_000);
});

describe.concurrent('delivery confirmed', () => {
  test('a Notify permanent failure for the SMS reopens delivery for the owner until the handover is recorded', async () => {
    // Notify's test number for a permanent failure: the stand-in answers for it as Notify's test key does.
    const caseId = await journey.atDisclosureDecision((body) => {
      body.victim.contact.phone = '+447700900002';
    });
    await journey.verifyContact(caseId);
    await journey.disclosureApproved(caseId);
    type Delivered = Case & { disclosure?: { delivered: boolean; receiptFailure?: { status: string } } };
    const failed = await api.until(
      'delivery reopened',
      async () => {
        const v = (await api.get<Delivered>(`/cases/${caseId}`, 'inv.alice')).body;
        return v.openTasks.some((t) => t.task === 'DELIVERY_FAILED') ? v : undefined;
      },
      60_000,
    );
    expect(failed.disclosure).toMatchObject({ delivered: false, receiptFailure: { status: 'permanent-failure' } });
    // The receipt is recorded, then written to the trail: the entry may follow the task by a moment.
    const reopened = await api.until('the reopening in the trail', async () => {
      const trail = await api.all<{ action: string; ids: Record<string, string> }>(
        `/cases/${caseId}/audit`,
        'aud.frank',
      );
      const entries = trail.filter((e) => e.action === 'disclosure.delivery_reopened');
      return entries.length ? entries : undefined;
    });
    expect(reopened.map((e) => e.ids)).toEqual([
      { reference: `${caseId}:disclosure-sms:v1`, status: 'permanent-failure' },
    ]);
    // Nothing closes while delivery is reopened.
    const close = await api.post<{ detail: string }>(`/cases/${caseId}/close`, 'inv.alice', {
      reason: 'Trying to close with delivery failed.',
    });
    expect(close.status).toBe(409);

    expect(
      (
        await api.post(`/cases/${caseId}/disclosure/delivered`, 'inv.alice', {
          at: now(),
          note: 'Handed the letter over at the station.',
        })
      ).status,
    ).toBe(202);
    const handed = (await api.get<Delivered>(`/cases/${caseId}`, 'inv.alice')).body;
    expect(handed.disclosure?.delivered).toBe(true);
    expect(handed.openTasks.map((t) => t.task)).not.toContain('DELIVERY_FAILED');
  }, 180_000);
});
