import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ApiClient } from '../../local/client.js';
import { DEMO_SUSPECT, demoCaseBody } from '../../local/scenario.js';
import { authorisation, type Journey, uniqueReference } from '../support/journey.js';
import { pdfText } from '../support/pdf.js';
import { startTestStack, type TestStack } from '../support/stack.js';

/**
 * Closing without a suspect (issue 16), on the local stack over HTTP: before identification is approved the
 * investigator proposes closure; a sergeant who is neither the proposer nor the case's creator decides it at
 * the `closure` gate. Approved, outstanding requests are abandoned, the case closes with its reason and the
 * victim is told by a safe channel that the account could not be traced; rejected, the case stays where it
 * was. Nothing here waits for a due time.
 */
let local: TestStack;
let api: ApiClient;
let journey: Journey;

beforeAll(async () => {
  local = await startTestStack('closure-');
  ({ api, journey } = local);
});
afterAll(() => local?.stop());

interface Proposal {
  reason?: string;
  rationale?: string;
}
const propose = (caseId: string, user = 'inv.alice', body: Proposal = {}) =>
  api.post<{ status: string; proposalId: string; detail?: string }>(`/cases/${caseId}/closure-proposal`, user, {
    reason: 'no_suspect_identified',
    rationale: 'The platform holds no subscriber data and the ISP records have lapsed.',
    ...body,
  });

interface Approval {
  approvalId: string;
  caseId: string;
  gate: string;
}
const queue = async (user: string, caseId: string) =>
  (await api.all<Approval>('/approvals', user)).filter((a) => a.caseId === caseId);

/** Through gate 1: the platform's request is out and nothing has come back (PLATFORM_REQUESTS). */
async function requestsOut(opener = 'inv.alice', changes: (body: { victim: { contact: object } }) => void = () => {}) {
  const caseId = await journey.openCase((body) => changes(body as never));
  if (opener !== 'inv.alice') throw new Error('openCase opens as inv.alice');
  const gate1 = await journey.approvalFor('sgt.bob', caseId, 'data_request');
  expect(
    (await journey.decide('sgt.bob', gate1.approvalId, 'approve', { authorisation: authorisation() })).status,
  ).toBe(200);
  await api.until('platform request out', async () =>
    (await api.get<{ kind: string; status: string }[]>(`/cases/${caseId}/requests`, 'spoc.sam')).body.find(
      (r) => r.kind === 'platform_disclosure' && r.status === 'awaiting_return',
    ),
  );
  await journey.atStage(caseId, 'PLATFORM_REQUESTS');
  return caseId;
}

const smsBodies = (caseId: string) => {
  const file = join(local.dataDir, 'outbox', 'sms.jsonl');
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { reference: string; body: string })
    .filter((m) => m.reference.startsWith(`${caseId}:`));
};

type Closed = { openTasks: { task: string }[]; closure?: { victimTold?: { how: string } } };
const trail = async (caseId: string) =>
  (await api.all<{ action: string }>(`/cases/${caseId}/audit`, 'aud.frank')).map((e) => e.action);

