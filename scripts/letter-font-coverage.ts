import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { letterFontCharacters } from '../functions/adapters/letterFont.js';
import { codePointRanges } from '../functions/domain/printing.js';
import { PROJECT_ROOT } from '../infra/project.js';

/**
 * `npm run fonts:coverage`: writes functions/domain/letterFontCoverage.ts,
 * the code points both faces of the letter's font print, from the font
 * files themselves. A unit test (test/unit/printing.test.ts) fails when the
 * table and the files disagree, so a font upgrade cannot leave it behind.
 */
const bold = new Set(letterFontCharacters('bold'));
const both = letterFontCharacters('regular').filter((c) => bold.has(c));
const ranges = codePointRanges(both);
const hex = (n: number) => `0x${n.toString(16).toUpperCase().padStart(4, '0')}`;
const file = join(PROJECT_ROOT, 'functions', 'domain', 'letterFontCoverage.ts');
writeFileSync(
  file,
  [
    '// Written by `npm run fonts:coverage` (scripts/letter-font-coverage.ts) from the letter font files',
    '// (functions/adapters/pdfFonts.ts): do not edit by hand.',
    '',
    '/** The code points both faces of the letter font print, as [first, last] ranges in order. */',
    'export const LETTER_FONT_RANGES: readonly (readonly [number, number])[] = [',
    ...ranges.map(([a, b]) => `  [${hex(a)}, ${hex(b)}],`),
    '];',
    '',
  ].join('\n'),
);
console.log(`${file}: ${both.length} code points in ${ranges.length} ranges`);
