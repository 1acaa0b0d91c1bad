import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { ApiClient } from '../../local/client.js';
import { Journey } from '../support/journey.js';
import { startConsole, untilVisible, visit, type Console } from './harness.js';

/**
 * The arrest track's forms and the referral on the case page (issue 16: every route has its page or form):
 * each submitted through the page, first wrongly (the problem details shown at the field and in the summary,
 * nothing recorded), then rightly (the task it answers closes). The case is brought to the arrest track over
 * the API; only these forms are driven through the console.
 */
let c: Console;
let journey: Journey;
beforeAll(async () => {
  c = await startConsole();
  journey = new Journey(new ApiClient(c.stack.apiUrl));
});
afterAll(async () => {
  await c?.close();
});

type Track = {
  victimUpdates: { by?: string; how?: string }[];
  spoConsiderations: { decisions: { decision: string; power: string }[] }[];
};
const caseOf = async (caseId: string) =>
  (await journey.view(caseId)) as unknown as {
    openTasks: { task: string }[];
    arrestTrack?: Track;
    referrals: { service: string; shared: string[] }[];
  };
const taskGone = (caseId: string, task: string) =>
  journey.api.until(`${task} done`, async () => {
    const v = await caseOf(caseId);
    return v.openTasks.every((t) => t.task !== task) && v;
  });

/** Submit, and wait for the problem details the API answered with to show in the card's error summary. */
async function refused(page: Page, card: Locator, button: string): Promise<string> {
  await card.getByRole('button', { name: button }).click();
  await untilVisible(page, card.locator('.govuk-error-summary'));
  return (await card.locator('.govuk-error-summary').textContent()) ?? '';
}

test('victim update, SPO consideration and referral: refused with the field named, then recorded, through the page', async () => {
  // Contact details not verified: no update SMS can go, so the update is the investigator's to record.
  const caseId = await journey.atDisclosureDecision();
  const arrested = await journey.api.post(`/cases/${caseId}/arrest`, 'inv.alice', {
    outcome: 'arrested',
    // A few minutes ago: the forms' times default to now, to the minute.
    at: new Date(Date.now() - 3 * 60_000).toISOString(),
  });
  expect(arrested.status).toBe(202);
  await journey.withTask(caseId, 'SPO_CONSIDERATION');
  await journey.withTask(caseId, 'VICTIM_UPDATE');

  const alice = await c.as('inv.alice');
  await visit(alice, `/case/${caseId}`);

  // The victim update: nothing chosen names the missing fields; then told by phone.
  const update = alice.getByTestId('action-victim-update');
  await untilVisible(alice, update);
  expect(await update.textContent()).toContain('arrested');
  expect(await refused(alice, update, 'Record the update')).toContain('Select how the victim was told');
  await expect.poll(() => update.locator('#f-action-victim-update-how-error').isVisible()).toBe(true);
  expect((await caseOf(caseId)).arrestTrack!.victimUpdates[0]!.by).toBeUndefined();
  await update.locator('input[name="how"][value="phone"]').check();
  await update.getByLabel('Note', { exact: true }).fill('Told her of the arrest by phone; she asked for nothing more.');
  await update.getByRole('button', { name: 'Record the update' }).click();
  const updated = await taskGone(caseId, 'VICTIM_UPDATE');
  expect(updated.arrestTrack!.victimUpdates[0]).toMatchObject({ by: 'investigator', how: 'phone' });

  // The order: made without its conditions is refused at the conditions; then not sought, with the reason.
  const order = alice.getByTestId('action-protection-order');
  await untilVisible(alice, order);
  await order.locator('input[name="decision"][value="made"]').check();
  await order.getByLabel('Reason').fill('The court made a full order at the first hearing.');
  expect(await refused(alice, order, 'Record the order decision')).toContain('Conditions (one a line)');
  await expect.poll(() => order.locator('#f-action-protection-order-order-conditions-error').isVisible()).toBe(true);
  expect((await caseOf(caseId)).arrestTrack!.spoConsiderations[0]!.decisions).toEqual([]);
  await order.locator('input[name="decision"][value="not_sought"]').check();
  await order.getByRole('button', { name: 'Record the order decision' }).click();
  const considered = await taskGone(caseId, 'SPO_CONSIDERATION');
  expect(considered.arrestTrack!.spoConsiderations[0]!.decisions).toMatchObject([
    { decision: 'not_sought', power: 'application' },
  ]);

  // The referral: without the victim's consent nothing is referred; with it, what was ticked is shared.
  const referral = alice.getByTestId('action-referral');
  await referral.locator('input[name="service"][value="stalking_advocate"]').check();
  await referral.locator('input[name="consent.how"][value="in_person"]').check();
  await referral.locator('input[name="shared"][value="crimeReference"]').check();
  await referral.locator('input[name="shared"][value="victim.name"]').check();
  expect(await refused(alice, referral, 'Make the referral')).toContain('the victim has not consented');
  expect((await caseOf(caseId)).referrals).toEqual([]);
  await referral.locator('input[name="consent.given"]').check();
  await referral.getByRole('button', { name: 'Make the referral' }).click();
  await untilVisible(alice, referral.getByTestId('referrals').locator('li'));
  const [made, ...more] = (await caseOf(caseId)).referrals;
  expect(more).toEqual([]);
  expect(made!.service).toBe('stalking_advocate');
  expect([...made!.shared].sort()).toEqual(['crimeReference', 'victim.name']);
  await c.shot(alice, '13-arrest-track-forms');
}, 180_000);
