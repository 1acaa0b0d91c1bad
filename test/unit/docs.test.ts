import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { routeEntries } from '../../functions/routes.js';

/** The repository explains itself: the README and docs/ link only inside it, and the API page names every route. */
const root = fileURLToPath(new URL('../../', import.meta.url));
const pages = ['README.md', ...readdirSync(join(root, 'docs')).map((f) => join('docs', f))].filter((f) =>
  f.endsWith('.md'),
);
const text = (page: string) => readFileSync(join(root, page), 'utf8');

describe('the documentation', () => {
  test('the README opens with its two commands', () => {
    expect(text('README.md')).toMatch(/^# .*\n\n```sh\nnpm ci && npm start .*\nnpm ci && npm test .*\n```/);
  });

  test.each(pages)('%s links only to files in the repository', (page) => {
    const links = [...text(page).matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
    for (const link of links) {
      expect(link, `${page}: ${link}`).not.toMatch(/^[a-z]+:/i);
      const target = resolve(dirname(join(root, page)), link.split('#')[0]!);
      expect(target.startsWith(root), `${page}: ${link} leaves the repository`).toBe(true);
      expect(existsSync(target), `${page}: ${link} does not exist`).toBe(true);
    }
    expect(text(page)).not.toContain('../shared');
  });

  test('no source file sends its reader to a document outside the repository', () => {
    const outside = /(?<![\w/])(API|DOMAIN|DESIGN|STYLE|STACK)\.md\b|\.\.\/shared\//;
    const walk = (dir: string): string[] =>
      readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? walk(join(dir, e.name)) : /\.(ts|tsx|cjs|md|json)$/.test(e.name) ? [join(dir, e.name)] : [],
      );
    const sources = ['functions', 'infra', 'local', 'web/src', 'test', 'bench', 'types', 'statemachines', 'scripts']
      .filter((d) => existsSync(join(root, d)))
      .flatMap(walk)
      .filter((f) => f !== join('test', 'unit', 'docs.test.ts'));
    expect(sources.length).toBeGreaterThan(100);
    expect(sources.filter((f) => outside.test(text(f)))).toEqual([]);
  });

  test('docs/api.md names every route of functions/routes.ts', () => {
    const api = text('docs/api.md');
    const missing = routeEntries.map(([, r]) => `\`${r.method} ${r.path}\``).filter((r) => !api.includes(r));
    expect(missing).toEqual([]);
  });
});
