import type { NotifyClient } from 'notifications-node-client';
import { env } from './env.js';
import { secret } from './secrets.js';

/**
 * GOV.UK Notify, through its official client. What the victim is sent is
 * decided in the domain (messages.ts); this module only carries it.
 */
export interface Notifier {
  sendSms(input: { to: string; body: string; reference: string }): Promise<{ id: string }>;
  sendLetter(input: { reference: string; pdf: Uint8Array }): Promise<{ id: string }>;
  /** A notification already sent with this reference, if Notify has one: how a send cut off mid-answer is found again. */
  findSent(reference: string, type: 'sms' | 'letter'): Promise<{ id: string } | undefined>;
}

export const NOTIFY_DEFAULT_BASE_URL = 'https://api.notifications.service.gov.uk';
/** Notify refuses precompiled letters over 5 MB; its client throws synchronously before sending. */
const LETTER_LIMIT_BYTES = 5 * 1024 * 1024;
/** Without a timeout a hung connection holds the function until its own timeout, and no retry is classified. */
const DEFAULT_TIMEOUT_MS = 10_000;

export type NotifyFailureKind = 'permanent' | 'transient';

/**
 * A send that Notify refused or that did not reach it. `transient` is worth
 * retrying (rate limit, Notify down, network); `permanent` is not (a bad
 * request, a wrong or revoked key). The message carries only the status and
 * Notify's error codes: never the phone number, the body or the key.
 */
