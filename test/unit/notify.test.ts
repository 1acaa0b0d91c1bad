import { createHmac, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  NotifyError,
  classifyNotifyFailure,
  createNotifier,
  notifyFromEnvironment,
  type Notifier,
} from '../../functions/adapters/notify.js';
import { renderLetterPdf } from '../../functions/adapters/letterPdf.js';
import { secretsExtensionAnswer } from '../../local/aws-endpoint.js';
import { startNotifyStandIn, type NotifyStandIn } from '../../local/notify-standin.js';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
const serviceId = randomUUID();
const secret = randomUUID();
const smsTemplateId = randomUUID();
const phone = '+447700900123';
const body =
  'West Yorkshire Police: DC Alice Smith has an update for you. Please call 0113 000 0000 and quote LOCAL/26/000123.';

let outboxDir: string;
let standIn: NotifyStandIn;
let notifier: Notifier;
const savedEnv = { ...process.env };

beforeAll(async () => {
  outboxDir = join(projectRoot, '.tmp', `notify-${randomUUID()}`);
  await mkdir(outboxDir, { recursive: true });
  standIn = await startNotifyStandIn({ port: 0, outboxDir, serviceId, secret, smsTemplateId });
  process.env.NOTIFY_BASE_URL = standIn.url;
  notifier = createNotifier({
    baseUrl: process.env.NOTIFY_BASE_URL,
    apiKey: async () => standIn.apiKey,
    smsTemplateId,
  });
});

afterAll(async () => {
  process.env = savedEnv;
  await standIn?.close();
  if (outboxDir) await rm(outboxDir, { recursive: true, force: true });
});

