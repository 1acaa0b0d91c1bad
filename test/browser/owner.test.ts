import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { localSub } from '../../local/auth.js';
import { ApiClient } from '../../local/client.js';
import { Journey } from '../support/journey.js';
import { startConsole, visit, type Console } from './harness.js';

/**
 * The case owner in the console: the case page shows who owns the case to
 * everyone who may see it, and offers the transfer form to the owner and to a
 * sergeant or above; the API's refusal of a non-investigator shows on the
 * owner field.
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

describe('the case owner in the console', () => {
  test('a sergeant hands the case on through the form; a SPoC sees the owner and no form', async () => {
    const caseId = await journey.openCase();
    const bob = await c.as('sgt.bob');
    await visit(bob, `/case/${caseId}`);
    const card = bob.getByTestId('action-owner');
    await expect.poll(() => card.getByTestId('case-owner').textContent()).toContain(localSub('inv.alice'));

    // A SPoC is no investigator: the API's 400 lands on the owner field.
    await card.getByLabel('New owner').fill(localSub('spoc.sam'));
    await card.getByLabel('Why the case is handed on').fill('DC Hughes is on leave for a month');
    await card.getByRole('button', { name: 'Transfer the case' }).click();
    await expect.poll(() => bob.locator('#f-action-owner-owner-error').isVisible()).toBe(true);
    expect(await bob.locator('#f-action-owner-owner-error').textContent()).toContain(
      'not an investigator of this force',
    );
    expect(await card.locator('.govuk-error-summary a[href="#f-action-owner-owner"]').count()).toBe(1);
    await c.shot(bob, '20-transfer-owner-error');

    await card.getByLabel('New owner').fill(localSub('inv.ahmed'));
    await card.getByRole('button', { name: 'Transfer the case' }).click();
    await expect
      .poll(() => bob.getByTestId('case-owner').textContent(), { timeout: 20_000 })
      .toContain(localSub('inv.ahmed'));
    expect(await bob.getByTestId('owner-transfers').textContent()).toContain('DC Hughes is on leave for a month');
    await c.shot(bob, '21-transfer-owner-done');

    const sam = await c.as('spoc.sam');
    await visit(sam, `/case/${caseId}`);
    await expect.poll(() => sam.getByTestId('case-owner').textContent()).toContain(localSub('inv.ahmed'));
    expect(await sam.getByRole('button', { name: 'Transfer the case' }).count()).toBe(0);
    // Alice no longer owns it: no form for her either.
    const alice = await c.as('inv.alice');
    await visit(alice, `/case/${caseId}`);
    await expect.poll(() => alice.getByTestId('case-owner').textContent()).toContain(localSub('inv.ahmed'));
    expect(await alice.getByRole('button', { name: 'Transfer the case' }).count()).toBe(0);
  });
});
