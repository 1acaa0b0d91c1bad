import { hkdfSync } from 'node:crypto';
import { keyedDigestOf } from '../domain/audit.js';
import { env } from './env.js';
import { secret } from './secrets.js';
import { Misconfigured } from './failures.js';

/**
 * The key of the trail's data digests (domain/audit.ts keyedDigestOf): from
 * the secret named by AUDIT_DIGEST_KEY_SECRET_ID through HKDF-SHA256, as the
 * task-token key is (locally a key file in the data folder; in AWS a
 * generated secret that only the functions appending to the trail may read).
 * Nothing that reads the trail, and no export, holds it.
 */
const MIN_SECRET_CHARS = 32;

export function deriveAuditDigestKey(secretText: string): Buffer {
  if (secretText.length < MIN_SECRET_CHARS) throw new Misconfigured('the audit digest key secret is too short');
  return Buffer.from(hkdfSync('sha256', secretText, 'right-to-know', 'audit-digest/hmac-sha256/v1', 32));
}

const auditDigestKey = async () => deriveAuditDigestKey(await secret(env('AUDIT_DIGEST_KEY_SECRET_ID')));

/** A digester bound to the key, for domain functions that digest as they go. */
export async function dataDigester(): Promise<(data: unknown) => string> {
  const key = await auditDigestKey();
  return (data) => keyedDigestOf(key, data);
}