const smsOutbox = async () => {
  const path = join(outboxDir, 'sms.jsonl');
  if (!existsSync(path)) return [];
  return (await readFile(path, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
};

const failureOf = async (send: Promise<unknown>): Promise<NotifyError> => {
  const err = await send.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(NotifyError);
  return err as NotifyError;
};

/** Nothing a failure carries may hold the victim's number, what they were sent, or the key. */
const expectNothingSensitiveIn = (err: NotifyError) => {
  const visible = [err.message, String(err.stack), JSON.stringify(err), JSON.stringify(Object.entries(err))].join('\n');
  for (const secretText of [phone, phone.slice(3), body, 'DC Alice Smith', secret, standIn.apiKey]) {
    expect(visible).not.toContain(secretText);
  }
  expect(err.cause).toBeUndefined();
};

describe('classifyNotifyFailure', () => {
  it.each([
    [400, 'permanent'],
    [403, 'permanent'],
    [404, 'permanent'],
    [408, 'transient'],
    [429, 'transient'],
    [500, 'transient'],
    [502, 'transient'],
    [503, 'transient'],
    [undefined, 'transient'],
  ] as const)('classifies %s as %s', (status, kind) => {
    expect(classifyNotifyFailure(status)).toBe(kind);
  });
});

describe('sending through GOV.UK Notify (the local stand-in)', () => {
  it('puts an SMS in the outbox with the number, the rendered body and the reference', async () => {
    const reference = `case-${randomUUID()}:disclosure`;
    const sent = await notifier.sendSms({ to: phone, body, reference });

    expect(sent.id).toMatch(/^[0-9a-f-]{36}$/);
    const line = (await smsOutbox()).find((l) => l.reference === reference);
    expect(line).toEqual({ id: sent.id, to: phone, body, reference, at: expect.any(String) });
    expect(Date.parse(line!.at as string)).not.toBeNaN();
  });

  it('delivers on starting again an SMS it accepted but had not delivered when stopped, once', async () => {
    const dir = join(projectRoot, '.tmp', `notify-${randomUUID()}`);
    await mkdir(dir, { recursive: true });
    const start = () => startNotifyStandIn({ port: 0, outboxDir: dir, serviceId, secret, smsTemplateId });
    const outbox = async () => (await readFile(join(dir, 'sms.jsonl'), 'utf8').catch(() => '')).split('\n');
    let first = await start();
    const client = createNotifier({ baseUrl: first.url, apiKey: async () => first.apiKey, smsTemplateId });
    const reference = `case-${randomUUID()}:victim_update:0`;
    const sent = await client.sendSms({ to: phone, body, reference });
    await first.close();
    // Stopped between the record and the outbox, mid-way through writing the line.
    const line = (await outbox()).find((l) => l.includes(reference))!;
    await writeFile(join(dir, 'sms.jsonl'), line.slice(0, 20));
    first = await start();
    await first.close();
    await start().then((again) => again.close());
    const lines = (await outbox()).filter((l) => l.includes(reference));
    expect(lines.map((l) => JSON.parse(l).id)).toEqual([sent.id]);
    await rm(dir, { recursive: true, force: true });
  });

  it('sends after starting again a receipt it had not had answered when stopped, and an answered one never again', async () => {
    const dir = join(projectRoot, '.tmp', `notify-${randomUUID()}`);
    await mkdir(dir, { recursive: true });
    const receipts: { id: string; reference: string; status: string }[] = [];
    const arrived: (() => void)[] = [];
    const callback = createServer(async (req, res) => {
      let text = '';
      for await (const chunk of req) text += chunk;
      receipts.push(JSON.parse(text));
      res.writeHead(200).end('{"recorded":true}');
      for (const done of arrived.splice(0)) done();
    });
    await new Promise<void>((r) => callback.listen(0, '127.0.0.1', r));
    const callbackUrl = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/callbacks/notify`;
    const receiptFor = (id: string) =>
      new Promise<void>((resolve) => {
        const check = () => (receipts.some((r) => r.id === id) ? resolve() : arrived.push(check));
        check();
      });
    const start = async () => {
      const s = await startNotifyStandIn({ port: 0, outboxDir: dir, serviceId, secret, smsTemplateId });
      s.sendReceiptsTo(callbackUrl, 'bearer');
      return s;
    };
    const sendFrom = (s: NotifyStandIn, to: string) =>
      createNotifier({ baseUrl: s.url, apiKey: async () => s.apiKey, smsTemplateId }).sendSms({
        to,
        body,
        reference: `case-${randomUUID()}:disclosure-sms:v1`,
      });
    try {
      // Stopped straight after accepting an SMS to Notify's permanent-failure number, before its receipt went.
      const first = await start();
      const failed = await sendFrom(first, '+447700900002');
      await first.close();
      expect(receipts).toEqual([]);
      const second = await start();
      await receiptFor(failed.id);
      expect(receipts).toEqual([expect.objectContaining({ id: failed.id, status: 'permanent-failure' })]);
      await second.close();
      // Answered, it is not sent again: by the time a later send's receipt arrives, the first has come only once.
      const third = await start();
      const later = await sendFrom(third, phone);
      await receiptFor(later.id);
      await third.close();
      expect(receipts.map((r) => [r.id, r.status])).toEqual([
        [failed.id, 'permanent-failure'],
        [later.id, 'delivered'],
      ]);
    } finally {
      callback.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('puts a precompiled letter in the outbox as a PDF', async () => {
    const pdf = await renderLetterPdf({
      templateVersion: 'disclosure-letter/1',
      force: 'Local Police',
      reference: 'LOCAL/26/000123',
      date: '2026-03-04',
      salutation: 'Dear Jane Doe',
      paragraphs: [{ heading: 'Why we are writing to you', lines: ['A line.'] }],
      officer: { name: 'DC Alice Smith', phone: '0113 000 0000', force: 'Local Police' },
    });
    const sent = await notifier.sendLetter({ reference: 'case-123:letter', pdf });

    expect(sent.id).toMatch(/^[0-9a-f-]{36}$/);
    const stored = await readFile(join(outboxDir, 'letters', 'case-123_letter.pdf'));
    expect(stored.subarray(0, 4).toString('latin1')).toBe('%PDF');
    expect(Buffer.compare(stored, Buffer.from(pdf))).toBe(0);
  });

  it('never has a letter on record that is not in the print queue: a letter it could not queue is not accepted', async () => {
    const dir = join(projectRoot, '.tmp', `notify-${randomUUID()}`);
    await mkdir(dir, { recursive: true });
    const standInHere = await startNotifyStandIn({ port: 0, outboxDir: dir, serviceId, secret, smsTemplateId });
    const client = createNotifier({ baseUrl: standInHere.url, apiKey: async () => standInHere.apiKey, smsTemplateId });
    const pdf = new TextEncoder().encode('%PDF-1.7 a letter');
    // The print queue cannot take the letter (as a process killed between the two steps would leave it).
    await rm(join(dir, 'letters'), { recursive: true, force: true });
    const err = await failureOf(client.sendLetter({ reference: 'case-9:letter', pdf }));
    expect(err.kind).toBe('transient');
    // A sender looking it up before sending again finds nothing, so it sends again and the letter is printed once.
    expect(await client.findSent('case-9:letter', 'letter')).toBeUndefined();
    await mkdir(join(dir, 'letters'));
    const sent = await client.sendLetter({ reference: 'case-9:letter', pdf });
    expect(await client.findSent('case-9:letter', 'letter')).toEqual(expect.objectContaining({ id: sent.id }));
    expect(await readFile(join(dir, 'letters', 'case-9_letter.pdf'))).toEqual(Buffer.from(pdf));
    await standInHere.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a letter that is not a PDF, permanently', async () => {
    const err = await failureOf(
      notifier.sendLetter({ reference: 'case-123:not-pdf', pdf: new TextEncoder().encode('hello') }),
    );

    expect(err).toMatchObject({ kind: 'permanent', status: 400 });
    expect(err.message).toContain('ValidationError');
    expect(existsSync(join(outboxDir, 'letters', 'case-123_not-pdf.pdf'))).toBe(false);
  });

  it('answers a key with the wrong secret with a permanent 403', async () => {
    const wrongKey = `local_standin-${serviceId}-${randomUUID()}`;
    const impostor = createNotifier({ baseUrl: standIn.url, apiKey: async () => wrongKey, smsTemplateId });
    const before = (await smsOutbox()).length;

    const err = await failureOf(impostor.sendSms({ to: phone, body, reference: 'case-1:wrong-key' }));

    expect(err).toMatchObject({ kind: 'permanent', status: 403 });
    expect(err.message).toContain('AuthError');
    expect(err.message).not.toContain(wrongKey.slice(-36));
    expectNothingSensitiveIn(err);
    expect((await smsOutbox()).length).toBe(before);
  });

  it.each([
    [429, 'transient', 'RateLimitError'],
    [500, 'transient', 'Exception'],
    [400, 'permanent', 'BadRequestError'],
    [403, 'permanent', 'AuthError'],
  ] as const)('treats an injected %s as %s, sends nothing, and recovers', async (status, kind, code) => {
    const before = (await smsOutbox()).length;
    standIn.failNext(status);

    const err = await failureOf(notifier.sendSms({ to: phone, body, reference: `case-1:fail-${status}` }));

    expect(err).toMatchObject({ kind, status });
    expect(err.message).toContain(code);
    expectNothingSensitiveIn(err);
    expect((await smsOutbox()).length).toBe(before);
    await expect(notifier.sendSms({ to: phone, body, reference: `case-1:after-${status}` })).resolves.toHaveProperty(
      'id',
    );
  });

  it('fails letters the same way', async () => {
    standIn.failNext(503, 2);
    const pdf = new TextEncoder().encode('%PDF-1.7\n%%EOF\n');

    for (const attempt of [1, 2]) {
      const err = await failureOf(notifier.sendLetter({ reference: `case-1:letter-${attempt}`, pdf }));
      expect(err).toMatchObject({ kind: 'transient', status: 503 });
    }
    await expect(notifier.sendLetter({ reference: 'case-1:letter-3', pdf })).resolves.toHaveProperty('id');
  });

  it('treats Notify not answering at all as transient', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const offline = createNotifier({
      baseUrl: `http://127.0.0.1:${port}`,
      apiKey: async () => standIn.apiKey,
      smsTemplateId,
    });

    const err = await failureOf(offline.sendSms({ to: phone, body, reference: 'case-1:offline' }));

    expect(err).toMatchObject({ kind: 'transient', status: undefined });
    expect(err.message).toBe('Notify sms not sent: no answer from Notify (ECONNREFUSED)');
    expectNothingSensitiveIn(err);
  });

  it('reads an answer that is not JSON (a proxy in the way) by its status alone', async () => {
    const proxy = createServer((_req, res) =>
      res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad gateway</h1>'),
    );
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const { port } = proxy.address() as AddressInfo;
    const behind = createNotifier({
      baseUrl: `http://127.0.0.1:${port}`,
      apiKey: async () => standIn.apiKey,
      smsTemplateId,
    });
    try {
      const err = await failureOf(behind.sendSms({ to: phone, body, reference: 'case-1:proxy' }));
      expect(err).toMatchObject({ kind: 'transient', status: 502, message: 'Notify sms not sent: 502' });
    } finally {
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    }
  });

  it('gives up on a Notify that never answers, as transient', async () => {
    const hanging = createServer(() => {});
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const { port } = hanging.address() as AddressInfo;
    const slow = createNotifier({
      baseUrl: `http://127.0.0.1:${port}`,
      apiKey: async () => standIn.apiKey,
      smsTemplateId,
      timeoutMs: 200,
    });
    try {
      const err = await failureOf(slow.sendSms({ to: phone, body, reference: 'case-1:hanging' }));
      expect(err).toMatchObject({ kind: 'transient', status: undefined });
      expect(err.message).toBe('Notify sms not sent: no answer from Notify (ETIMEDOUT)');
    } finally {
      hanging.closeAllConnections();
      await new Promise<void>((resolve) => hanging.close(() => resolve()));
    }
  });

  it('refuses a malformed API key without sending or repeating it', async () => {
    const broken = createNotifier({ baseUrl: standIn.url, apiKey: async () => 'not-a-key', smsTemplateId });

    const err = await failureOf(broken.sendSms({ to: phone, body, reference: 'case-1:bad-key' }));

    expect(err).toMatchObject({ kind: 'permanent', status: undefined });
    expect(err.message).not.toContain('not-a-key');
  });
});