export class NotifyError extends Error {
  override readonly name = 'NotifyError';
  constructor(
    readonly kind: NotifyFailureKind,
    readonly status: number | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** 400 (bad request) and 403 (auth) and other 4xx are permanent; 408, 429, 5xx and no answer at all are transient. */
export function classifyNotifyFailure(status: number | undefined): NotifyFailureKind {
  if (status === undefined) return 'transient';
  if (status === 408 || status === 429) return 'transient';
  if (status >= 400 && status < 500) return 'permanent';
  return 'transient';
}

export interface NotifierOptions {
  /** Notify's API; its production address when absent. */
  baseUrl?: string;
  /** The API key, `<key name>-<service id>-<secret>`; asked for once, on first send. */
  apiKey: () => Promise<string>;
  /** A Notify SMS template whose whole content is `((message))`. */
  smsTemplateId: string;
  timeoutMs?: number;
}

export function createNotifier(opts: NotifierOptions): Notifier {
  const baseUrl = opts.baseUrl ?? NOTIFY_DEFAULT_BASE_URL;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let client: Promise<NotifyClient> | undefined;

  // The client (with jsonwebtoken) is loaded with the first call that needs it, not with the function:
  // a step that ends before sending (a victim not yet verified, a send held to a safe time) never loads it.
  const notify = () => {
    if (!client) {
      const pending = opts
        .apiKey()
        .then(async (key) => makeClient(await notifyClientModule(), baseUrl, key, timeoutMs));
      client = pending;
      // A failed key fetch or a malformed key is tried again on the next send, not remembered.
      pending.catch(() => {
        if (client === pending) client = undefined;
      });
    }
    return client;
  };

  return {
    async sendSms({ to, body, reference }) {
      const c = await notify();
      try {
        const res = await c.sendSms(opts.smsTemplateId, to, { personalisation: { message: body }, reference });
        return { id: res.data.id };
      } catch (err) {
        throw notifyError('sms', err);
      }
    },
    async sendLetter({ reference, pdf }) {
      if (pdf.byteLength > LETTER_LIMIT_BYTES)
        throw new NotifyError(
          'permanent',
          undefined,
          `Notify letter not sent: the PDF is over ${LETTER_LIMIT_BYTES} bytes`,
        );
      const c = await notify();
      try {
        const res = await c.sendPrecompiledLetter(reference, Buffer.from(pdf), 'first');
        return { id: res.data.id };
      } catch (err) {
        throw notifyError('letter', err);
      }
    },
    async findSent(reference, type) {
      const c = await notify();
      try {
        const res = await c.getNotifications(type, undefined, reference);
        const found = (res.data as { notifications?: { id: string; reference?: string | null }[] }).notifications?.find(
          (n) => n.reference === reference,
        );
        return found ? { id: found.id } : undefined;
      } catch (err) {
        throw notifyError(type, err);
      }
    },
  };
}

type NotifyClientModule = typeof import('notifications-node-client');

/**
 * The Notify client's package (CommonJS). Node's `import()` of it names its exports; from a bundle that keeps it in
 * a file of its own, read when first imported (infra/constructs/bundling.ts splitByDefault), esbuild gives them as
 * the module's `default` only.
 */
async function notifyClientModule(): Promise<NotifyClientModule> {
  const loaded: Partial<NotifyClientModule> & { default?: NotifyClientModule } = await import(
    'notifications-node-client'
  );
  return loaded.NotifyClient ? (loaded as NotifyClientModule) : loaded.default!;
}

function makeClient(
  { NotifyClient }: NotifyClientModule,
  baseUrl: string,
  apiKey: string,
  timeoutMs: number,
): NotifyClient {
  // The client takes the service id and secret by position from the key's end.
  if (!/-[0-9a-f-]{36}-[0-9a-f-]{36}$/i.test(apiKey.trim()))
    throw new NotifyError(
      'permanent',
      undefined,
      'Notify API key is malformed: expected <key name>-<service id>-<secret>',
    );
  const client = new NotifyClient(baseUrl, apiKey.trim());
  client.setClient(restClient(timeoutMs) as never);
  return client;
}

/** What the Notify client asks its REST client for (its api_client.js): axios's request options, these of them. */
interface NotifyRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  data?: unknown;
  responseType?: string;
}

/** Notify answered with a status outside 2xx; `data` is its body, parsed when JSON. */
class NotifyRefused extends Error {
  constructor(
    readonly status: number,
    readonly data: unknown,
  ) {
    super(`Notify answered ${status}`);
  }
}

/** No answer from Notify: not reached, the connection dropped, or the time given ran out; `code` as Node names it. */
class NotifyUnanswered extends Error {
  constructor(readonly code: string | undefined) {
    super('no answer from Notify');
  }
}

/**
 * The REST client the Notify client sends through (its `setClient`), in
 * place of axios, which it otherwise imports and calls with `{ method, url,
 * headers, data }`: a request on Node's fetch with the body as JSON, the
 * answer's body parsed when JSON (as axios does), a status outside 2xx thrown
 * as NotifyRefused and no answer as NotifyUnanswered. axios (about 95 kB
 * with what it brings) is left out of the bundles that send
 * (infra/constructs/bundling.ts). The product asks only for JSON answers
 * (a letter's PDF is never fetched back), so `responseType` is refused.
 */
function restClient(timeoutMs: number) {
  return async ({ method, url, headers, data, responseType }: NotifyRequest) => {
    if (responseType !== undefined)
      throw new NotifyError(
        'permanent',
        undefined,
        `the Notify REST client answers JSON only, not ${JSON.stringify(responseType)}`,
      );
    const body = data === undefined ? undefined : JSON.stringify(data);
    let status: number;
    let text: string;
    try {
      const res = await fetch(url, {
        method: method.toUpperCase(),
        headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = res.status;
      text = await res.text();
    } catch (e) {
      throw new NotifyUnanswered(networkCode(e));
    }
    const answer = parsed(text);
    if (status < 200 || status >= 300) throw new NotifyRefused(status, answer);
    return { status, data: answer };
  };
}

/** A body that is JSON, parsed; any other (a proxy's error page, nothing) as its text. */
function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The code of a failure to reach Notify (ECONNREFUSED, ETIMEDOUT...), from fetch's error or its cause. */
function networkCode(e: unknown): string | undefined {
  if (e instanceof Error && e.name === 'TimeoutError') return 'ETIMEDOUT';
  const cause = e instanceof Error ? (e.cause as { code?: unknown } | undefined) : undefined;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

/**
 * Notify's answer reduced to what may be logged. The client's own error holds
 * the request (number, body, signed token): it is neither kept nor chained.
 */
function notifyError(operation: 'sms' | 'letter', err: unknown): NotifyError {
  if (err instanceof NotifyRefused) {
    const codes = errorCodes(err.data);
    const detail = codes.length ? ` ${codes.join(', ')}` : '';
    return new NotifyError(
      classifyNotifyFailure(err.status),
      err.status,
      `Notify ${operation} not sent: ${err.status}${detail}`,
    );
  }
  if (err instanceof NotifyUnanswered) {
    const code = err.code && /^[A-Z0-9_]{1,40}$/.test(err.code) ? ` (${err.code})` : '';
    return new NotifyError('transient', undefined, `Notify ${operation} not sent: no answer from Notify${code}`);
  }
  // Not an HTTP failure: the client refused the call before sending it.
  return new NotifyError('permanent', undefined, `Notify ${operation} not sent: the client rejected the request`);
}

/** Notify's error body is `{status_code, errors: [{error, message}]}`; only the `error` codes are kept. */
function errorCodes(data: unknown): string[] {
  const errors = (data as { errors?: unknown } | null | undefined)?.errors;
  if (!Array.isArray(errors)) return [];
  return errors
    .map((e) => (e as { error?: unknown } | null)?.error)
    .filter((code): code is string => typeof code === 'string' && /^[A-Za-z]{1,64}$/.test(code))
    .slice(0, 5);
}

/**
 * Reads NOTIFY_BASE_URL (optional), NOTIFY_API_KEY_SECRET_ID and
 * NOTIFY_SMS_TEMPLATE_ID. The key is read from Secrets Manager once per
 * process (a Lambda container keeps it across invocations).
 */
export function notifyFromEnvironment(): Notifier {
  const secretId = env('NOTIFY_API_KEY_SECRET_ID');
  const baseUrl = process.env.NOTIFY_BASE_URL || undefined;
  return createNotifier({ baseUrl, apiKey: () => secret(secretId), smsTemplateId: env('NOTIFY_SMS_TEMPLATE_ID') });
}
