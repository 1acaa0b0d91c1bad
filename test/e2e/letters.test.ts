import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ApiClient } from '../../local/client.js';
import type { Journey } from '../support/journey.js';
import { pdfText } from '../support/pdf.js';
import { startTestStack, type TestStack } from '../support/stack.js';

/**
 * Names in any script the letter prints (issue 16): a name is checked when it
 * is proposed, against the letter font's coverage, and a name accepted then
 * comes out of the letter as it was written, read back from the PDF as a
 * reader would.
 */
let local: TestStack;
let api: ApiClient;
let journey: Journey;
beforeAll(async () => {
  local = await startTestStack('letters-', { timeScale: 3600 });
  ({ api, journey } = local);
});
afterAll(() => local?.stop());

type Problem = { status: number; errors?: { path: string; message: string }[] };

describe('names in the letter', () => {
  test('a Cyrillic name and an Arabic alias are proposed, approved and sent, and the letter reads back with each', async () => {
    const cyrillic = 'Дмитрий Иванович Петров';
    const arabic = 'محمد عبد الله';
    const c = await journey.atIdentification(undefined, cyrillic);
    await journey.propose(c, { name: cyrillic, aliases: ['Dima', arabic] });
    const gate2 = await journey.approvalFor('sgt.carol', c.caseId, 'identification');
    expect((await journey.decide('sgt.carol', gate2.approvalId, 'approve')).status).toBe(200);
    await journey.atStage(c.caseId, 'DISCLOSURE_DECISION');
    await journey.verifyContact(c.caseId);
    await journey.disclosureApproved(c.caseId);
    await api.until('the letter', async () => (await journey.view(c.caseId)).disclosure?.letterSha256);

    const pdf = await api.get<Uint8Array>(`/cases/${c.caseId}/disclosure/letter.pdf`, 'inv.alice');
    expect(pdf.status).toBe(200);
    const text = pdfText(pdf.body);
    expect(text).toContain(`the person responsible is ${cyrillic} (also known as Dima, ${arabic}).`);
    // Only what the letter uses of the font is embedded.
    expect(pdf.body.length).toBeLessThan(60_000);
  }, 240_000);

  test('a name the letter cannot print is refused at proposal, naming the field, and changes nothing', async () => {
    const greek = 'Ελένη Παπαδοπούλου';
    const c = await journey.atIdentification(undefined, greek);
    const propose = (suspect: object) =>
      api.post<Problem>(`/cases/${c.caseId}/identification`, 'inv.alice', {
        suspect,
        points: [
          { requestId: c.platform, kind: 'email', detail: 'platform subscriber' },
          { requestId: c.isp, kind: 'ip_resolution', detail: 'ISP subscriber' },
        ],
        rationale: 'two sources agree on the person',
      });
    const before = (await journey.view(c.caseId)).identification;

    const han = await propose({ name: '王小明', aliases: [] });
    expect(han.status).toBe(400);
    expect(han.body.errors?.map((e) => e.path)).toEqual(['suspect.name']);
    // U+0378 is an unassigned code point: no font has a glyph for it.
    const unassigned = await propose({ name: greek, aliases: ['Eleni', 'Ele\u0378ni'] });
    expect(unassigned.status).toBe(400);
    expect(unassigned.body.errors?.map((e) => e.path)).toEqual(['suspect.aliases.1']);
    expect((await journey.view(c.caseId)).identification).toEqual(before);

    expect((await propose({ name: greek, aliases: ['Eleni'] })).status).toBe(202);
  }, 240_000);
});
