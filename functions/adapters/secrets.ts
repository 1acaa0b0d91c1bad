import { Misconfigured } from './failures.js';
import { TransientError } from './transient.js';

/**
 * Secrets come from the AWS Parameters and Secrets Lambda Extension, which
 * every function given a secret's id runs beside it (infra/constructs/function.ts):
 * a local HTTP server that fetches a secret from Secrets Manager with the
 * function's role and caches it. No Secrets Manager client in the bundle.
 * Its port is PARAMETERS_SECRETS_EXTENSION_HTTP_PORT (2773 unless set; the
 * local stack serves the same route from its secrets stand-in), and it
 * answers only a caller holding the function's session token.
 */
const EXTENSION_PORT = 2773;
const TOKEN_HEADER = 'X-Aws-Parameters-Secrets-Token';

/** GetSecretValue's answer, as the extension relays it. */
interface SecretValue {
  SecretString?: string;
}

async function fetchSecret(secretId: string): Promise<string> {
  const port = process.env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT ?? String(EXTENSION_PORT);
  let res: Response;
  try {
    res = await fetch(`http://localhost:${port}/secretsmanager/get?secretId=${encodeURIComponent(secretId)}`, {
      headers: { [TOKEN_HEADER]: process.env.AWS_SESSION_TOKEN ?? '' },
    });
  } catch (e) {
    // Not listening yet, or a dropped connection: another try will likely pass.
    throw new TransientError(`SecretsExtension:${(e as { cause?: { code?: string } }).cause?.code ?? 'unreachable'}`);
  }
  // Its body may quote the request; only the status is kept.
  if (res.status === 429 || res.status >= 500) throw new TransientError(`SecretsExtension:${res.status}`);
  if (!res.ok) throw new Misconfigured(`the secrets extension refused the secret (HTTP ${res.status})`);
  const value = ((await res.json()) as SecretValue).SecretString;
  if (!value) throw new Misconfigured('the secret has no string value');
  return value;
}

const cache = new Map<string, Promise<string>>();

/** A secret's value, fetched once per process; a failed fetch is not cached. */
export function secret(secretId: string): Promise<string> {
  let p = cache.get(secretId);
  if (!p) {
    p = fetchSecret(secretId);
    p.catch(() => cache.delete(secretId));
    cache.set(secretId, p);
  }
  return p;
}
