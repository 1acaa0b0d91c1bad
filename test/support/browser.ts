import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Which Chromium the browser tests drive through playwright-core, never a
 * browser downloaded at install:
 * - `CHROMIUM_PATH` when set;
 * - else Debian's chromium when it is installed (`chromium` on PATH, which
 *   `/usr/bin/chromium` is);
 * - else the Chromium build shipped inside the `@sparticuz/chromium` npm
 *   package (pinned in the lockfile), unpacked once under `.tmp/`.
 * `args` are the flags to launch it with (the caller passes `headless: true`).
 */
export interface ChromiumLaunch {
  executablePath: string;
  args: string[];
  /** Where it came from, for the test's output. */
  source: 'CHROMIUM_PATH' | 'debian' | '@sparticuz/chromium';
}

/** Flags for every source: no sandbox (tests run as whatever user), no network chatter of the browser's own. */
const COMMON = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * From @sparticuz/chromium's own flags, those that would make the test see
 * something else than a browser at a desk sees: `--single-process` and
 * `--no-zygote` (with them a second browser context dies), its own headless
 * mode (the caller's `headless: true` decides), and its Lambda conveniences
 * that switch browser security off (`--disable-web-security` and friends:
 * the console's CORS and CSP must be tested as they are).
 */
const DROPPED = new Set([
  '--single-process',
  '--no-zygote',
  '--disable-web-security',
  '--allow-running-insecure-content',
  '--disable-site-isolation-trials',
]);

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

/** Debian's package installs /usr/bin/chromium (Ubuntu's, chromium-browser): looked up on PATH, so hiding it there hides it. */
function debianChromium(): string | undefined {
  return onPath('chromium') ?? onPath('chromium-browser');
}

/**
 * Unpack the package's Chromium once into `.tmp/sparticuz-chromium-<version>`.
 * The package unpacks into `os.tmpdir()` and takes any file already there as
 * done, so two test files unpacking at once could launch a half-written
 * binary: each unpacks into a folder of its own, then renames it into place
 * (atomic); the loser of the race drops its copy and uses the winner's.
 */
async function sparticuzChromium(): Promise<{ executablePath: string; args: string[] }> {
  const { default: chromium } = await import('@sparticuz/chromium');
  // The package exports no package.json: read it beside its entry point.
  const entry = fileURLToPath(import.meta.resolve('@sparticuz/chromium'));
  const { version } = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  const base = join(process.cwd(), '.tmp');
  const home = join(base, `sparticuz-chromium-${version}`);
  const binary = join(home, 'chromium');
  if (!existsSync(binary)) {
    mkdirSync(base, { recursive: true });
    const mine = mkdtempSync(join(base, 'sparticuz-unpack-'));
    const tmpdir = process.env.TMPDIR;
    process.env.TMPDIR = mine;
    try {
      await chromium.executablePath();
    } finally {
      if (tmpdir === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = tmpdir;
    }
    try {
      renameSync(mine, home);
    } catch {
      rmSync(mine, { recursive: true, force: true });
    }
  }
  const args = chromium.args.filter((a) => !DROPPED.has(a) && !a.startsWith('--headless'));
  return { executablePath: binary, args };
}

export async function chromiumLaunch(): Promise<ChromiumLaunch> {
  const given = process.env.CHROMIUM_PATH;
  if (given) return { executablePath: given, args: COMMON, source: 'CHROMIUM_PATH' };
  const debian = debianChromium();
  if (debian) return { executablePath: debian, args: COMMON, source: 'debian' };
  const packaged = await sparticuzChromium();
  return { ...packaged, args: [...COMMON, ...packaged.args], source: '@sparticuz/chromium' };
}
