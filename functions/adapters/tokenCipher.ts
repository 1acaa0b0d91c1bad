import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { env } from './env.js';
import { secret } from './secrets.js';
import { Misconfigured, SealedTokenUnreadable } from './failures.js';

/**
 * Task tokens at rest. Anyone holding a task token can move a case on
 * (SendTaskSuccess), so the cases table holds them sealed with AES-256-GCM:
 * a reader of the table, a backup or an export gets nothing usable. The
 * record's key is the additional authenticated data, so a sealed token
 * copied onto another record does not open.
 *
 * The key comes from the secret named by TASK_TOKEN_KEY_SECRET_ID, through
 * HKDF-SHA256: locally the secret is 32 random bytes in base64; in AWS,
 * Secrets Manager generates it (64 random alphanumerics, about 380 bits),
 * since it cannot generate raw bytes. Only adapters/cases.ts calls this.
 */
const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const MIN_SECRET_CHARS = 32;

export function deriveTokenKey(secretText: string): Buffer {
  if (secretText.length < MIN_SECRET_CHARS) throw new Misconfigured('the task token key secret is too short');
  return Buffer.from(hkdfSync('sha256', secretText, 'right-to-know', 'task-token/aes-256-gcm/v1', 32));
}

export function sealWith(key: Buffer, token: string, context: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const sealed = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
  return [
    VERSION,
    iv.toString('base64url'),
    sealed.toString('base64url'),
    cipher.getAuthTag().toString('base64url'),
  ].join('.');
}

/** The token, or an error that says nothing of it: a wrong key, another record's token, or a changed byte all fail alike. */
export function openWith(key: Buffer, sealed: string, context: string): string {
  const [version, iv, body, tag, ...rest] = sealed.split('.');
  if (version !== VERSION || !iv || body === undefined || !tag || rest.length)
    throw new SealedTokenUnreadable('a stored task token is not in the sealed form');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new SealedTokenUnreadable('a stored task token could not be opened');
  }
}

const taskTokenKey = async () => deriveTokenKey(await secret(env('TASK_TOKEN_KEY_SECRET_ID')));

export const sealTaskToken = async (token: string, context: string) => sealWith(await taskTokenKey(), token, context);
export const openTaskToken = async (sealed: string, context: string) => openWith(await taskTokenKey(), sealed, context);
