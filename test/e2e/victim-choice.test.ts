import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ApiClient } from '../../local/client.js';
import type { Journey } from '../support/journey.js';
import { startTestStack, type TestStack } from '../support/stack.js';

/**
 * The victim's choice (issue 16), on the local stack over HTTP: a victim who
 * declines is sent nothing that names anyone, the case goes on and can
 * close; a victim may change their mind until it closes. Nothing here waits
 * for a due time, so time runs at its own pace: no gate escalates while a
 * test decides it.
 */
let local: TestStack;
let api: ApiClient;
let journey: Journey;

beforeAll(async () => {
  local = await startTestStack('victim-choice-');
  ({ api, journey } = local);
});
afterAll(() => local?.stop());

const now = () => new Date().toISOString();
const choose = (caseId: string, body: object) =>
  api.post<{ caseId: string; choice: string; detail?: string }>(`/cases/${caseId}/victim-choice`, 'inv.alice', body);
const declines = (caseId: string) =>
  choose(caseId, { choice: 'declines', note: 'she does not want to know who it is for now' });
const wantsToKnow = (caseId: string, extra: object = {}) =>
  choose(caseId, { choice: 'wants_to_know', note: 'she has thought about it and wants to know', ...extra });
/** No further action, the victim told in person: the arrest track ends with nothing more owed. */
const noFurtherAction = async (caseId: string) => {
  const at = now();
  const r = await api.post(`/cases/${caseId}/arrest`, 'inv.alice', {
    outcome: 'no_further_action',
    at,
    victimInformed: { how: 'in_person', at },
  });
  expect(r.status).toBe(202);
};
const close = async (caseId: string) => {
  await journey.withTask(caseId, 'CASE_CLOSURE');
  const r = await api.post(`/cases/${caseId}/close`, 'inv.alice', { reason: 'No further action; nothing left to do.' });
  expect(r.status).toBe(202);
  return journey.atStage(caseId, 'CLOSED');
};
/** What went to the victim: the SMS by reference, and the letters' files. */
const sent = (caseId: string) => {
  const { sms, letters } = local.sentFor(caseId);
  return { sms: sms.map((m) => m.reference), letters };
};
const trail = async (caseId: string) =>
  (await api.all<{ action: string }>(`/cases/${caseId}/audit`, 'aud.frank')).map((e) => e.action);

