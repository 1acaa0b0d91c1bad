import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_SUSPECT } from '../../local/scenario.js';
import { queueLoaded, startConsole, untilVisible, visit, type Console } from './harness.js';

/**
 * The console as people use it: a whole case, opening to letter, done only
 * through the pages by the seeded users in turn; supervisors seeing only
 * what they may decide; the case form's validation shown where it belongs.
 */
let c: Console;
beforeAll(async () => {
  c = await startConsole();
});
afterAll(async () => {
  await c?.close();
});

const crimeReference = () => `LOCAL/26/${String(Date.now()).slice(-7)}`;

async function openCase(page: Page, ref: string): Promise<string> {
  await visit(page, '/open-case');
  await page.getByLabel('Crime reference').fill(ref);
  await page.getByLabel('Offence').selectOption('stalking_s2a');
  await page
    .getByLabel('Summary')
    .fill('Repeated unwanted messages from an anonymous account after the victim blocked two earlier accounts.');
  await page.getByLabel('Full name').fill('Jane Doe');
  await page.getByLabel('Date of birth').fill('1990-04-01');
  await page.locator('input[name="victim.enhancedRights"][value="yes"]').check();
  await page.locator('input[name="victim.contact.preferredChannel"][value="letter"]').check();
  await page.getByLabel('Mobile phone (optional)').fill('+447700900123');
  await page.getByLabel('Postal address (optional)').fill('1 High Street\nLeeds');
  await page.getByLabel('Postcode').fill('LS1 1AA');
  for (const marker of ['fixated', 'obsessive', 'unwanted', 'repeated'])
    await page.locator(`input[name="risk.four"][value="${marker}"]`).check();
  await page.getByLabel("S-DASH: number of 'yes' answers (0 to 11)").fill('7');
  await page.getByLabel('Platform', { exact: true }).selectOption('instagram');
  await page.getByLabel('Handle').fill('@anon_watcher');
  await page.getByLabel("Platform's user id (optional)").fill('17841400000000001');
  await page.getByRole('button', { name: 'Open the case' }).click();
  await page.waitForURL(/\/case\/[^/]+$/);
  return new URL(page.url()).pathname.split('/').pop()!;
}

/** Open the approval for this case and gate from the user's queue; the approval id from its link. */
async function openApproval(page: Page, caseId: string, gate: string): Promise<string> {
  await visit(page, '/approval-queue');
  const row = page.locator(`tr[data-case-id="${caseId}"][data-gate="${gate}"]`);
  await untilVisible(page, row);
  const link = row.getByRole('link');
  const href = (await link.getAttribute('href'))!;
  await link.click();
  await page.getByTestId('decision-form').waitFor();
  return href.split('/').pop()!;
}

async function decide(page: Page, decision: 'approve' | 'reject', rationale: string) {
  await page.locator(`input[name="decision"][value="${decision}"]`).check();
  await page.getByLabel('Rationale').fill(rationale);
  await page.getByRole('button', { name: 'Record the decision' }).click();
  await page.locator('.govuk-panel__title').waitFor();
}

async function uploadFromQueue(page: Page, caseId: string, kind: string) {
  await visit(page, '/requests-queue');
  const row = page.locator(
    `tr[data-case-id="${caseId}"][data-request-kind="${kind}"][data-request-status="awaiting_return"]`,
  );
  await untilVisible(page, row);
  await row.getByRole('link', { name: /Upload return/ }).click();
  await page.getByTestId('upload-form').waitFor();
}

async function waitForStage(page: Page, stage: string) {
  await untilVisible(page, page.locator(`[data-testid="case-stage"][data-stage="${stage}"]`));
}

