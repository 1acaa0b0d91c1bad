import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as fontkit from 'fontkit';
import { letterFontFile } from '../functions/adapters/letterFont.js';
import { codePointRanges } from '../functions/domain/printing.js';
import { PROJECT_ROOT } from '../infra/project.js';

/**
 * `npm run fonts:coverage`: writes, from the letter font files and fontkit
 * (the font engine the letter was drawn with before
 * functions/adapters/letterShaping.ts, kept to check it against):
 * - functions/domain/letterFontCoverage.ts, the code points both faces of
 *   the letter's font print;
 * - functions/adapters/letterFontScripts.ts, what laying those code points
 *   out needs to know of Unicode, as fontkit knows it: each one's script and
 *   the scripts written right to left, how each joins its neighbours in
 *   Arabic and N'Ko, and which the Universal Shaping Engine would not leave
 *   alone.
 * Unit tests (test/unit/printing.test.ts, letter-shaping.test.ts) fail when
 * the tables and the files disagree, so a font upgrade cannot leave them behind.
 */
const require = createRequire(import.meta.url);
const UnicodeTrie = require('unicode-trie') as new (data: Buffer) => { get(c: number): number };
const { getCategory } = require('unicode-properties') as { getCategory(c: number): string };
const shapers = join(PROJECT_ROOT, 'node_modules', 'fontkit', 'src', 'opentype', 'shapers');

const faces = {
  regular: fontkit.create(Buffer.from(letterFontFile('regular'))),
  bold: fontkit.create(Buffer.from(letterFontFile('bold'))),
};
const bold = new Set(faces.bold.characterSet);
const both = faces.regular.characterSet.filter((c) => bold.has(c)).sort((a, b) => a - b);
const hex = (n: number) => `0x${n.toString(16).toUpperCase().padStart(4, '0')}`;

/** Consecutive code points with the same value, as [first, last, value]. */
function valueRanges<T>(values: [number, T][]): [number, number, T][] {
  const out: [number, number, T][] = [];
  for (const [c, v] of values) {
    const last = out.at(-1);
    if (last && last[1] === c - 1 && last[2] === v) last[1] = c;
    else out.push([c, c, v]);
  }
  return out;
}
const rows = <T>(ranges: [number, number, T][]) =>
  ranges.map(([a, b, v]) => `  [${hex(a)}, ${hex(b)}, ${JSON.stringify(v)}],`);

const coverageFile = join(PROJECT_ROOT, 'functions', 'domain', 'letterFontCoverage.ts');
writeFileSync(
  coverageFile,
  [
    '// Written by `npm run fonts:coverage` (scripts/letter-font-coverage.ts) from the letter font files',
    '// (functions/adapters/pdfFonts.ts): do not edit by hand.',
    '',
    '/** The code points both faces of the letter font print, as [first, last] ranges in order. */',
    'export const LETTER_FONT_RANGES: readonly (readonly [number, number])[] = [',
    ...codePointRanges(both).map(([a, b]) => `  [${hex(a)}, ${hex(b)}],`),
    '];',
    '',
  ].join('\n'),
);

// Each code point's script as fontkit tags a run that starts with it ('zzzz': none of its own; '' no tag at all).
const scripts: [number, string][] = [];
const rightToLeft = new Set<string>();
for (const c of both) {
  const run = faces.regular.layout(String.fromCodePoint(c)) as unknown as { script: unknown; direction: string };
  if (run.script === 'zzzz') continue;
  if (run.script !== undefined && typeof run.script !== 'string') throw new Error(`${hex(c)} has script ${run.script}`);
  scripts.push([c, run.script ?? '']);
  if (run.direction === 'rtl') rightToLeft.add(run.script ?? '');
}
// Arabic joining classes (ArabicShaping.txt as fontkit compiled it): 0 none, 1 left, 2 right, 3 dual or join-causing, 4-5 Syriac, 6 transparent.
const joiningTrie = new UnicodeTrie(readFileSync(join(shapers, 'data.trie')));
const JOINING = ['U', 'L', 'R', 'D', 'ALAPH', 'DALATH RISH', 'T'];
const joining: [number, string][] = [];
for (const c of both) {
  const stored = joiningTrie.get(c);
  const cls = stored ? JOINING[stored - 1]! : ['Mn', 'Me', 'Cf'].includes(getCategory(c)) ? 'T' : 'U';
  if (cls === 'ALAPH' || cls === 'DALATH RISH') throw new Error(`${hex(c)} joins as Syriac, which is not laid out`);
  if (cls !== 'U') joining.push([c, cls]);
}
// The Universal Shaping Engine leaves a run of "other" and independent characters as it is.
const use = JSON.parse(readFileSync(join(shapers, 'use.json'), 'utf8')) as { categories: string[] };
const useTrie = new UnicodeTrie(readFileSync(join(shapers, 'use.trie')));
const reshaped = both.filter((c) => !['O', 'IND'].includes(use.categories[useTrie.get(c)]!));

const scriptsFile = join(PROJECT_ROOT, 'functions', 'adapters', 'letterFontScripts.ts');
writeFileSync(
  scriptsFile,
  [
    '// Written by `npm run fonts:coverage` (scripts/letter-font-coverage.ts) from the letter font files',
    '// and the Unicode data fontkit shapes with: do not edit by hand.',
    '',
    "/** Each printed code point's script (OpenType tag) as [first, last, tag]; a code point not listed has none of its own, '' no tag. */",
    'export const LETTER_SCRIPTS: readonly (readonly [number, number, string])[] = [',
    ...rows(valueRanges(scripts)),
    '];',
    '',
    '/** The scripts laid out right to left. */',
    `export const LETTER_RTL_SCRIPTS: ReadonlySet<string> = new Set(${JSON.stringify([...rightToLeft].sort())});`,
    '',
    "/** How a printed code point joins in Arabic and N'Ko (L left, R right, D both, T transparent); one not listed does not join. */",
    "export const LETTER_JOINING: readonly (readonly [number, number, 'L' | 'R' | 'D' | 'T'])[] = [",
    ...rows(valueRanges(joining)),
    '];',
    '',
    '/** Printed code points the Universal Shaping Engine would cluster or reorder (not "other" or independent). */',
    'export const LETTER_UNSHAPED_IN_USE: readonly (readonly [number, number, true])[] = [',
    ...rows(valueRanges(reshaped.map((c) => [c, true] as [number, true]))),
    '];',
    '',
  ].join('\n'),
);
// Formatted as the lint holds the tree to (lower-case hex, single quotes): a run on unchanged fonts changes nothing.
execFileSync(
  process.execPath,
  [require.resolve('@biomejs/biome/bin/biome'), 'format', '--write', coverageFile, scriptsFile],
  { stdio: ['ignore', 'ignore', 'inherit'] },
);
console.log(
  `${coverageFile}: ${both.length} code points; ${scriptsFile}: ${scripts.length} with a script, ${joining.length} joining, ${reshaped.length} the USE would reshape`,
);