describe('notifyFromEnvironment', () => {
  // The secrets extension's route, as the local stack serves it: the key asked for, counted.
  const asked: string[] = [];
  const extension = createServer((req, res) => {
    asked.push(new URL(req.url ?? '/', 'http://localhost').searchParams.get('secretId') ?? '');
    const { status, body: answer } = secretsExtensionAnswer(req, { 'notify/api-key': standIn.apiKey });
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  });
  beforeAll(() => new Promise<void>((resolve) => extension.listen(0, '127.0.0.1', resolve)));
  afterAll(() => new Promise<void>((resolve) => extension.close(() => resolve())));

  it('reads its settings from the environment and the key from the secrets extension, once', async () => {
    process.env.AWS_REGION = 'eu-west-2';
    process.env.NOTIFY_API_KEY_SECRET_ID = 'notify/api-key';
    process.env.NOTIFY_SMS_TEMPLATE_ID = smsTemplateId;
    process.env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT = String((extension.address() as AddressInfo).port);

    const fromEnv = notifyFromEnvironment();
    await fromEnv.sendSms({ to: phone, body, reference: 'case-env:1' });
    await notifyFromEnvironment().sendSms({ to: phone, body, reference: 'case-env:2' });

    const references = (await smsOutbox()).map((l) => l.reference);
    expect(references).toEqual(expect.arrayContaining(['case-env:1', 'case-env:2']));
    expect(asked).toEqual(['notify/api-key']);
  });
});

