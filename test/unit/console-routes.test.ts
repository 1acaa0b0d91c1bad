import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { routeEntries } from '../../functions/routes.js';

/**
 * Every route a person calls has its page or form in the web console (issue 16): the console's source names each
 * route's path, as it calls it (`/cases/${caseId}/arrest`, a list's path before its query). Routes no person
 * calls are not asked for: public ones (the health check, the OpenAPI document, Notify's receipts) and the local
 * stack's own.
 */
const web = fileURLToPath(new URL('../../web/src/', import.meta.url));
const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
const console_ = walk(web)
  .map((f) => readFileSync(f, 'utf8'))
  .join('\n');

/** The path as the console writes it: a parameter is any `${...}`, and the path ends at its quote or query. */
const asCalled = (path: string) =>
  new RegExp(
    `['\`]${path
      .split(/\{[^}]+\}/)
      .map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
      .join('\\$\\{[^}]+\\}')}['\`?]`,
  );

const called = routeEntries.filter(([, r]) => r.access !== 'public' && !r.localOnly);

describe('the web console', () => {
  test('there are routes a person calls', () => {
    expect(called.length).toBeGreaterThan(30);
  });

  test.each(called.map(([name, r]) => [name, r.method, r.path] as const))(
    '%s (%s %s) has its page or form',
    (_, __, path) => {
      expect(console_).toMatch(asCalled(path));
    },
  );
});
