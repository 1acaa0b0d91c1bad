import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { policy } from '../../functions/domain/policy.js';
import type { ApiClient } from '../../local/client.js';
import { demoCaseBody } from '../../local/scenario.js';
import type { Journey } from '../support/journey.js';
import { startTestStack, type TestStack } from '../support/stack.js';

/**
 * The victim's contact (issue 16), on the local stack over HTTP: a changed
 * phone loses its verification and the old number is never used; a channel
 * recorded unsafe is never used (the letter still goes); with no safe written
 * channel left the disclosure is made in person; a verification gone stale is
 * asked for again before anything is sent; a victim told in person needs no
 * phone verified. Time runs at its own pace: no gate escalates while a test
 * decides it.
 */
let local: TestStack;
let api: ApiClient;
let journey: Journey;

beforeAll(async () => {
  local = await startTestStack('victim-contact-');
  ({ api, journey } = local);
});
afterAll(() => local?.stop());

const NEW_PHONE = '+447700900456';
/** The contact details every demo case opens with. */
const CONTACT = demoCaseBody('LOCAL/26/000001').victim.contact;
const now = () => new Date().toISOString();
const verify = (caseId: string, channel: 'sms' | 'letter', verified: boolean) =>
  api.post<{ channel: string; verified: boolean; detail?: string }>(
    `/cases/${caseId}/contact-verification`,
    'inv.alice',
    {
      channel,
      verified,
      note: verified ? 'confirmed with the victim at the station' : 'her ex-partner has access to this',
    },
  );
const changeContact = (caseId: string, contact: object) =>
  api.request<{ contact: { phone?: string }; verified: { sms: boolean; letter: boolean } }>(
    'PUT',
    `/cases/${caseId}/victim/contact`,
    'inv.alice',
    contact,
  );
const outbox = (caseId: string) => local.sentFor(caseId);

/** The verification was made this long ago: the store's record moved back, as time passing would. */
async function verifiedDaysAgo(caseId: string, channel: 'sms' | 'letter', days: number) {
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: local.stack.endpoints.dynamodb,
      region: 'eu-west-2',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  await db.send(
    new UpdateCommand({
      TableName: 'cases',
      Key: { pk: `CASE#${caseId}`, sk: 'CASE' },
      UpdateExpression: 'SET contactVerified.#c.#at = :at',
      ExpressionAttributeNames: { '#c': channel, '#at': 'at' },
      ExpressionAttributeValues: { ':at': new Date(Date.now() - days * 86_400_000).toISOString() },
    }),
  );
  db.destroy();
}