describe('closing without a suspect', () => {
  test('no suspect: closed through its gate, requests abandoned, the victim told by SMS naming no one', async () => {
    const caseId = await requestsOut('inv.alice', (body) => {
      Object.assign(body.victim.contact, { preferredChannel: 'sms' });
    });
    await journey.verifyContact(caseId, ['sms']);
    const r = await propose(caseId);
    expect(r.status).toBe(202);
    // Pending: the case stays at its stage, the gate is in the queue of a sergeant who may decide it.
    const pending = await journey.approvalFor('sgt.carol', caseId, 'closure');
    // The queue's row says why closing is proposed, as the console's queue shows it.
    expect((pending as { closureReason?: string }).closureReason).toBe('no_suspect_identified');
    expect((await journey.view(caseId)).stage).toBe('PLATFORM_REQUESTS');
    expect(await journey.tasks(caseId)).toContain('CLOSURE_APPROVAL');
    // Another proposal while one is pending is refused (the same one sent again is the same proposal).
    expect((await propose(caseId)).body.proposalId).toBe(r.body.proposalId);
    const another = await propose(caseId, 'inv.ahmed', { reason: 'other' });
    expect(another.status).toBe(409);
    expect(another.body.detail).toMatch(/already proposed/);
    expect((await journey.decide('sgt.carol', pending.approvalId, 'approve')).status).toBe(200);
    const closed = (await journey.atStage(caseId, 'CLOSED')) as { closure?: { reason: string } };
    expect(closed.closure?.reason).toBe('no_suspect_identified');
    const requests = (await api.get<{ kind: string; status: string }[]>(`/cases/${caseId}/requests`, 'spoc.sam')).body;
    expect(requests.filter((r) => r.kind === 'platform_disclosure').map((r) => r.status)).toEqual(['abandoned']);
    // Told once, by SMS to the phone verified safe: no suspect named, no offence, no "stalking".
    const sms = smsBodies(caseId);
    expect(sms.map((m) => m.reference)).toEqual([`${caseId}:not-traced-sms`]);
    expect(sms[0]!.body).toMatch(/not been able to trace/);
    for (const word of [/stalk/i, /harass/i, new RegExp(DEMO_SUSPECT.name, 'i'), /anon_watcher/i])
      expect(sms[0]!.body).not.toMatch(word);
    expect(local.sentFor(caseId).letters).toEqual([]);
    const actions = await trail(caseId);
    for (const a of [
      'closure.proposed',
      'gate.closure.approved',
      'request.abandoned',
      'closure.victim_told',
      'case.closed',
    ])
      expect(actions).toContain(a);
    expect(await queue('sgt.carol', caseId)).toEqual([]);
  });

  test('by letter when post is the channel and the address is safe: the letter names no one', async () => {
    const caseId = await requestsOut();
    await journey.verifyContact(caseId, ['sms', 'letter']);
    expect((await propose(caseId, 'inv.alice', { reason: 'victim_withdrew' })).status).toBe(202);
    const pending = await journey.approvalFor('sgt.carol', caseId, 'closure');
    expect((await journey.decide('sgt.carol', pending.approvalId, 'approve')).status).toBe(200);
    await journey.atStage(caseId, 'CLOSED');
    const { letters, sms } = local.sentFor(caseId);
    expect(sms).toEqual([]);
    expect(letters).toHaveLength(1);
    const text = pdfText(readFileSync(join(local.dataDir, 'outbox', 'letters', letters[0]!)));
    expect(text).toMatch(/not been able to trace/);
    expect(text).not.toMatch(new RegExp(DEMO_SUSPECT.name, 'i'));
  });

  test('no safe written channel left: the victim is told in person, recorded by the handover, and nothing is sent', async () => {
    const caseId = await requestsOut();
    for (const channel of ['sms', 'letter'])
      expect(
        (
          await api.post(`/cases/${caseId}/contact-verification`, 'inv.alice', {
            channel,
            verified: false,
            note: 'her ex-partner reads her post and her phone',
          })
        ).status,
      ).toBe(200);
    expect((await propose(caseId)).status).toBe(202);
    const pending = await journey.approvalFor('sgt.carol', caseId, 'closure');
    expect((await journey.decide('sgt.carol', pending.approvalId, 'approve')).status).toBe(200);
    await journey.withTask(caseId, 'CLOSURE_IN_PERSON');
    expect(local.sentFor(caseId)).toEqual({ sms: [], letters: [] });
    const told = await api.post(`/cases/${caseId}/disclosure/delivered`, 'inv.alice', {
      at: new Date().toISOString(),
      note: 'told at the station with her ISVA present',
    });
    expect(told.status).toBe(202);
    const closed = (await journey.atStage(caseId, 'CLOSED')) as Closed;
    expect(closed.closure?.victimTold).toMatchObject({ how: 'in_person' });
    expect(closed.openTasks).toEqual([]);
    expect(local.sentFor(caseId)).toEqual({ sms: [], letters: [] });
    const actions = await trail(caseId);
    expect(actions).toContain('closure.victim_told_in_person');
    expect(actions).not.toContain('closure.victim_told');
    // Told: a second handover has nothing to answer.
    const again = await api.post(`/cases/${caseId}/disclosure/delivered`, 'inv.alice', {
      at: new Date().toISOString(),
      note: 'told at the station with her ISVA present',
    });
    expect(again.status).toBe(409);
  });

  test("Notify's failure receipt for the not-traced SMS asks for the victim to be told in person, for the owner", async () => {
    // Notify's test number for a permanent failure: the stand-in accepts the SMS, then its receipt says it failed.
    const caseId = await requestsOut('inv.alice', (body) => {
      Object.assign(body.victim.contact, { preferredChannel: 'sms', phone: '+447700900002' });
    });
    await journey.verifyContact(caseId, ['sms']);
    expect((await propose(caseId)).status).toBe(202);
    const pending = await journey.approvalFor('sgt.carol', caseId, 'closure');
    expect((await journey.decide('sgt.carol', pending.approvalId, 'approve')).status).toBe(200);
    await journey.atStage(caseId, 'CLOSED');
    const failed = (await journey.withTask(caseId, 'CLOSURE_IN_PERSON')) as Closed;
    expect(failed.closure).toMatchObject({
      victimTold: { how: 'sms' },
      receiptFailure: { channel: 'sms', status: 'permanent-failure' },
    });
    // The receipt is recorded, then written to the trail: the entry may follow the task by a moment.
    const entries = await api.until('the failure in the trail', async () => {
      const found = (await api.all<{ action: string; ids: object }>(`/cases/${caseId}/audit`, 'aud.frank')).filter(
        (e) => e.action === 'closure.notice_failed',
      );
      return found.length ? found : undefined;
    });
    expect(entries.map((e) => e.ids)).toEqual([{ reference: `${caseId}:not-traced-sms`, status: 'permanent-failure' }]);
    const told = await api.post(`/cases/${caseId}/disclosure/delivered`, 'inv.alice', {
      at: new Date().toISOString(),
      note: 'told at home, in person',
    });
    expect(told.status).toBe(202);
    const after = (await journey.view(caseId)) as Closed;
    expect(after.openTasks).toEqual([]);
    expect(after.closure?.victimTold).toMatchObject({ how: 'in_person' });
    // The SMS went once; nothing went again by another channel.
    expect(local.sentFor(caseId)).toEqual({
      sms: [{ to: '+447700900002', reference: `${caseId}:not-traced-sms` }],
      letters: [],
    });
  });

  test('rejected at IDENTIFICATION_APPROVAL: the case stays there and identification goes on', async () => {
    const c = await journey.atIdentification();
    await journey.propose(c);
    const identification = await journey.approvalFor('sgt.carol', c.caseId, 'identification');
    expect((await propose(c.caseId)).status).toBe(202);
    // The identification approval gives way: it leaves the queue and can no longer be decided.
    await api.until('identification withdrawn', async () =>
      (await queue('sgt.carol', c.caseId)).every((a) => a.gate !== 'identification') ? true : undefined,
    );
    expect((await journey.decide('sgt.carol', identification.approvalId, 'approve')).status).toBe(409);
    const closure = await journey.approvalFor('sgt.carol', c.caseId, 'closure');
    expect((await journey.decide('sgt.carol', closure.approvalId, 'reject')).status).toBe(200);
    // Back where it was: a new identification approval, the case at its stage, nothing abandoned or sent.
    const again = await journey.approvalFor('sgt.carol', c.caseId, 'identification');
    expect(again.approvalId).not.toBe(identification.approvalId);
    expect((await journey.view(c.caseId)).stage).toBe('IDENTIFICATION_APPROVAL');
    expect(local.sentFor(c.caseId)).toEqual({ sms: [], letters: [] });
    expect((await journey.decide('sgt.carol', again.approvalId, 'approve')).status).toBe(200);
    await journey.atStage(c.caseId, 'DISCLOSURE_DECISION');
    // Past identification a closure without a suspect is refused.
    const late = await propose(c.caseId);
    expect(late.status).toBe(409);
    expect(late.body.detail).toMatch(/DISCLOSURE_DECISION/);
  });

  test('a second proposal after a rejection is allowed', async () => {
    const c = await journey.atIdentification();
    expect((await propose(c.caseId)).status).toBe(202);
    const first = await journey.approvalFor('sgt.carol', c.caseId, 'closure');
    expect((await journey.decide('sgt.carol', first.approvalId, 'reject')).status).toBe(200);
    await journey.withTask(c.caseId, 'IDENTIFICATION_PROPOSAL');
    expect((await journey.view(c.caseId)).stage).toBe('IDENTIFICATION');
    expect((await propose(c.caseId, 'inv.alice', { reason: 'other' })).status).toBe(202);
    const second = await journey.approvalFor('sgt.carol', c.caseId, 'closure');
    expect(second.approvalId).not.toBe(first.approvalId);
    expect((await journey.decide('sgt.carol', second.approvalId, 'approve')).status).toBe(200);
    // Nothing goes to contact details not verified: the verification is asked for, then the letter goes.
    await journey.withTask(c.caseId, 'CONTACT_VERIFICATION');
    expect((await journey.view(c.caseId)).stage).toBe('IDENTIFICATION');
    expect(local.sentFor(c.caseId)).toEqual({ sms: [], letters: [] });
    await journey.verifyContact(c.caseId, ['sms', 'letter']);
    const closed = (await journey.atStage(c.caseId, 'CLOSED')) as { closure?: { reason: string } };
    expect(closed.closure?.reason).toBe('other');
  });

  test('neither the proposer nor the case creator decides it', async () => {
    const caseId = await requestsOut();
    expect((await propose(caseId, 'ds.grace')).status).toBe(202);
    const pending = await journey.approvalFor('sgt.carol', caseId, 'closure');
    expect(await queue('ds.grace', caseId)).toEqual([]);
    const own = await journey.decide('ds.grace', pending.approvalId, 'approve');
    expect(own.status).toBe(403);
    expect(JSON.stringify(own.body)).toMatch(/proposed/);
    expect((await journey.decide('sgt.carol', pending.approvalId, 'reject')).status).toBe(200);

    // A case ds.grace opened: she does not decide its closure either.
    const opened = await api.post<{ caseId: string }>('/cases', 'ds.grace', demoCaseBody(uniqueReference()));
    expect(opened.status).toBe(201);
    const theirs = opened.body.caseId;
    const gate1 = await journey.approvalFor('sgt.bob', theirs, 'data_request');
    expect(
      (await journey.decide('sgt.bob', gate1.approvalId, 'approve', { authorisation: authorisation() })).status,
    ).toBe(200);
    await journey.atStage(theirs, 'PLATFORM_REQUESTS');
    expect((await propose(theirs)).status).toBe(202);
    const closure = await journey.approvalFor('sgt.carol', theirs, 'closure');
    const creator = await journey.decide('ds.grace', closure.approvalId, 'approve');
    expect(creator.status).toBe(403);
    expect(JSON.stringify(creator.body)).toMatch(/created/);
  });

  test('bad input is a 400 and changes nothing; a SPoC may not propose', async () => {
    const caseId = await requestsOut();
    const before = await journey.view(caseId);
    for (const body of [
      { reason: 'bored' },
      { rationale: 'short' },
      { reason: 'other', rationale: 'x'.repeat(20), extra: true },
    ]) {
      const r = await propose(caseId, 'inv.alice', body as Proposal);
      expect(r.status).toBe(400);
    }
    expect((await propose(caseId, 'spoc.sam')).status).toBe(403);
    const after = await journey.view(caseId);
    expect(after.stage).toBe(before.stage);
    expect((after as { closureProposal?: unknown }).closureProposal).toBeUndefined();
    expect(await queue('sgt.carol', caseId)).toEqual([]);
  });

  test('at gate 1 it is a 409 naming the stages it may be proposed at', async () => {
    const caseId = await journey.openCase();
    const r = await propose(caseId);
    expect(r.status).toBe(409);
    expect(r.body.detail).toMatch(/PLATFORM_REQUESTS/);
  });
});
