import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ApiClient } from '../../local/client.js';
import { authorisation, Journey } from '../support/journey.js';
import { startConsole, untilVisible, visit, type Console } from './harness.js';

/**
 * Closing without a suspect in the console: the investigator proposes it from the case page (a missing rationale
 * is the API's 400 on its field, linked from the summary), the case page then says it waits for a sergeant, and
 * the sergeant's queue and decision page show the reason (and the rationale); approved, the closed case shows its
 * reason and how the victim was told. Closed, with Notify's receipt saying the not-traced SMS failed, the case page
 * still offers its owner the form to record that the victim was told in person, and the timeline says both in
 * sentences.
 */
let c: Console;
let journey: Journey;
let api: ApiClient;
beforeAll(async () => {
  c = await startConsole();
  api = new ApiClient(c.url);
  journey = new Journey(api);
});
afterAll(async () => {
  await c?.close();
});

describe('closing without a suspect in the console', () => {
  test('proposed on the case page, decided by a sergeant who sees why, and the closed case shows the reason', async () => {
    const caseId = await journey.openCase();
    const gate1 = await journey.approvalFor('sgt.bob', caseId, 'data_request');
    expect(
      (await journey.decide('sgt.bob', gate1.approvalId, 'approve', { authorisation: authorisation() })).status,
    ).toBe(200);
    await journey.atStage(caseId, 'PLATFORM_REQUESTS');
    await journey.verifyContact(caseId);

    const alice = await c.as('inv.alice');
    await visit(alice, `/case/${caseId}`);
    const card = alice.getByTestId('action-closure');
    await untilVisible(alice, card);
    await card.getByLabel('No suspect could be identified').check();
    await card.getByRole('button', { name: 'Propose closing the case' }).click();
    await expect.poll(() => alice.locator('#f-action-closure-rationale-error').isVisible()).toBe(true);
    expect(await card.locator('.govuk-error-summary a[href="#f-action-closure-rationale"]').count()).toBe(1);
    await card.getByLabel('Rationale').fill('The platform holds no subscriber data and the ISP logs have lapsed.');
    await card.getByRole('button', { name: 'Propose closing the case' }).click();
    await expect
      .poll(() => alice.getByTestId('closure-pending').textContent(), { timeout: 20_000 })
      .toContain('No suspect could be identified');
    await c.shot(alice, '30-closure-proposed');

    const approval = await journey.approvalFor('sgt.carol', caseId, 'closure');
    const carol = await c.as('sgt.carol');
    // The queue's row says why closing is proposed.
    await visit(carol, '/approval-queue');
    const row = carol.locator(`[data-case-id="${caseId}"][data-gate="closure"]`);
    await untilVisible(carol, row);
    expect(await row.getByTestId('closure-reason').textContent()).toBe('No suspect could be identified');
    await visit(carol, `/case/${caseId}/decide/${approval.approvalId}`);
    const evidence = carol.getByTestId('closure-evidence');
    await untilVisible(carol, evidence);
    expect(await evidence.textContent()).toContain('The platform holds no subscriber data');
    await c.shot(carol, '31-closure-decision');
    expect((await journey.decide('sgt.carol', approval.approvalId, 'approve')).status).toBe(200);
    await journey.atStage(caseId, 'CLOSED');

    await visit(alice, `/case/${caseId}`);
    await expect
      .poll(() => alice.locator('body').textContent(), { timeout: 20_000 })
      .toContain('No suspect could be identified: The platform holds no subscriber data');
    expect(await alice.getByTestId('action-closure').count()).toBe(0);
    // How the victim was told: by letter, post being the channel and the address verified.
    expect(await alice.locator('body').textContent()).toContain('Victim told it was not traced');
  });

  test('closed, with the not-traced SMS failed: the case page offers the owner the in-person record', async () => {
    // Notify's test number for a permanent failure: the stand-in accepts the SMS, then its receipt says it failed.
    const caseId = await journey.openCase((body) => {
      Object.assign((body as { victim: { contact: object } }).victim.contact, {
        preferredChannel: 'sms',
        phone: '+447700900002',
      });
    });
    const gate1 = await journey.approvalFor('sgt.bob', caseId, 'data_request');
    expect(
      (await journey.decide('sgt.bob', gate1.approvalId, 'approve', { authorisation: authorisation() })).status,
    ).toBe(200);
    await journey.atStage(caseId, 'PLATFORM_REQUESTS');
    await journey.verifyContact(caseId, ['sms']);
    const proposed = await api.post(`/cases/${caseId}/closure-proposal`, 'inv.alice', {
      reason: 'no_suspect_identified',
      rationale: 'The platform holds no subscriber data and the ISP logs have lapsed.',
    });
    expect(proposed.status).toBe(202);
    const approval = await journey.approvalFor('sgt.carol', caseId, 'closure');
    expect((await journey.decide('sgt.carol', approval.approvalId, 'approve')).status).toBe(200);
    await journey.atStage(caseId, 'CLOSED');
    await journey.withTask(caseId, 'CLOSURE_IN_PERSON');

    const alice = await c.as('inv.alice');
    await visit(alice, `/case/${caseId}`);
    const card = alice.getByTestId('action-handover');
    await untilVisible(alice, card);
    expect(await card.textContent()).toContain('Record that the victim was told in person');
    expect(await alice.locator('body').textContent()).toContain('the SMS failed (permanent failure)');
    await card.getByLabel('Note').fill('Told at home, in person, with her ISVA present.');
    await card.getByRole('button', { name: 'Record the handover' }).click();
    await expect
      .poll(async () => ((await journey.view(caseId)) as { closure?: { victimTold?: { how: string } } }).closure, {
        timeout: 20_000,
      })
      .toMatchObject({ victimTold: { how: 'in_person' } });
    // The handover is recorded on the case, then written to the trail: the page shows the trail as it was loaded.
    await journey.inTrail(caseId, 'closure.victim_told_in_person');
    await visit(alice, `/case/${caseId}`);
    // Waited for what the loaded page shows (a page still loading also lacks the old prompt).
    await expect
      .poll(() => alice.locator('body').textContent(), { timeout: 20_000 })
      .toMatch(/Victim told it was not traced\s*in person/);
    expect(await alice.locator('body').textContent()).not.toContain('tell them in person');
    expect(await alice.getByTestId('action-handover').count()).toBe(0);
    // The timeline tells it in sentences: the failed message, and the telling in person.
    const entry = (action: string) => alice.locator(`[data-testid="timeline"] li[data-action="${action}"]`);
    expect(await entry('closure.notice_failed').textContent()).toContain(
      'The message that the account could not be traced failed: the victim is to be told in person.',
    );
    expect(await entry('closure.victim_told_in_person').textContent()).toContain(
      'local-inv.alice recorded telling the victim in person that the account could not be traced.',
    );
  });
});
