import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The local stand-in for the TaskTokenKey secret: 32 random bytes in base64,
 * kept in the data folder beside the local signing key, so that tokens sealed
 * before a restart still open after it.
 */
export const TASK_TOKEN_KEY_SECRET_ID = 'right-to-know/task-token-key';

export function localTaskTokenKey(dataDir: string): string {
  const file = join(dataDir, 'task-token-key');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  return readFileSync(file, 'utf8').trim();
}
