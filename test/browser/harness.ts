import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { ensureWebBuilt } from '../../web/build.js';
import { startStack, type RunningStack } from '../../local/stack.js';
import { chromiumLaunch } from '../support/browser.js';

/**
 * The console in a Chromium driven by playwright-core (Debian's when it is
 * installed, else the one inside the @sparticuz/chromium npm package: see
 * test/support/browser.ts; never a downloaded browser) against the local
 * stack started in this process, time ×3600.
 * Each seeded user signs in on their own tab: sessionStorage is per tab,
 * so the users are as separate as people at their own desks.
 */
export const SCREENSHOTS = join(process.cwd(), 'test-results', 'screenshots');

export interface Console {
  stack: RunningStack;
  url: string;
  context: BrowserContext;
  /** A tab signed in as this seeded user (signed in once, then reused). */
  as: (username: string) => Promise<Page>;
  shot: (page: Page, name: string) => Promise<void>;
  close: () => Promise<void>;
}

export async function startConsole(): Promise<Console> {
  await ensureWebBuilt();
  const browser = await chromiumLaunch();
  const base = join(process.cwd(), '.tmp');
  mkdirSync(base, { recursive: true });
  const dataDir = mkdtempSync(join(base, 'browser-data-'));
  const profile = mkdtempSync(join(base, 'browser-profile-'));
  mkdirSync(SCREENSHOTS, { recursive: true });
  const stack = await startStack({ port: 0, dataDir, timeScale: 3600 });
  // A fresh --user-data-dir for every run: playwright passes the folder given here as the flag.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: browser.executablePath,
    headless: true,
    args: browser.args,
    acceptDownloads: true,
    viewport: { width: 1280, height: 900 },
    locale: 'en-GB',
    timezoneId: 'Europe/London',
  });
  context.setDefaultTimeout(20_000);
  const pages = new Map<string, Page>();
  const as = async (username: string) => {
    const existing = pages.get(username);
    if (existing) return existing;
    const page = await context.newPage();
    page.on('pageerror', (e) => process.stderr.write(`[browser ${username}] ${e.message}\n`));
    await page.goto(`${stack.apiUrl}/sign-in`);
    await page.locator(`input[name="username"][value="${username}"]`).check();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('whoami').waitFor();
    pages.set(username, page);
    return page;
  };
  return {
    stack,
    url: stack.apiUrl,
    context,
    as,
    shot: async (page, name) => {
      await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
    },
    close: async () => {
      await context.close().catch(() => undefined);
      await stack.stop();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Go to a page of the console in this user's tab (a client navigation, as a click on the menu would). */
export async function visit(page: Page, path: string): Promise<void> {
  await page.goto(new URL(path, page.url()).toString());
}

/** Wait until the approval queue has loaded (its table, or its "nothing waiting"): then a row it lacks is truly absent. */
export async function queueLoaded(page: Page): Promise<void> {
  await page.locator('[data-testid="approval-queue"], [data-testid="approvals-empty"]').first().waitFor();
}

/** Wait for something the workflow does asynchronously to show, reloading now and then as an impatient user would. */
export async function untilVisible(page: Page, locator: Locator, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; ; i++) {
    if (await locator.first().isVisible()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${locator}`);
    await page.waitForTimeout(400);
    if (i % 5 === 4) await page.reload();
  }
}
