import { NotifyClient } from 'notifications-node-client';
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

  const notify = () => {
    if (!client) {
      const pending = opts.apiKey().then((key) => makeClient(baseUrl, key, timeoutMs));
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

function makeClient(baseUrl: string, apiKey: string, timeoutMs: number): NotifyClient {
  // The client takes the service id and secret by position from the key's end.
  if (!/-[0-9a-f-]{36}-[0-9a-f-]{36}$/i.test(apiKey.trim()))
    throw new NotifyError(
      'permanent',
      undefined,
      'Notify API key is malformed: expected <key name>-<service id>-<secret>',
    );
  const client = new NotifyClient(baseUrl, apiKey.trim());
  const api = client.apiClient as { restClient?: unknown };
  const request = api.restClient;
  if (typeof request === 'function') {
    // The client passes each request's options to its REST client (axios), which has no timeout by default.
    client.setClient(((options: object) => request({ ...options, timeout: timeoutMs })) as never);
  }
  return client;
}

interface HttpFailure {
  isAxiosError?: boolean;
  code?: unknown;
  response?: { status?: unknown; data?: unknown };
}

/**
 * Notify's answer reduced to what may be logged. The client's own error holds
 * the request (number, body, signed token): it is neither kept nor chained.
 */
function notifyError(operation: 'sms' | 'letter', err: unknown): NotifyError {
  const failure = (typeof err === 'object' && err !== null ? err : {}) as HttpFailure;
  const status = typeof failure.response?.status === 'number' ? failure.response.status : undefined;
  if (status !== undefined) {
    const codes = errorCodes(failure.response?.data);
    const detail = codes.length ? ` ${codes.join(', ')}` : '';
    return new NotifyError(classifyNotifyFailure(status), status, `Notify ${operation} not sent: ${status}${detail}`);
  }
  if (failure.isAxiosError) {
    const code = typeof failure.code === 'string' && /^[A-Z0-9_]{1,40}$/.test(failure.code) ? ` (${failure.code})` : '';
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
