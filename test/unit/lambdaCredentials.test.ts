import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultProvider } from '../../functions/adapters/clients/lambdaCredentials.js';

const CREDENTIAL_ENV = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
];

describe('the credentials chain of a deployed function', () => {
  afterEach(() => vi.unstubAllEnvs());
  const only = (env: Record<string, string>) => {
    for (const name of CREDENTIAL_ENV) vi.stubEnv(name, '');
    for (const name of CREDENTIAL_ENV) delete process.env[name];
    for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  };

  it('takes the role credentials Lambda puts in the environment', async () => {
    only({ AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'token' });
    await expect(defaultProvider()()).resolves.toMatchObject({
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'secret',
      sessionToken: 'token',
    });
  });

  it('asks the container credentials endpoint when the environment has none, and says so when there is none', async () => {
    only({});
    await expect(defaultProvider()()).rejects.toThrow(/AWS_CONTAINER_CREDENTIALS_FULL_URI/);
  });
});
