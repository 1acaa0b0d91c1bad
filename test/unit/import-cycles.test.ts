import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { HANDLER_KINDS } from '../../infra/constructs/bundling.js';

/**
 * No module of functions/ or web/src reaches itself through its imports, type-only imports included: a cycle
 * means two modules each hold part of the other's concern. The walk reads every import and re-export with
 * TypeScript's own pre-processor and resolves the relative ones (and the package's `#` imports) to files.
 */
const ROOT = resolve(import.meta.dirname, '..', '..');
const PACKAGE_IMPORTS: Record<string, string> = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).imports;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return d.name === 'assets' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(d.name) && !d.name.endsWith('.d.ts') ? [path] : [];
  });
}

function resolveImport(from: string, specifier: string): string | undefined {
  const target = specifier.startsWith('#')
    ? PACKAGE_IMPORTS[specifier] && join(ROOT, PACKAGE_IMPORTS[specifier])
    : specifier.startsWith('.')
      ? resolve(dirname(from), specifier)
      : undefined;
  if (!target) return undefined;
  const base = target.replace(/\.(js|jsx|ts|tsx)$/, '');
  return [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')].find((p) => existsSync(p));
}

function importGraph(dirs: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of dirs.flatMap((d) => sourceFiles(join(ROOT, d)))) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, false);
    const targets = importedFiles.flatMap((i) => resolveImport(file, i.fileName) ?? []);
    graph.set(relative(ROOT, file), [...new Set(targets.map((t) => relative(ROOT, t)))]);
  }
  return graph;
}

/** Every cycle's modules, found as the strongly connected components of more than one module (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      const selfImport = graph.get(v)?.includes(v);
      if (component.length > 1 || selfImport) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('import cycles', () => {
  it('finds a cycle when there is one (the check can fail)', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts', 'd.ts']],
      ['d.ts', []],
    ]);
    expect(cycles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
    expect(cycles(new Map([['a.ts', ['b.ts']]]))).toEqual([]);
  });

  it('reads the imports of the real tree', () => {
    const graph = importGraph(['functions']);
    expect(graph.get('functions/http/route.ts')).toContain('functions/routes.ts');
    expect(graph.get('functions/http/route.ts')).toContain('functions/powertools.ts');
  });

  it.each(['functions', 'web/src'])('%s has no import cycle', (dir) => {
    expect(cycles(importGraph([dir]))).toEqual([]);
  });
});

describe('layout', () => {
  it('functions/handlers holds only the folders of handler kinds: a module there that is not a handler would be bundled as none', () => {
    const entries = readdirSync(join(ROOT, 'functions', 'handlers'), { withFileTypes: true });
    expect(entries.filter((e) => !e.isDirectory()).map((e) => e.name)).toEqual([]);
    expect(entries.map((e) => e.name).sort()).toEqual([...HANDLER_KINDS].sort());
  });
});
