import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { SafeTimeHold } from '../../functions/domain/safeTimes.js';
import type { ApiClient } from '../../local/client.js';
import { demoCaseBody } from '../../local/scenario.js';
import type { Journey } from '../support/journey.js';
import { startTestStack, type TestStack } from '../support/stack.js';

/**
 * The victim's safe times (issue 16), on the local stack over HTTP: safe times the service cannot honour are a
 * 400 naming the field; a disclosure approved outside them is held, and its letter and SMS go only once the
 * workflow has waited for the window to open. The workflow's day is compressed (DaySeconds) so that a window
 * opening 40 minutes from now is a wait of seconds; every other duration runs at its own pace.
 */
const DAY_SECONDS = 288;
let local: TestStack;
let api: ApiClient;
let journey: Journey;

beforeAll(async () => {
  local = await startTestStack('safe-times-', { settings: { DaySeconds: String(DAY_SECONDS) } });
  ({ api, journey } = local);
});
afterAll(() => local?.stop());

const LONDON = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
/** England's wall clock at an instant, in minutes from midnight. */
const londonMinutes = (at: number) => {
  const [h, m] = LONDON.format(new Date(at)).split(':').map(Number) as [number, number];
  return h * 60 + m;
};
const hhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60) % 24).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

async function storedCase(caseId: string): Promise<{ safeTimeHolds?: Record<string, SafeTimeHold> }> {
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: local.stack.endpoints.dynamodb,
      region: 'eu-west-2',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  try {
    const out = await db.send(new GetCommand({ TableName: 'cases', Key: { pk: `CASE#${caseId}`, sk: 'CASE' } }));
    return out.Item as { safeTimeHolds?: Record<string, SafeTimeHold> };
  } finally {
    db.destroy();
  }
}

/** The SMS the Notify stand-in took for a case, with when it took each. */
const smsSent = (caseId: string) => {
  const file = join(local.dataDir, 'outbox', 'sms.jsonl');
  return existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { reference: string; at: string })
        .filter((m) => m.reference.startsWith(`${caseId}:`))
    : [];
};