describe('the stand-in checks requests as Notify does', () => {
  const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const token = (header: object, claims: object, key = secret) => {
    const unsigned = `${b64(header)}.${b64(claims)}`;
    return `${unsigned}.${createHmac('sha256', key).update(unsigned).digest('base64url')}`;
  };
  const now = () => Math.round(Date.now() / 1000);
  const post = (authorization: string | undefined, payload: object, contentType = 'application/json') =>
    fetch(`${standIn.url}/v2/notifications/sms`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...(authorization ? { authorization } : {}) },
      body: JSON.stringify(payload),
    });
  const sms = {
    template_id: smsTemplateId,
    phone_number: phone,
    personalisation: { message: 'hello' },
    reference: 'r',
  };

  it('accepts a fresh HS256 token from the service', async () => {
    const res = await post(`Bearer ${token({ alg: 'HS256', typ: 'JWT' }, { iss: serviceId, iat: now() })}`, sms);
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ content: { body: 'hello' }, template: { id: smsTemplateId, version: 1 } });
  });

  it.each([
    ['no token', () => undefined],
    ['alg none', () => `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64({ iss: serviceId, iat: now() })}.`],
    ['alg HS512', () => `Bearer ${token({ alg: 'HS512', typ: 'JWT' }, { iss: serviceId, iat: now() })}`],
    ['another service', () => `Bearer ${token({ alg: 'HS256', typ: 'JWT' }, { iss: randomUUID(), iat: now() })}`],
    ['a stale token', () => `Bearer ${token({ alg: 'HS256', typ: 'JWT' }, { iss: serviceId, iat: now() - 31 })}`],
    [
      'a token from the future',
      () => `Bearer ${token({ alg: 'HS256', typ: 'JWT' }, { iss: serviceId, iat: now() + 31 })}`,
    ],
    [
      'another secret',
      () => `Bearer ${token({ alg: 'HS256', typ: 'JWT' }, { iss: serviceId, iat: now() }, randomUUID())}`,
    ],
  ])('answers %s with 403 AuthError', async (_, makeAuthorization) => {
    // Made when the test runs, not when it is collected: a clock-skew case must not drift into the window.
    const authorization = makeAuthorization();
    const res = await post(authorization, sms);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      status_code: 403,
      errors: [{ error: 'AuthError', message: expect.any(String) }],
    });
  });

  it('answers a body that is not JSON with 400', async () => {
    const res = await post(
      `Bearer ${token({ alg: 'HS256', typ: 'JWT' }, { iss: serviceId, iat: now() })}`,
      sms,
      'text/plain',
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ status_code: 400, errors: [{ error: 'BadRequestError' }] });
  });

  it('answers an SMS without its personalisation with 400, naming the field but not the number', async () => {
    const res = await post(`Bearer ${token({ alg: 'HS256', typ: 'JWT' }, { iss: serviceId, iat: now() })}`, {
      ...sms,
      personalisation: {},
    });
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).toContain('message');
    expect(text).not.toContain(phone);
  });
});