describe("the victim's choice", () => {
  test('declines, then the case closes with nothing sent to the victim', async () => {
    const caseId = await journey.atDisclosureDecision();
    await journey.verifyContact(caseId);
    await journey.withTask(caseId, 'ARREST_OUTCOME');
    const r = await declines(caseId);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ caseId, choice: 'declines' });
    await journey.atStage(caseId, 'DISCLOSURE_DECLINED');
    expect(await journey.tasks(caseId)).not.toContain('DISCLOSURE_PROPOSAL');
    // The right-to-know branch is done; the arrest track goes on, and the case closes once it ends.
    expect(
      (
        await api.post(`/cases/${caseId}/disclosure-proposal`, 'inv.alice', {
          action: 'disclose',
          rationale: 'x'.repeat(12),
        })
      ).status,
    ).toBe(409);
    await noFurtherAction(caseId);
    const closed = await close(caseId);
    expect(closed.stage).toBe('CLOSED');
    expect(sent(caseId)).toEqual({ sms: [], letters: [] });
    const actions = await trail(caseId);
    expect(actions).toContain('victim.choice.declines');
    expect(actions).toContain('case.disclosure_declined');
    expect(actions.filter((a) => a.startsWith('letter.') || a.startsWith('notification.sent'))).toEqual([]);
    expect((await declines(caseId)).status).toBe(409);
  });

  test('declines, then changes their mind while the arrest track runs: back to the decision, and told in person with a support worker', async () => {
    const caseId = await journey.atDisclosureDecision();
    await journey.verifyContact(caseId);
    expect((await declines(caseId)).status).toBe(200);
    await journey.atStage(caseId, 'DISCLOSURE_DECLINED');
    expect((await wantsToKnow(caseId, { channel: 'in_person', supportPresent: true })).status).toBe(200);
    // The wait opens its task, then moves the stage: at the stage, the task is open.
    const back = await journey.atStage(caseId, 'DISCLOSURE_DECISION');
    expect(back.openTasks.map((t) => t.task)).toContain('DISCLOSURE_PROPOSAL');
    expect((back.victim as { contact: { preferredChannel: string } }).contact.preferredChannel).toBe('in_person');
    await journey.disclosureApproved(caseId);
    await journey.withTask(caseId, 'HANDOVER');
    const handed = await api.post(`/cases/${caseId}/disclosure/delivered`, 'inv.alice', {
      at: now(),
      note: 'told at home with her ISVA present',
    });
    expect(handed.status).toBe(202);
    await journey.atStage(caseId, 'AFTER_DISCLOSURE');
    expect(sent(caseId).letters).toEqual([]);
    // Told: there is no choice left to make.
    const late = await declines(caseId);
    expect(late.status).toBe(409);
    expect(late.body.detail).toMatch(/delivered/);
  });

  test('declines, the arrest track ends, then changes their mind before the case is closed: the decision comes round again', async () => {
    const caseId = await journey.atDisclosureDecision();
    await journey.verifyContact(caseId);
    expect((await declines(caseId)).status).toBe(200);
    await journey.atStage(caseId, 'DISCLOSURE_DECLINED');
    await noFurtherAction(caseId);
    await journey.withTask(caseId, 'CASE_CLOSURE');
    expect((await wantsToKnow(caseId)).status).toBe(200);
    const back = await journey.atStage(caseId, 'DISCLOSURE_DECISION');
    expect(back.openTasks.map((t) => t.task)).toContain('DISCLOSURE_PROPOSAL');
    expect(back.openTasks.map((t) => t.task)).not.toContain('CASE_CLOSURE');
    await journey.disclosureApproved(caseId);
    await journey.atStage(caseId, 'AFTER_DISCLOSURE');
    expect(sent(caseId)).toEqual({
      sms: [`${caseId}:disclosure-sms:v1`],
      letters: [`${caseId}_disclosure-letter_v1.pdf`],
    });
    await close(caseId);
  });

  test('declines while the disclosure waits at its gate: the approval is withdrawn, and nothing is sent', async () => {
    const caseId = await journey.atDisclosureDecision();
    await journey.verifyContact(caseId);
    expect(
      (
        await api.post(`/cases/${caseId}/disclosure-proposal`, 'inv.alice', {
          action: 'disclose',
          rationale: 'the presumption applies',
        })
      ).status,
    ).toBe(202);
    const approval = await journey.approvalFor('insp.dave', caseId, 'disclosure');
    expect((await declines(caseId)).status).toBe(200);
    await journey.atStage(caseId, 'DISCLOSURE_DECLINED');
    // It left the supervisors' queue and can no longer be decided (it used to stay there, decidable).
    const queue = await api.all<{ caseId: string }>('/approvals', 'insp.dave');
    expect(queue.filter((a) => a.caseId === caseId)).toEqual([]);
    const late = await journey.decide('insp.dave', approval.approvalId, 'approve');
    expect(late.status).toBe(409);
    expect(JSON.stringify(late.body)).toMatch(/withdrawn/);
    expect(await journey.tasks(caseId)).not.toContain('DISCLOSURE_APPROVAL');
    expect(sent(caseId)).toEqual({ sms: [], letters: [] });
    expect(await trail(caseId)).toContain('gate.disclosure.withdrawn');
  });

  test('bad input is a 400 that changes nothing', async () => {
    const caseId = await journey.openCase();
    const bad = await choose(caseId, { choice: 'maybe', note: 'unsure' });
    expect(bad.status).toBe(400);
    expect(((bad.body as unknown as { errors: { path: string }[] }).errors ?? []).map((e) => e.path)).toContain(
      'choice',
    );
    expect((await choose(caseId, { choice: 'declines' })).status).toBe(400);
    expect((await journey.view(caseId)).victimChoices).toEqual([]);
  });
});