// Each test its own case: side by side, their waits for a window overlap.
describe.concurrent("the victim's safe times", () => {
  test('safe times the service cannot honour are a 400 naming the field, and change nothing', async () => {
    const body = demoCaseBody('LOCAL/26/SAFE01');
    body.victim.contact.safeTimes = 'when he is at work';
    const opened = await api.post<{ errors?: { path: string }[] }>('/cases', 'inv.alice', body);
    expect(opened.status).toBe(400);
    expect(opened.body.errors?.map((e) => e.path)).toEqual(['victim.contact.safeTimes']);

    const caseId = await journey.openCase();
    const before = (await api.get<{ victim: { contact: object } }>(`/cases/${caseId}`, 'inv.alice')).body.victim
      .contact;
    const changed = await api.request<{ errors?: { path: string }[] }>(
      'PUT',
      `/cases/${caseId}/victim/contact`,
      'inv.alice',
      { ...demoCaseBody('LOCAL/26/SAFE01').victim.contact, safeTimes: 'weekdays after 6' },
    );
    expect(changed.status).toBe(400);
    expect(changed.body.errors?.map((e) => e.path)).toEqual(['safeTimes']);
    const after = (await api.get<{ victim: { contact: object } }>(`/cases/${caseId}`, 'inv.alice')).body.victim.contact;
    expect(after).toEqual(before);
  });

  test('a disclosure approved outside the safe times waits for the window; the letter and SMS go once it opens', async () => {
    // A window of an hour opening 40 minutes from now, every day, on England's clock.
    const opens = londonMinutes(Date.now()) + 40;
    const safeTimes = `daily ${hhmm(opens)}-${hhmm(opens + 60)}`;
    const caseId = await journey.atDisclosureDecision((b) => {
      b.victim.contact.safeTimes = safeTimes;
    });
    await journey.verifyContact(caseId);
    await journey.disclosureApproved(caseId);
    await journey.atStage(caseId, 'AFTER_DISCLOSURE');

    const hold = (await storedCase(caseId)).safeTimeHolds?.[`${caseId}:disclosure:v1`];
    expect(hold).toBeDefined();
    // Held until the window: it opens at the minute the victim gave, on England's clock, after the message was due.
    expect(londonMinutes(Date.parse(hold!.opensAt))).toBe(opens % 1440);
    expect(Date.parse(hold!.opensAt)).toBeGreaterThan(Date.parse(hold!.at));
    // The workflow's wait is the time to the window on its own clock (a day in DAY_SECONDS).
    const compressed = ((Date.parse(hold!.opensAt) - Date.parse(hold!.at)) / 86_400_000) * DAY_SECONDS;
    expect(Math.abs((Date.parse(hold!.until) - Date.parse(hold!.at)) / 1000 - compressed)).toBeLessThanOrEqual(1);
    // Nothing went before the wait ended: the SMS and the letter's making are both after it.
    const sms = smsSent(caseId);
    expect(sms.map((m) => m.reference)).toEqual([`${caseId}:disclosure-sms:v1`]);
    expect(Date.parse(sms[0]!.at)).toBeGreaterThanOrEqual(Date.parse(hold!.until));
    expect(local.sentFor(caseId).letters).toEqual([`${caseId}_disclosure-letter_v1.pdf`]);
    const trail = await api.all<{ action: string; at: string; ids: Record<string, string> }>(
      `/cases/${caseId}/audit`,
      'aud.frank',
    );
    const held = trail.find((e) => e.action === 'message.held');
    expect(held?.ids).toEqual({ reference: `${caseId}:disclosure:v1` });
    const made = trail.find((e) => e.action === 'letter.made');
    expect(Date.parse(made!.at)).toBeGreaterThanOrEqual(Date.parse(hold!.until));
    // The trail names the message, never the victim's times.
    expect(JSON.stringify(trail)).not.toContain(hhmm(opens));
    // The whole journey to a disclosure, then the wait: minutes on a loaded machine.
  }, 240_000);

  test('safe times changed while a message is held: the new window applies, and it goes then', async () => {
    // Held for a window two hours from now (24 s on the workflow's clock); the victim then gives a later one.
    const opens = londonMinutes(Date.now()) + 120;
    const first = `daily ${hhmm(opens)}-${hhmm(opens + 60)}`;
    const later = `daily ${hhmm(opens + 60)}-${hhmm(opens + 120)}`;
    const caseId = await journey.atDisclosureDecision((b) => {
      b.victim.contact.safeTimes = first;
    });
    await journey.verifyContact(caseId);
    await journey.disclosureApproved(caseId);
    const key = `${caseId}:disclosure:v1`;
    const held = await api.until('the message held', async () => (await storedCase(caseId)).safeTimeHolds?.[key]);
    expect(londonMinutes(Date.parse(held.opensAt))).toBe(opens % 1440);
    const contact = { ...demoCaseBody('LOCAL/26/000001').victim.contact, safeTimes: later };
    const changed = await api.request('PUT', `/cases/${caseId}/victim/contact`, 'inv.alice', contact);
    expect(changed.status).toBe(200);
    // Only the safe times changed: the verified channels stay verified.
    expect((changed.body as { verified: object }).verified).toEqual({ sms: true, letter: true });
    await api.until(
      'the disclosure sent',
      async () => (await journey.view(caseId)).stage === 'AFTER_DISCLOSURE',
      120_000,
    );
    // At the end of the first wait its window is no longer safe: held again for the later window, then sent.
    const again = (await storedCase(caseId)).safeTimeHolds?.[key];
    expect(londonMinutes(Date.parse(again!.opensAt))).toBe((opens + 60) % 1440);
    expect(again).toMatchObject({ at: held.at, safeTimes: later });
    expect(Date.parse(again!.until)).toBeGreaterThan(Date.parse(held.until));
    const sms = smsSent(caseId);
    expect(sms.map((m) => m.reference)).toEqual([`${caseId}:disclosure-sms:v1`]);
    expect(Date.parse(sms[0]!.at)).toBeGreaterThanOrEqual(Date.parse(again!.until));
  }, 240_000);
});
