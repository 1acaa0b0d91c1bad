import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { secretStore } from './clients/secrets.js';
import { Misconfigured } from './failures.js';

const cache = new Map<string, Promise<string>>();

/** A secret's value, fetched once per process; a failed fetch is not cached. */
export function secret(secretId: string): Promise<string> {
  let p = cache.get(secretId);
  if (!p) {
    p = secretStore()
      .send(new GetSecretValueCommand({ SecretId: secretId }))
      .then((out) => {
        if (!out.SecretString) throw new Misconfigured('the secret has no string value');
        return out.SecretString;
      });
    p.catch(() => cache.delete(secretId));
    cache.set(secretId, p);
  }
  return p;
}
