import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { localServer } from './server.js';

/**
 * A local stand-in for GOV.UK Notify's v2 API: the two sends this product
 * makes, checked the way Notify checks them (signed JWT, JSON, payload shape),
 * with what would be sent written to the local outbox (docs/api.md, "The local
 * outbox") instead of a phone or a printer. It logs nothing: what passes
 * through it is a victim's number and messages.
 *
 * Like Notify, it calls back with a delivery receipt for each send once told
 * where (`sendReceiptsTo`), with the bearer token it was given, trying again
 * while the callback does not answer 2xx; a receipt not yet answered when it
 * stopped goes once it is told where again, as Notify's callbacks outlive a
 * restart of the service they call. Like Notify's test API key, it fails
 * SMS to its failure test numbers (TEST_NUMBER_STATUS); any other SMS is
 * `delivered`, a letter `received`.
 */

/** GOV.UK Notify's test phone numbers and the receipt each gets ("Testing" in Notify's API documentation). */
export const TEST_NUMBER_STATUS: Record<string, string> = {
  '+447700900002': 'permanent-failure',
  '+447700900003': 'temporary-failure',
};
/** How long after a send its receipt goes, and how often and how long it is tried again. */
const RECEIPT_DELAY_MS = 300;
const RECEIPT_TRIES = 8;
const RECEIPT_RETRY_MS = 500;

export interface NotifyStandInOptions {
  /** 0 for any free port. */
  port: number;
  host?: string;
  outboxDir: string;
  /** Notify service id (a UUID): the JWT's `iss`. */
  serviceId: string;
  /** The API key's secret (a UUID): the JWT's HMAC key. */
  secret: string;
  /** When set, an SMS naming another template is refused, as Notify refuses an unknown template. */
  smsTemplateId?: string;
  /** Failures to answer the first sends with, as `failNext` would. */
  failNext?: { status: number; times?: number };
}

