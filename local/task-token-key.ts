import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The local stand-ins for the stack's generated secrets: random values kept
 * in the data folder beside the local signing key (never in the repository),
 * so that what was sealed, keyed or configured before a restart still works
 * after it, and two data folders never share one.
 */
export const TASK_TOKEN_KEY_SECRET_ID = 'right-to-know/task-token-key';
export const AUDIT_DIGEST_KEY_SECRET_ID = 'right-to-know/audit-digest-key';
export const NOTIFY_CALLBACK_SECRET_ID = 'right-to-know/notify-callback';

/** The value kept in `<dataDir>/<name>`, made on first use: 32 random bytes in base64. */
export function localSecret(dataDir: string, name: string): string {
  const file = join(dataDir, name);
  if (!existsSync(file)) {
    try {
      writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
    } catch (e) {
      // Two processes on one data folder: the first one's value stands.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  return readFileSync(file, 'utf8').trim();
}

/** The TaskTokenKey secret: tokens sealed before a restart still open after it. */
export const localTaskTokenKey = (dataDir: string) => localSecret(dataDir, 'task-token-key');

/** The AuditDigestKey secret: the key of the trail's data digests, which no trail, auditor or export holds. */
export const localAuditDigestKey = (dataDir: string) => localSecret(dataDir, 'audit-digest-key');

/** The bearer token the local Notify receipts carry (NotifyCallbackToken in AWS). */
export const localNotifyCallbackSecret = (dataDir: string) => localSecret(dataDir, 'notify-callback-secret');

/** The CursorKey secret: cursors given before a restart still open after it. */
export const CURSOR_KEY_SECRET_ID = 'right-to-know/cursor-key';
export const localCursorKey = (dataDir: string) => localSecret(dataDir, 'cursor-key');
