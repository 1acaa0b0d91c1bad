import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { traceAwsCall } from '#powertools';
import type { AwsCredentialIdentity, SourceData } from '@smithy/types';
import { isTransient } from '../transient.js';
import { defaultProvider } from './lambdaCredentials.js';
import { Misconfigured } from '../failures.js';

/**
 * An AWS API call as one HTTP request signed with Signature Version 4, for
 * the services a handler calls only a few plain operations of: the service's
 * whole SDK client (its shapes, endpoint rules and error classes, about
 * 22 kB for Step Functions) would be carried by every handler for them.
 * What the SDK client does that the product relies on is done here too: the
 * endpoint from AWS_ENDPOINT_URL_<SERVICE> or AWS_ENDPOINT_URL (the local
 * stack's), the function's credentials (functions/adapters/clients/lambdaCredentials.ts,
 * asked again before they expire), and up to three attempts with backoff and
 * jitter when a failure is transient (a throttle, a 5xx, a dropped
 * connection), as the SDK's standard retry mode makes them, and, with the
 * Tracer on, a subsegment for the call as the Tracer makes for an SDK
 * client's (functions/powertools.ts `traceAwsCall`).
 */

/** SHA-256 and its HMAC on Node's crypto, as the signer asks for them. */
class Sha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: Uint8Array): void {
    this.hash.update(data);
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

const bytes = (data: SourceData): Uint8Array =>
  typeof data === 'string'
    ? Buffer.from(data, 'utf8')
    : ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(data);

/** Credentials are asked for again this long before they expire. */
const EXPIRY_MARGIN_MS = 5 * 60_000;
let credentials: Promise<AwsCredentialIdentity> | undefined;
function currentCredentials(): Promise<AwsCredentialIdentity> {
  credentials ??= defaultProvider()().catch((e: unknown) => {
    credentials = undefined;
    throw e;
  });
  return credentials.then((c) => {
    if (c.expiration && c.expiration.getTime() - Date.now() < EXPIRY_MARGIN_MS) {
      credentials = undefined;
      return currentCredentials();
    }
    return c;
  });
}

export const region = () => {
  const r = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!r) throw new Misconfigured('AWS_REGION is not set');
  return r;
};

/** The endpoint configured for a service: its own AWS_ENDPOINT_URL_<ID> (as the SDK names it), else AWS_ENDPOINT_URL. */
export const configuredEndpoint = (envId: string): string | undefined =>
  process.env[`AWS_ENDPOINT_URL_${envId}`] ?? process.env.AWS_ENDPOINT_URL;

/** The service's endpoint: the one configured, else AWS's in the function's region. */
export function endpoint(envId: string, host: (region: string) => string): URL {
  return new URL(configuredEndpoint(envId) ?? `https://${host(region())}`);
}

/** A path segment or query value escaped as Signature Version 4 and S3 escape it (RFC 3986: all but A-Z a-z 0-9 - _ . ~). */
export const escapeUri = (text: string): string =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** An AWS service's refusal, named as the SDK names it (`TaskTimedOut`, `ExecutionAlreadyExists`...). */
export class AwsServiceError extends Error {
  readonly $metadata: { httpStatusCode: number; requestId?: string };
  constructor(name: string, message: string, status: number, requestId: string | undefined) {
    super(message);
    this.name = name;
    this.$metadata = { httpStatusCode: status, requestId };
  }
}

export interface SignedRequest {
  /** The service's signing name (`states`, `s3`). */
  service: string;
  /** The service and the operation as the SDK names them (`SFN`, `StartExecution`): the name of the call's trace. */
  traceAs: { service: string; operation: string };
  url: URL;
  method: 'GET' | 'PUT' | 'POST';
  headers: Record<string, string>;
  body?: Uint8Array | string;
  /** How long one attempt may take before it is given up as a transient TimeoutError (default 30 s). */
  timeoutMs?: number;
}

const MAX_ATTEMPTS = 3;
/**
 * One attempt's limit: fetch has none of its own (undici waits five minutes for headers), and a call that hangs
 * would hold its step until the Lambda's timeout. Given up, it is a TimeoutError, transient: tried again here,
 * then by the ASL's retry.
 */
const ATTEMPT_TIMEOUT_MS = 30_000;
const BASE_DELAY_MS = 100;
const MAX_DELAY_MS = 20_000;

/**
 * Sends the request, signed afresh for each attempt; the answer of the first
 * attempt that is not a transient failure is returned, whatever its status.
 */
export function sendSigned(
  request: SignedRequest,
  attempts = MAX_ATTEMPTS,
  sleep = (ms: number) => new Promise((r) => setTimeout(r, ms)),
): Promise<Response> {
  let retries = 0;
  const send = async () => {
    for (let attempt = 1; ; attempt++, retries++) {
      try {
        const res = await sendOnce(request);
        if (attempt < attempts && (res.status >= 500 || res.status === 429)) {
          await res.arrayBuffer();
          await sleep(backoff(attempt));
          continue;
        }
        return res;
      } catch (e) {
        if (attempt >= attempts || !isTransient(e)) throw e;
        await sleep(backoff(attempt));
      }
    }
  };
  // Traced as one call, its retries counted, as the Tracer traces an SDK client's (functions/powertools.ts).
  return traceAwsCall(request.traceAs.service, request.traceAs.operation, send, () => retries);
}

const backoff = (attempt: number) => Math.random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);

async function sendOnce({ service, url, method, headers, body, timeoutMs }: SignedRequest): Promise<Response> {
  // S3 signs the path as sent (its keys are escaped once, by the caller) and the payload's hash as a header.
  const s3 = service === 's3';
  const signer = new SignatureV4({
    service,
    region: region(),
    credentials: currentCredentials,
    sha256: Sha256,
    uriEscapePath: !s3,
    applyChecksum: s3,
  });
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = v;
  const signed = await signer.sign({
    method,
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    path: url.pathname,
    query,
    headers: { ...headers, host: url.host },
    body,
  });
  const { host: _host, ...sent } = signed.headers;
  return fetch(url, { method, headers: sent, body, signal: AbortSignal.timeout(timeoutMs ?? ATTEMPT_TIMEOUT_MS) });
}
