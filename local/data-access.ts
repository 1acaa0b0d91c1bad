import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * How the command-line tools (`npm run audit:verify`, `npm run stats`) reach
 * a data folder's stores: through the running `npm start` that serves it (its
 * endpoints.json names the variables its handlers use), or, with none
 * running, by starting the stores on the folder themselves, resuming nothing.
 */
export async function openDataFolder(dataDir: string): Promise<{ close: () => Promise<void> }> {
  const endpoints = join(dataDir, 'endpoints.json');
  const running = existsSync(endpoints)
    ? (JSON.parse(readFileSync(endpoints, 'utf8')) as { pid: number; variables: Record<string, string> })
    : undefined;
  const alive =
    running &&
    (() => {
      try {
        process.kill(running.pid, 0);
        return true;
      } catch {
        return false;
      }
    })();
  if (running && alive) {
    Object.assign(process.env, running.variables);
    return { close: async () => undefined };
  }
  const { startStack } = await import('./stack.js');
  const stack = await startStack({ port: 0, dataDir, resume: false });
  return { close: stack.stop };
}