describe('the console', () => {
  test('runs a whole case through the pages, by each seeded user in turn, from opening to the letter', async () => {
    const started = Date.now();
    // Investigator opens the case.
    const alice = await c.as('inv.alice');
    await c.shot(alice, '01-sign-in-investigator');
    const caseId = await openCase(alice, crimeReference());
    await waitForStage(alice, 'DATA_REQUEST_APPROVAL');
    // Views are in the trail but not in the timeline until asked for (the
    // investigator's own opening of the page is one).
    const viewed = alice.locator('[data-testid="timeline"] li[data-action="case.viewed"]');
    expect(await viewed.count()).toBe(0);
    await alice.getByLabel('Show who viewed the case').check();
    await viewed.first().waitFor();

    // Sergeant approves the data request and records the authorisation.
    const bob = await c.as('sgt.bob');
    await openApproval(bob, caseId, 'data_request');
    await bob.locator('input[name="decision"][value="approve"]').check();
    await bob.getByLabel('Authorisation reference').fill('OCDA/2026/0420');
    await c.shot(bob, '04-decide-data-request');
    await decide(bob, 'approve', 'Necessary and proportionate: repeated contact, high S-DASH score.');

    // The SPoC uploads the platform return (pasted JSON), then the ISP's (a file, after a bad paste).
    const sam = await c.as('spoc.sam');
    await visit(sam, '/requests-queue');
    await untilVisible(sam, sam.locator(`tr[data-case-id="${caseId}"][data-request-kind="platform_disclosure"]`));
    await c.shot(sam, '05-requests-queue');
    // The request document is the API's PDF (the one the provider's portal takes), not a page's own text.
    const [requestPdf] = await Promise.all([
      sam.waitForEvent('download'),
      sam
        .locator(`tr[data-case-id="${caseId}"][data-request-kind="platform_disclosure"]`)
        .getByRole('button', { name: /Request document/ })
        .click(),
    ]);
    expect(requestPdf.suggestedFilename()).toMatch(/^request-.+\.pdf$/);
    expect(
      readFileSync((await requestPdf.path())!)
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    // The preservation request (sent, never awaiting a return) shows only when every request is asked for.
    const preservation = sam.locator(`tr[data-case-id="${caseId}"][data-request-kind="platform_preservation"]`);
    expect(await preservation.count()).toBe(0);
    await sam.getByLabel('Show every request, not only those awaiting a return').check();
    await preservation.first().waitFor();
    await sam.getByLabel('Show every request, not only those awaiting a return').uncheck();
    await uploadFromQueue(sam, caseId, 'platform_disclosure');
    await sam.locator('input[name="how"][value="paste"]').check();
    await sam.getByLabel('Return', { exact: true }).fill(
      JSON.stringify({
        receivedAt: new Date().toISOString(),
        subscriber: {
          name: DEMO_SUSPECT.name,
          emails: ['j.smith@example.com'],
          phones: ['+447700900999'],
          createdAt: '2025-06-01T10:00:00Z',
        },
        ipEvents: [
          { ip: '203.0.113.7', port: 51234, at: '2026-11-01 21:14:05', timeZone: 'America/Los_Angeles', kind: 'login' },
        ],
      }),
    );
    await sam.getByRole('button', { name: 'Upload the return' }).click();
    await sam.waitForURL(/\/requests-queue$/);

    await uploadFromQueue(sam, caseId, 'isp_resolution');
    await sam.locator('input[name="how"][value="paste"]').check();
    await sam.getByLabel('Return', { exact: true }).fill(
      JSON.stringify({
        subscriber: { name: DEMO_SUSPECT.name },
        ipEvents: [{ ip: '203.0.113.7', at: '2026-11-01 21:14:05' }],
      }),
    );
    await sam.getByRole('button', { name: 'Upload the return' }).click();
    await sam.getByTestId('parse-problems').waitFor();
    expect(await sam.locator('.govuk-error-summary').textContent()).toContain('receivedAt');
    await c.shot(sam, '06-upload-parse-problems');
    await sam.locator('input[name="how"][value="file"]').check();
    await sam.locator('input[name="file"]').setInputFiles({
      name: 'isp-return.json',
      mimeType: 'application/json',
      buffer: Buffer.from(
        JSON.stringify({
          receivedAt: new Date().toISOString(),
          subscriber: { name: DEMO_SUSPECT.name, emails: [], phones: [] },
          installationAddress: { lines: DEMO_SUSPECT.address, postcode: DEMO_SUSPECT.postcode },
        }),
      ),
    });
    await sam.getByRole('button', { name: 'Upload the return' }).click();
    await sam.waitForURL(/\/requests-queue$/);

    // The investigator proposes the suspect from the candidate the returns agree on.
    await visit(alice, `/case/${caseId}`);
    await untilVisible(alice, alice.getByTestId('action-identification'));
    const proposal = alice.getByTestId('action-identification');
    await expect.poll(() => proposal.locator('input[name="point"]:checked').count()).toBe(2);
    await proposal.getByLabel('Rationale').fill('Two independent sources name the same person.');
    await proposal.getByRole('button', { name: 'Propose the suspect' }).click();
    await waitForStage(alice, 'IDENTIFICATION_APPROVAL');

    // A second sergeant (not the proposer) sees the evidence and approves.
    const carol = await c.as('sgt.carol');
    await openApproval(carol, caseId, 'identification');
    expect(await carol.getByTestId('supporting-points').locator('li').count()).toBeGreaterThanOrEqual(2);
    await expect.poll(() => carol.getByTestId('contradicting-points').textContent()).toContain('None');
    await c.shot(carol, '07-decide-identification-evidence');
    await decide(carol, 'approve', 'Identification is safe: platform and ISP agree.');

    // The investigator verifies the contact details and proposes disclosure.
    await visit(alice, `/case/${caseId}`);
    await untilVisible(alice, alice.getByTestId('action-verify'));
    const verify = alice.getByTestId('action-verify');
    await verify.locator('input[name="channel"][value="sms"]').check();
    await verify.locator('input[name="channel"][value="letter"]').check();
    await verify.getByLabel('How it was confirmed').fill('Confirmed with the victim in person at the station.');
    await verify.getByRole('button', { name: 'Mark as safe' }).click();
    await untilVisible(alice, alice.getByTestId('action-disclosure'));
    const disclose = alice.getByTestId('action-disclosure');
    await disclose.getByLabel('Rationale').fill('No ground to delay; the victim should know at once.');
    await disclose.getByRole('button', { name: 'Send the proposal' }).click();
    await waitForStage(alice, 'DISCLOSURE_APPROVAL');

    // A sergeant never sees, and cannot decide, a disclosure approval: it needs an inspector.
    const dave = await c.as('insp.dave');
    const disclosureApproval = await openApproval(dave, caseId, 'disclosure');
    await visit(bob, '/approval-queue');
    await queueLoaded(bob);
    expect(await bob.locator(`tr[data-case-id="${caseId}"][data-gate="disclosure"]`).count()).toBe(0);
    await visit(bob, `/case/${caseId}/decide/${disclosureApproval}`);
    await bob.getByTestId('not-yours').waitFor();
    expect(await bob.getByTestId('decision-form').count()).toBe(0);
    await c.shot(bob, '08-sergeant-cannot-decide-disclosure');

    await decide(dave, 'approve', 'Disclosure approved: the presumption applies.');

    // The letter goes; the arrest is recorded (the case stays open for what follows it); the investigator downloads the letter.
    await visit(alice, `/case/${caseId}`);
    await untilVisible(alice, alice.getByTestId('action-arrest'));
    await c.shot(alice, '09-case-page-after-disclosure');
    const arrest = alice.getByTestId('action-arrest');
    await arrest.locator('input[name="outcome"][value="arrested"]').check();
    await arrest.getByRole('button', { name: 'Record the outcome' }).click();
    await waitForStage(alice, 'AFTER_DISCLOSURE');
    const [download] = await Promise.all([
      alice.waitForEvent('download'),
      alice.getByRole('button', { name: 'Download the letter (PDF)' }).click(),
    ]);
    const pdf = readFileSync((await download.path())!);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(download.suggestedFilename()).toBe(`disclosure-letter-${caseId}.pdf`);
    expect(
      await alice
        .locator('[data-testid="workflow-diagram"] g[data-stage="DISCLOSURE_DELIVERY"]')
        .getAttribute('data-mark'),
    ).toBe('done');
    await c.shot(alice, '10-case-page-after-disclosure');
    await visit(alice, '/my-cases');
    await alice.locator(`tr[data-case-id="${caseId}"]`).waitFor();
    await c.shot(alice, '02-my-cases');

    // The auditor verifies the trail and reads the statistics.
    const frank = await c.as('aud.frank');
    await visit(frank, `/case/${caseId}/audit`);
    expect(await frank.getByTestId('audit-verification').getAttribute('data-valid')).toBe('true');
    await c.shot(frank, '11-audit-trail');
    await visit(frank, '/statistics');
    await frank.getByTestId('chart-stages').locator('canvas').waitFor();
    const [csv] = await Promise.all([
      frank.waitForEvent('download'),
      frank.getByRole('button', { name: 'Download anonymised CSV' }).click(),
    ]);
    const text = readFileSync((await csv.path())!, 'utf8');
    expect(text).toMatch(/^measure,key,value\r\n/);
    // Small-number suppression: a stage with fewer than 5 cases is published as <5.
    expect(text).toMatch(/cases_by_stage,AFTER_DISCLOSURE,(<5|\d+)\r\n/);
    expect(text).not.toContain('Jane');
    expect(text).not.toContain(DEMO_SUSPECT.name);
    await c.shot(frank, '12-statistics');
    process.stdout.write(`whole case through the console: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  });

  test('a supervisor never sees an approval on a case they opened', async () => {
    const grace = await c.as('ds.grace');
    const caseId = await openCase(grace, crimeReference());
    const bob = await c.as('sgt.bob');
    await openApproval(bob, caseId, 'data_request');
    await visit(grace, '/approval-queue');
    await queueLoaded(grace);
    expect(await grace.locator(`tr[data-case-id="${caseId}"]`).count()).toBe(0);
    await c.shot(grace, '13-own-case-not-in-queue');
  });

  test('a bad case form shows each message next to its field and in the error summary', async () => {
    const ahmed = await c.as('inv.ahmed');
    await visit(ahmed, '/open-case');
    await ahmed.getByLabel('Crime reference').fill('not a reference');
    await ahmed.getByLabel('Mobile phone (optional)').fill('07700 notaphone');
    await ahmed.getByLabel('Postcode').fill('XYZ');
    await ahmed.getByLabel('Postal address (optional)').fill('1 High Street');
    await ahmed.getByRole('button', { name: 'Open the case' }).click();
    const summary = ahmed.locator('.govuk-error-summary');
    await summary.waitFor();
    await expect
      .poll(() => ahmed.evaluate<boolean>("document.activeElement?.classList.contains('govuk-error-summary') ?? false"))
      .toBe(true);
    for (const field of [
      'crimeReference',
      'victim.contact.phone',
      'victim.contact.postalAddress.postcode',
      'summary',
      'offence',
    ]) {
      const id = `f-${field.replace(/\./g, '-')}`;
      await expect.poll(() => ahmed.locator(`#${id}-error`).isVisible(), { message: field }).toBe(true);
      expect(await summary.locator(`a[href="#${id}"]`).count(), field).toBe(1);
      expect(await ahmed.locator(`#${id}`).getAttribute('aria-describedby'), field).toContain(`${id}-error`);
    }
    expect(await ahmed.locator('#f-crimeReference-error').textContent()).toContain('3 to 30 capitals, digits');
    await summary.locator('a[href="#f-crimeReference"]').click();
    expect(await ahmed.evaluate<string>('document.activeElement?.id ?? ""')).toBe('f-crimeReference');
    await c.shot(ahmed, '03-open-case-errors');
  });
});