describe("the victim's contact", () => {
  test('a changed phone loses its verification; the old number is never used, the new one once verified', async () => {
    const caseId = await journey.atDisclosureDecision();
    await journey.verifyContact(caseId);
    const changed = await changeContact(caseId, { ...CONTACT, phone: NEW_PHONE });
    expect(changed.status).toBe(200);
    expect(changed.body.verified).toEqual({ sms: false, letter: true });
    expect(changed.body.contact.phone).toBe(NEW_PHONE);
    await journey.disclosureApproved(caseId);
    const waiting = await journey.withTask(caseId, 'CONTACT_VERIFICATION');
    expect(waiting.stage).toBe('DISCLOSURE_DELIVERY');
    expect(outbox(caseId)).toEqual({ sms: [], letters: [] });
    expect((await verify(caseId, 'sms', true)).status).toBe(200);
    await journey.atStage(caseId, 'AFTER_DISCLOSURE');
    const sent = outbox(caseId);
    expect(sent.sms.map((m) => m.to)).toEqual([NEW_PHONE]);
    expect(sent.letters).toHaveLength(1);
    const trail = await api.all<{ action: string; ids: Record<string, string> }>(`/cases/${caseId}/audit`, 'aud.frank');
    expect(trail.find((e) => e.action === 'victim.contact.changed')?.ids).toEqual({ changed: 'phone' });
    expect(JSON.stringify(trail)).not.toContain(NEW_PHONE);
  });

  test('an SMS recorded unsafe is never used; the letter still goes', async () => {
    const caseId = await journey.atDisclosureDecision();
    expect((await verify(caseId, 'sms', false)).body).toMatchObject({ channel: 'sms', verified: false });
    expect((await verify(caseId, 'letter', true)).status).toBe(200);
    // Unsafe stays unsafe until the number changes.
    const again = await verify(caseId, 'sms', true);
    expect(again.status).toBe(409);
    expect(again.body.detail).toMatch(/unsafe/);
    await journey.disclosureApproved(caseId);
    await journey.atStage(caseId, 'AFTER_DISCLOSURE');
    expect(outbox(caseId)).toEqual({ sms: [], letters: [`${caseId}_disclosure-letter_v1.pdf`] });
    expect((await journey.view(caseId)).contactVerified).toEqual({ sms: false, letter: true });
  });

  test('with no safe written channel left, the disclosure is made in person', async () => {
    const caseId = await journey.atDisclosureDecision();
    expect((await verify(caseId, 'sms', false)).status).toBe(200);
    expect((await verify(caseId, 'letter', false)).status).toBe(200);
    await journey.disclosureApproved(caseId);
    const waiting = await journey.withTask(caseId, 'IN_PERSON_DISCLOSURE');
    expect(waiting.stage).toBe('DISCLOSURE_DELIVERY');
    expect(await journey.tasks(caseId)).not.toContain('CONTACT_VERIFICATION');
    const handed = await api.post(`/cases/${caseId}/disclosure/delivered`, 'inv.alice', {
      at: now(),
      note: 'told at the station with her IDVA',
    });
    expect(handed.status).toBe(202);
    await journey.atStage(caseId, 'AFTER_DISCLOSURE');
    expect(outbox(caseId)).toEqual({ sms: [], letters: [] });
  });

  test(`a verification older than ${policy.contactVerificationMaxAgeDays} days is asked for again before anything is sent`, async () => {
    const caseId = await journey.atDisclosureDecision();
    await journey.verifyContact(caseId);
    await verifiedDaysAgo(caseId, 'sms', policy.contactVerificationMaxAgeDays + 1);
    await journey.disclosureApproved(caseId);
    const waiting = await journey.withTask(caseId, 'CONTACT_VERIFICATION');
    expect(waiting.stage).toBe('DISCLOSURE_DELIVERY');
    expect(waiting.contactVerified).toEqual({ sms: false, letter: true });
    expect(outbox(caseId)).toEqual({ sms: [], letters: [] });
    expect((await verify(caseId, 'sms', true)).status).toBe(200);
    await journey.atStage(caseId, 'AFTER_DISCLOSURE');
    expect(outbox(caseId).sms).toHaveLength(1);
    expect(outbox(caseId).letters).toHaveLength(1);
  });

  test('told in person, the phone on file need not be verified: the handover is asked for, and no SMS goes', async () => {
    const caseId = await journey.atDisclosureDecision((body) => {
      body.victim.contact.preferredChannel = 'in_person';
    });
    await journey.disclosureApproved(caseId);
    await journey.withTask(caseId, 'HANDOVER');
    expect(await journey.tasks(caseId)).not.toContain('CONTACT_VERIFICATION');
    expect(outbox(caseId)).toEqual({ sms: [], letters: [] });
  });

  test('bad contact details are a 400 naming the field, and change nothing', async () => {
    const caseId = await journey.openCase();
    const bad = await changeContact(caseId, { ...CONTACT, phone: '07700 900123' });
    expect(bad.status).toBe(400);
    expect((bad.body as unknown as { errors: { path: string }[] }).errors.map((e) => e.path)).toContain('phone');
    expect(((await journey.view(caseId)).victim as { contact: unknown }).contact).toEqual(CONTACT);
  });
});
