import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ApiClient } from '../../local/client.js';
import { Journey } from '../support/journey.js';
import { startConsole, visit, type Console } from './harness.js';

/**
 * The victim's choice and contact in the console: the investigator records
 * that the victim declines, then that they changed their mind and want to be
 * told in person with a support worker; a missing note is the API's 400 on
 * its field. A new phone number is entered through the contact form (a number
 * not in E.164 form is the API's 400 on the phone field) and shows as not yet
 * verified.
 */
let c: Console;
let journey: Journey;
beforeAll(async () => {
  c = await startConsole();
  journey = new Journey(new ApiClient(c.url));
});
afterAll(async () => {
  await c?.close();
});

describe("the victim's choice in the console", () => {
  test('declines, then wants to be told in person with a support worker', async () => {
    const caseId = await journey.openCase();
    const alice = await c.as('inv.alice');
    await visit(alice, `/case/${caseId}`);
    const card = alice.getByTestId('action-victim-choice');
    await expect.poll(() => card.getByTestId('victim-choice-now').textContent()).toContain('Nothing recorded yet');

    // No note: the API's 400 lands on the note field, linked from the summary.
    await card.getByLabel('Declines to be told').check();
    await card.getByRole('button', { name: 'Record the choice' }).click();
    await expect.poll(() => alice.locator('#f-action-victim-choice-note-error').isVisible()).toBe(true);
    expect(await card.locator('.govuk-error-summary a[href="#f-action-victim-choice-note"]').count()).toBe(1);

    await card.getByLabel('What the victim said').fill('She does not want to know who it is for now.');
    await card.getByRole('button', { name: 'Record the choice' }).click();
    await expect
      .poll(() => alice.getByTestId('victim-choice-now').textContent(), { timeout: 20_000 })
      .toContain('declines to be told');
    await c.shot(alice, '22-victim-declines');

    const again = alice.getByTestId('action-victim-choice');
    await again.getByLabel('Wants to be told').check();
    await again.getByLabel('In person').check();
    await again.getByLabel('Yes').check();
    await again.getByLabel('What the victim said').fill('She has talked it over with her IDVA and wants to know.');
    await again.getByRole('button', { name: 'Record the choice' }).click();
    await expect
      .poll(() => alice.getByTestId('victim-choice-now').textContent(), { timeout: 20_000 })
      .toContain('wants to be told, in person, with a support worker present');
    const kase = await journey.view(caseId);
    expect(kase.victimChoices).toHaveLength(2);
    expect((kase.victim as { contact: { preferredChannel: string } }).contact.preferredChannel).toBe('in_person');
  });

  test('a new phone number is recorded, and shows as not yet verified', async () => {
    const caseId = await journey.openCase();
    await journey.verifyContact(caseId);
    const alice = await c.as('inv.alice');
    await visit(alice, `/case/${caseId}`);
    await expect.poll(() => alice.locator('body').textContent()).toContain('text message: verified safe');
    const card = alice.getByTestId('action-contact');
    await card.getByLabel('Mobile phone (optional)').fill('07700 900456');
    await card.getByRole('button', { name: 'Change the contact details' }).click();
    await expect.poll(() => alice.locator('#f-action-contact-phone-error').isVisible()).toBe(true);
    expect(await card.locator('.govuk-error-summary a[href="#f-action-contact-phone"]').count()).toBe(1);
    await card.getByLabel('Mobile phone (optional)').fill('+447700900456');
    await card.getByRole('button', { name: 'Change the contact details' }).click();
    await expect
      .poll(() => alice.locator('body').textContent(), { timeout: 20_000 })
      .toContain('text message: not yet verified; letter: verified safe');
    await c.shot(alice, '23-victim-contact-changed');
    const kase = await journey.view(caseId);
    expect((kase.victim as { contact: { phone: string } }).contact.phone).toBe('+447700900456');
  });
});