export interface NotifyStandIn {
  url: string;
  /** An API key for this stand-in, in the form the Notify clients expect: `<key name>-<service id>-<secret>`. */
  apiKey: string;
  /** The next `times` sends (of one kind, if `only` is given) answer `status` with Notify's error body, writing nothing. */
  failNext(status: number, times?: number, only?: 'sms' | 'letter'): void;
  /**
   * The next `times` sends are accepted and written to the outbox, then the
   * connection drops before the answer: the sender cannot know it was sent.
   */
  dropAfterSend(times?: number): void;
  /**
   * The next `times` sends (of one kind, if `only` is given) are received and never answered, and nothing is
   * written: the sender waits until its own timeout gives the try up, or until the stand-in closes.
   */
  holdNext(times?: number, only?: 'sms' | 'letter'): void;
  /** Sends attempted so far (accepted or not): lets a test wait for a retry. */
  readonly attempts: number;
  /** Where delivery receipts go (the service's `POST /callbacks/notify`), with the bearer token to send. */
  sendReceiptsTo(url: string, bearer: string): void;
  close(): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Notify accepts tokens issued within 30 seconds either side of its clock. */
const CLOCK_SKEW_SECONDS = 30;
/** A 5 MB precompiled letter is about 6.7 MB once base64-encoded. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;
const POSTAGE = ['first', 'second', 'economy', 'europe', 'rest-of-world'];
const SMS_TEMPLATE = '((message))';

const ERROR_NAMES: Record<number, string> = {
  400: 'BadRequestError',
  403: 'AuthError',
  404: 'NotFoundError',
  405: 'MethodNotAllowedError',
  413: 'RequestEntityTooLargeError',
  429: 'RateLimitError',
};

class NotifyFailure extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
  ) {
    super(message);
  }
}

const authError = (message: string) => new NotifyFailure(403, 'AuthError', message);
const badRequest = (message: string) => new NotifyFailure(400, 'BadRequestError', message);
const validation = (message: string) => new NotifyFailure(400, 'ValidationError', message);

function injectedFailure(status: number): NotifyFailure {
  const error = ERROR_NAMES[status] ?? (status >= 500 ? 'Exception' : 'Error');
  const message =
    status === 429
      ? 'Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds'
      : status >= 500
        ? 'Internal server error'
        : `failure injected by the Notify stand-in (${status})`;
  return new NotifyFailure(status, error, message);
}

/** An SMS as the outbox holds it: what the victim's phone would show, and Notify's id for it. */
interface SmsLine {
  id: string;
  to: string;
  body: string;
  reference: string | null;
  at: string;
}
type Recorded = {
  id: string;
  type: string;
  reference: string | null;
  status: string;
  created_at: string;
  sms?: SmsLine;
};

/** A line cut short by a kill is ended, so the next record starts a line of its own. */
async function endLine(file: string): Promise<void> {
  const text = await readFile(file, 'utf8').catch(() => '');
  if (text && !text.endsWith('\n')) await appendFile(file, '\n');
}

/** A JSON-lines file as written so far: a line cut short by a kill mid-append is not a record. */
async function jsonLines<T>(file: string): Promise<T[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.split('\n').flatMap((l) => {
    try {
      return l ? [JSON.parse(l) as T] : [];
    } catch {
      return [];
    }
  });
}

export async function startNotifyStandIn(opts: NotifyStandInOptions): Promise<NotifyStandIn> {
  if (!UUID.test(opts.serviceId) || !UUID.test(opts.secret))
    throw new Error('the Notify stand-in needs a UUID service id and a UUID secret, as Notify issues them');
  const lettersDir = join(opts.outboxDir, 'letters');
  await mkdir(lettersDir, { recursive: true });

  const failures: { status: number; only?: 'sms' | 'letter' }[] = [];
  const failNext = (status: number, times = 1, only?: 'sms' | 'letter') => {
    if (!Number.isInteger(status) || status < 400 || status > 599)
      throw new Error('failNext takes an HTTP error status');
    for (let i = 0; i < times; i++) failures.push({ status, only });
  };

  if (opts.failNext) failNext(opts.failNext.status, opts.failNext.times);

  const holds: { only?: 'sms' | 'letter' }[] = [];
  const holdNext = (times = 1, only?: 'sms' | 'letter') => {
    for (let i = 0; i < times; i++) holds.push({ only });
  };

  let drops = 0;
  let attempts = 0;
  const dropAfterSend = (times = 1) => {
    drops += times;
  };

  let callback: { url: string; bearer: string } | undefined;
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, run: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      run();
    }, ms);
    t.unref();
    timers.add(t);
  };
  // The receipts the callback answered 2xx, by notification id: kept in the outbox folder, so one not yet answered
  // when the stand-in stopped (a kill of the local stack between a send and its receipt) goes after the restart.
  const answered = join(opts.outboxDir, 'receipts.jsonl');
  const pending = new Set<string>();
  /** A receipt as Notify posts it, tried again with a growing pause until the callback answers 2xx. */
  const receipt = (n: { id: string; type: string; reference: string | null; to?: string; createdAt?: string }) => {
    if (!callback || pending.has(n.id)) return;
    pending.add(n.id);
    const { url, bearer } = callback;
    const createdAt = n.createdAt ?? new Date().toISOString();
    const status = n.type === 'letter' ? 'received' : (TEST_NUMBER_STATUS[n.to ?? ''] ?? 'delivered');
    const attempt = (tries: number) =>
      later(tries === 0 ? RECEIPT_DELAY_MS : RECEIPT_RETRY_MS * 2 ** Math.min(tries, 4), () => {
        const at = new Date().toISOString();
        const body = {
          id: n.id,
          reference: n.reference,
          ...(n.to ? { to: n.to } : {}),
          status,
          created_at: createdAt,
          completed_at: at,
          sent_at: createdAt,
          notification_type: n.type,
        };
        fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
          body: JSON.stringify(body),
        })
          .then((res) => {
            void res.body?.cancel();
            if (res.ok) return appendFile(answered, `${JSON.stringify({ id: n.id })}\n`);
            if (tries + 1 < RECEIPT_TRIES) attempt(tries + 1);
          })
          .catch(() => {
            if (tries + 1 < RECEIPT_TRIES) attempt(tries + 1);
          });
      });
    attempt(0);
  };

  let baseUrl = '';
  // What was sent, by reference: kept in the outbox folder so a lookup after a restart still finds it.
  const index = join(opts.outboxDir, 'notifications.jsonl');
  const smsOutbox = join(opts.outboxDir, 'sms.jsonl');
  const record = (n: { id: string; type: 'sms' | 'letter'; reference: string | null; sms?: SmsLine }) =>
    appendFile(index, `${JSON.stringify({ ...n, status: 'created', created_at: new Date().toISOString() })}\n`);
  const deliverSms = (line: SmsLine) => appendFile(smsOutbox, `${JSON.stringify(line)}\n`);
  const sent = async (): Promise<Recorded[]> => jsonLines<Recorded>(index);
  // An SMS Notify accepted is delivered even if Notify stopped between the two (as Notify's queue goes on after
  // a restart): what is on record and not yet in the outbox is delivered now, once.
  for (const file of [index, smsOutbox, answered]) await endLine(file);
  const delivered = new Set((await jsonLines<SmsLine>(smsOutbox)).map((l) => l.id));
  for (const n of await sent()) if (n.sms && !delivered.has(n.sms.id)) await deliverSms(n.sms);

  const routes: Record<string, (body: Record<string, unknown>) => Promise<object>> = {
    '/v2/notifications/sms': async (body) => {
      const templateId = requiredString(body, 'template_id');
      const phone = requiredString(body, 'phone_number');
      const reference = optionalString(body, 'reference');
      if (!UUID.test(templateId)) throw validation('template_id is not a valid UUID');
      if (opts.smsTemplateId !== undefined && templateId !== opts.smsTemplateId) throw badRequest('Template not found');
      if (!/^\+?[0-9]{7,15}$/.test(phone.replace(/[\s().-]/g, '')))
        throw validation('phone_number Not a valid phone number');
      const personalisation = body.personalisation;
      const message = isObject(personalisation) ? personalisation.message : undefined;
      if (message === undefined || message === null) throw badRequest('Missing personalisation: message');
      const content = SMS_TEMPLATE.replace('((message))', String(message));
      const id = randomUUID();
      // Accepted means on Notify's record, which a look-up by reference reads: recorded first, then delivered to
      // the outbox, so a crash between the two never leaves a message sent that a look-up cannot find.
      const line: SmsLine = {
        id,
        to: phone,
        body: content,
        reference: reference ?? null,
        at: new Date().toISOString(),
      };
      await record({ id, type: 'sms', reference: reference ?? null, sms: line });
      await deliverSms(line);
      receipt({ id, type: 'sms', reference: reference ?? null, to: phone });
      return {
        id,
        reference: reference ?? null,
        content: { body: content, from_number: 'GOVUK' },
        uri: `${baseUrl}/v2/notifications/${id}`,
        template: { id: templateId, version: 1, uri: `${baseUrl}/services/${opts.serviceId}/templates/${templateId}` },
      };
    },
    '/v2/notifications/letter': async (body) => {
      if (body.template_id !== undefined) throw badRequest('the Notify stand-in accepts precompiled letters only');
      const reference = requiredString(body, 'reference');
      const content = requiredString(body, 'content');
      const postage = optionalString(body, 'postage') ?? 'second';
      if (!POSTAGE.includes(postage)) throw validation(`postage invalid. It must be one of ${POSTAGE.join(', ')}`);
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(content)) throw validation('content is not valid base64');
      const pdf = Buffer.from(content, 'base64');
      if (pdf.subarray(0, 4).toString('latin1') !== '%PDF') throw validation('Letter content is not a valid PDF');
      const id = randomUUID();
      // The letter is in the print queue before it is on record: a kill between the two leaves a PDF that a
      // look-up cannot find, so the sender sends again and the same file is written again (one per reference).
      // Recorded first, a kill would leave a letter accepted that never printed. Written whole, then renamed, so
      // a kill mid-write never leaves half a letter.
      const file = join(lettersDir, `${reference.replace(/[^A-Za-z0-9_-]/g, '_')}.pdf`);
      const part = join(lettersDir, `.${id}.part`);
      await writeFile(part, pdf);
      await rename(part, file);
      await record({ id, type: 'letter', reference });
      receipt({ id, type: 'letter', reference });
      return { id, reference, postage };
    },
  };

  const handle = async (req: IncomingMessage): Promise<{ status: number; body: object }> => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const path = url.pathname;
    if (path === '/v2/notifications' && req.method === 'GET') {
      // Notify's "get all notifications", filtered by template type and reference as the client asks.
      authenticate(req.headers.authorization, opts.serviceId, opts.secret);
      const type = url.searchParams.get('template_type');
      const reference = url.searchParams.get('reference');
      const found = (await sent())
        .filter((n) => (!type || n.type === type) && (!reference || n.reference === reference))
        .map(({ sms: _outbox, ...n }) => n)
        .reverse();
      return { status: 200, body: { notifications: found, links: { current: `${baseUrl}/v2/notifications` } } };
    }
    const route = routes[path];
    if (!route) throw new NotifyFailure(404, 'NotFoundError', 'Resource not found');
    if (req.method !== 'POST')
      throw new NotifyFailure(405, 'MethodNotAllowedError', 'The method is not allowed for the requested URL');
    authenticate(req.headers.authorization, opts.serviceId, opts.secret);
    attempts += 1;
    const kind = path.endsWith('/sms') ? 'sms' : 'letter';
    const at = failures.findIndex((f) => !f.only || f.only === kind);
    const injected = at >= 0 ? failures.splice(at, 1)[0]!.status : undefined;
    if (injected !== undefined) throw injectedFailure(injected);
    const held = holds.findIndex((h) => !h.only || h.only === kind);
    if (held >= 0) {
      holds.splice(held, 1);
      req.resume();
      // No answer: the connection is closed with the stand-in (closeAllConnections).
      return new Promise<never>(() => {});
    }
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') throw badRequest('Content-Type header is not application/json');
    const raw = await readBody(req);
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      throw badRequest('Invalid JSON supplied in POST data');
    }
    if (!isObject(body)) throw badRequest('Invalid JSON supplied in POST data');
    return { status: 201, body: await route(body) };
  };

  const server = localServer((req, res) => {
    handle(req).then(
      ({ status, body }) => {
        if (status === 201 && drops > 0) {
          drops -= 1;
          res.socket?.destroy();
          return;
        }
        send(res, status, body);
      },
      (err: unknown) => {
        const failure = err instanceof NotifyFailure ? err : injectedFailure(500);
        // Drain what is left of the request so the connection can be reused.
        req.resume();
        send(res, failure.status, {
          status_code: failure.status,
          errors: [{ error: failure.error, message: failure.message }],
        });
      },
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  baseUrl = `http://${host}:${address.port}`;

  return {
    url: baseUrl,
    apiKey: `local_standin-${opts.serviceId}-${opts.secret}`,
    failNext,
    dropAfterSend,
    holdNext,
    get attempts() {
      return attempts;
    },
    sendReceiptsTo: (url, bearer) => {
      callback = { url, bearer };
      // What is on record and its receipt not answered (the stand-in stopped first) gets its receipt now.
      void Promise.all([sent(), jsonLines<{ id: string }>(answered)]).then(([all, done]) => {
        const known = new Set(done.map((d) => d.id));
        for (const n of all) if (!known.has(n.id)) receipt({ ...n, to: n.sms?.to, createdAt: n.created_at });
      });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.close((err) => (err ? reject(err) : resolve()));
        // The clients keep connections alive; close would otherwise wait for them.
        server.closeAllConnections();
      }),
  };
}

function send(res: ServerResponse, status: number, body: object): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(json) });
  res.end(json);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new NotifyFailure(413, 'RequestEntityTooLargeError', 'Request body is too large'));
        req.removeAllListeners('data');
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Notify's API authentication: an HS256 JWT issued by the service, signed with the key's secret, fresh to 30 s. */
function authenticate(header: string | undefined, serviceId: string, secret: string): void {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!match) throw authError('Unauthorized: authentication token must be provided');
  const parts = match[1]!.split('.');
  if (parts.length !== 3) throw authError('Invalid token: not a JWT');
  const [encodedHeader, encodedClaims, encodedSignature] = parts as [string, string, string];
  const jwtHeader = decodeJson(encodedHeader);
  const claims = decodeJson(encodedClaims);
  if (!jwtHeader || !claims) throw authError('Invalid token: not a JWT');
  if (jwtHeader.alg !== 'HS256') throw authError('Invalid token: algorithm used is not HS256');
  if (jwtHeader.typ !== 'JWT') throw authError('Invalid token: type is not JWT');

  const expected = createHmac('sha256', secret).update(`${encodedHeader}.${encodedClaims}`).digest();
  const given = base64url(encodedSignature);
  if (!given || given.length !== expected.length || !timingSafeEqual(given, expected))
    throw authError('Invalid token: API key not found');
  if (claims.iss !== serviceId) throw authError('Invalid token: service id does not match');
  if (typeof claims.iat !== 'number' || !Number.isFinite(claims.iat))
    throw authError('Invalid token: iat field not provided');
  if (Math.abs(Date.now() / 1000 - claims.iat) > CLOCK_SKEW_SECONDS)
    throw authError('Error: Your system clock must be accurate to within 30 seconds');
}

function base64url(text: string): Buffer | undefined {
  return /^[A-Za-z0-9_-]+$/.test(text) ? Buffer.from(text, 'base64url') : undefined;
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  const bytes = base64url(part);
  if (!bytes) return undefined;
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requiredString(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (value === undefined || value === null) throw validation(`${field} is a required property`);
  if (typeof value !== 'string') throw validation(`${field} is not of type string`);
  if (value === '') throw validation(`${field} must not be empty`);
  return value;
}

function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw validation(`${field} is not of type string`);
  return value;
}
