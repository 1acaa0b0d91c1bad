/**
 * Which failures are worth another try. A throttled store, a service's 5xx, a
 * dropped connection or a timed-out call will likely pass; anything else
 * (a rule refusing, a record missing, a bug) fails the same way each time.
 * Workflow steps report the first kind as `TransientError`, which the ASL
 * retries with backoff and jitter; the rest is caught there and handed to a
 * person. The API answers the first kind with 503 and Retry-After.
 */
export class TransientError extends Error {
  override readonly name = 'TransientError';
  constructor(readonly causeName: string) {
    super(`a transient failure (${causeName}); trying again is expected to work`);
  }
}

/** The code of a conflict that is only contention (many writers at once on one record): another try will pass. */
export const BUSY = 'busy';

const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'Throttling',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'LimitExceededException',
]);
const SERVICE = new Set([
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalServerException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'TransactionConflictException',
]);
const NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

export function isTransient(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  if (e instanceof TransientError) return true;
  const err = e as Error & {
    code?: string;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: number };
    cause?: unknown;
  };
  if (THROTTLING.has(err.name) || SERVICE.has(err.name)) return true;
  if ((err as { code?: string }).code === BUSY) return true;
  if (err.$retryable) return true;
  const status = err.$metadata?.httpStatusCode;
  if (status !== undefined && (status >= 500 || status === 429)) return true;
  if (err.code && NETWORK.has(err.code)) return true;
  return err.cause instanceof Error && err.cause !== e && isTransient(err.cause);
}

/** The name a transient failure is known by: the cause's own name (never its message, which may carry data). */
export const transientName = (e: unknown) =>
  e instanceof TransientError ? e.causeName : e instanceof Error ? e.name : 'unknown';
