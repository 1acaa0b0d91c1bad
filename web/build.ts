import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `npm run build:web`, and before `npm start` (prestart) only when web/dist
 * is missing or older than its sources. Builds into a fresh folder and swaps
 * it in, so two starts at once (tests run in parallel) never serve half a build.
 */
const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const WEB_DIST = join(ROOT, 'web', 'dist');
const STAMP = '.built';
const SOURCES = ['web/src', 'web/index.html', 'web/vite.config.ts', 'package-lock.json'];

function newest(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(s.mtimeMs, ...readdirSync(path).map((n) => newest(join(path, n))));
}

export function webIsStale(): boolean {
  const stamp = join(WEB_DIST, STAMP);
  if (!existsSync(stamp)) return true;
  const built = statSync(stamp).mtimeMs;
  return SOURCES.some((s) => existsSync(join(ROOT, s)) && newest(join(ROOT, s)) > built);
}

export async function buildWeb(): Promise<void> {
  const { build } = await import('vite');
  const tmp = join(ROOT, '.tmp');
  mkdirSync(tmp, { recursive: true });
  const out = join(tmp, `web-dist-${process.pid}-${Date.now()}`);
  await build({ configFile: join(ROOT, 'web', 'vite.config.ts'), build: { outDir: out, emptyOutDir: true } });
  writeFileSync(join(out, STAMP), `${new Date().toISOString()}\n`);
  const old = `${out}-old`;
  try {
    if (existsSync(WEB_DIST)) renameSync(WEB_DIST, old);
    renameSync(out, WEB_DIST);
  } catch (e) {
    // Another build swapped its folder in between: it is as fresh as ours.
    if (!existsSync(join(WEB_DIST, STAMP))) throw e;
    rmSync(out, { recursive: true, force: true });
  }
  rmSync(old, { recursive: true, force: true });
}

export async function ensureWebBuilt(): Promise<boolean> {
  if (!webIsStale()) return false;
  await buildWeb();
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const force = process.argv.includes('--force');
  const started = Date.now();
  if (force) await buildWeb();
  const built = force || (await ensureWebBuilt());
  process.stdout.write(
    built
      ? `console built into web/dist in ${((Date.now() - started) / 1000).toFixed(1)} s\n`
      : 'console in web/dist is up to date\n',
  );
}
