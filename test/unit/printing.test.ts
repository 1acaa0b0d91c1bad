import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as fontkit from 'fontkit';
import { letterFontCharacters, woffToTrueType } from '../../functions/adapters/letterFont.js';
import {
  LETTER_FONT_DIR_IN_PACKAGE,
  LETTER_FONT_FILES,
  LETTER_FONT_PACKAGE,
} from '../../functions/adapters/pdfFonts.js';
import { LETTER_FONT_RANGES } from '../../functions/domain/letterFontCoverage.js';
import { letterFontFile } from '../../functions/adapters/letterFont.js';
import { LetterFont } from '../../functions/adapters/letterShaping.js';
import {
  codePointRanges,
  directionRuns,
  letterFontPrints,
  printForm,
  requirePrintableNames,
  unprintableCharacters,
} from '../../functions/domain/printing.js';
import { DomainError } from '../../functions/domain/errors.js';
import { documentDate } from '../../functions/domain/englandDates.js';

describe('what the letter’s font prints', () => {
  it('is the table made from the font files: both faces, nothing more, nothing less (npm run fonts:coverage)', () => {
    const bold = new Set(letterFontCharacters('bold'));
    const both = letterFontCharacters('regular').filter((c) => bold.has(c));
    expect(LETTER_FONT_RANGES).toEqual(codePointRanges(both));
  });

  it('is read from its WOFF file unwrapped to TrueType: the same characters, shaped to the same glyphs', () => {
    const dir = join(
      dirname(createRequire(import.meta.url).resolve(`${LETTER_FONT_PACKAGE}/LICENSE`)),
      LETTER_FONT_DIR_IN_PACKAGE,
    );
    const woff = readFileSync(join(dir, LETTER_FONT_FILES.regular));
    const ttf = woffToTrueType(woff);
    expect(Buffer.from(ttf.subarray(0, 4)).readUInt32BE(0)).toBe(0x00010000);
    const [a, b] = [fontkit.create(woff), fontkit.create(Buffer.from(ttf))];
    expect(b.characterSet).toEqual(a.characterSet);
    expect(b.layout('محمد').glyphs.map((g) => g.id)).toEqual(a.layout('محمد').glyphs.map((g) => g.id));
    expect(() => woffToTrueType(ttf)).toThrow(/not a WOFF file/);
  });

  it('prints names in Latin, Greek, Cyrillic, Arabic and Hebrew script', () => {
    for (const name of [
      'Zoë Łukasz-Öztürk',
      'Siobhán Ní Bhriain',
      'Ελένη Παπαδοπούλου',
      'Дмитрий Иванович Петров',
      'Олександр Ґонта',
      'محمد عبد الله',
      'فاطمة‌زاده',
      'שרה לוי',
    ])
      expect(unprintableCharacters(name), name).toBe(0);
  });

  it('counts what it cannot print: a script it lacks, an unassigned code point, a private-use one', () => {
    expect(unprintableCharacters('王小明')).toBe(3);
    expect(unprintableCharacters('देवनागरी')).toBeGreaterThan(0);
    expect(unprintableCharacters('Ann\u0378e')).toBe(1);
    expect(unprintableCharacters('Bob \uE000')).toBe(1);
    expect(letterFontPrints(0x0378)).toBe(false);
    expect(letterFontPrints('Ж'.codePointAt(0)!)).toBe(true);
  });

  it('composes decomposed letters, makes every white space one space, and leaves out controls and invisible characters', () => {
    expect(printForm('Zoe\u0308\tO\u2019Neil\u00A0Jr\u0007')).toBe('Zoë O’Neil Jr');
    expect(unprintableCharacters('Zoe\u0308\n\u00AD')).toBe(0);
  });
});

describe('a proposed suspect’s names', () => {
  it('in Tifinagh are refused: the font has the letters, but the letter’s layout refuses such a run with a mark or a digit, and would stop at sending', () => {
    // The refusal at proposal stands for this one, at drawing.
    expect(() => new LetterFont(letterFontFile('regular')).layout('ⵜⴰⵎ\u2d7fⴰ 2')).toThrow(/tfng run/);
    expect(letterFontPrints('ⵜ'.codePointAt(0)!)).toBe(true);
    expect(unprintableCharacters('ⵜⴰⵎⴰⵣⵉⵖⵜ')).toBe(8);
    expect(() => requirePrintableNames({ name: 'Amazigh Tamazight', aliases: ['ⵜⴰⵎⴰⵣⵉⵖⵜ'] })).toThrow(DomainError);
  });

  it('pass when the letter prints each', () => {
    expect(() => requirePrintableNames({ name: 'Дмитрий Петров', aliases: ['محمد عبد الله', 'Dima'] })).not.toThrow();
  });

  it('are refused by field, counting the characters, never quoting them', () => {
    let thrown: unknown;
    try {
      requirePrintableNames({ name: '王小明', aliases: ['Dima', 'Di\u0378ma'] });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    const { kind, errors } = thrown as DomainError;
    expect(kind).toBe('Invalid');
    expect(errors).toEqual([
      { path: 'suspect.name', message: '3 characters the disclosure letter cannot print' },
      { path: 'suspect.aliases.1', message: '1 character the disclosure letter cannot print' },
    ]);
    expect(JSON.stringify(thrown)).not.toMatch(/王|小|明/);
  });
});

describe('a line’s runs of one direction', () => {
  it('keeps an Arabic name (its words and the spaces between them) as one right-to-left run inside English', () => {
    expect(directionRuns('is محمد عبد الله (also known as علي).')).toEqual([
      { text: 'is ', rightToLeft: false },
      { text: 'محمد عبد الله', rightToLeft: true },
      { text: ' (also known as ', rightToLeft: false },
      { text: 'علي', rightToLeft: true },
      { text: ').', rightToLeft: false },
    ]);
    expect(directionRuns('Дмитрий Петров')).toEqual([{ text: 'Дмитрий Петров', rightToLeft: false }]);
    expect(directionRuns('')).toEqual([]);
  });

  it('keeps marks (harakat) inside the run', () => {
    expect(directionRuns('x مُحَمَّد y').map((r) => r.text)).toEqual(['x ', 'مُحَمَّد', ' y']);
  });
});

describe('the date a letter or a document carries', () => {
  it('is the day in England: after midnight BST it is already the next day', () => {
    // 23:30 UTC on 14 June 2026 is 00:30 BST on 15 June.
    expect(documentDate('2026-06-14T23:30:00.000Z')).toEqual({ date: '2026-06-15', printed: '15 June 2026' });
    expect(documentDate('2026-06-14T22:59:59.999Z')).toEqual({ date: '2026-06-14', printed: '14 June 2026' });
    expect(documentDate('2026-06-14T23:00:00.000Z').date).toBe('2026-06-15');
  });

  it('in GMT it is the UTC day', () => {
    expect(documentDate('2026-11-21T23:59:59.999Z')).toEqual({ date: '2026-11-21', printed: '21 November 2026' });
    expect(documentDate('2026-11-22T00:00:00.000Z').date).toBe('2026-11-22');
  });

  it('follows the clock changes: the last Sundays of March and October 2026', () => {
    // Clocks go forward at 01:00 UTC on 29 March: 23:30 UTC that evening is 00:30 BST on the 30th.
    expect(documentDate('2026-03-28T23:30:00.000Z').date).toBe('2026-03-28');
    expect(documentDate('2026-03-29T23:30:00.000Z').date).toBe('2026-03-30');
    // Clocks go back at 01:00 UTC on 25 October: 23:30 UTC on the 24th is 00:30 BST on the 25th; on the 25th it is 23:30 GMT.
    expect(documentDate('2026-10-24T23:30:00.000Z').date).toBe('2026-10-25');
    expect(documentDate('2026-10-25T23:30:00.000Z').date).toBe('2026-10-25');
  });

  it('takes a calendar date as itself, and refuses what is neither a date nor an instant', () => {
    expect(documentDate('2026-07-01')).toEqual({ date: '2026-07-01', printed: '1 July 2026' });
    expect(documentDate('2026-01-01T00:30:00+01:00').printed).toBe('31 December 2025');
    for (const bad of ['2026-02-30', 'soon', ''])
      expect(() => documentDate(bad), bad).toThrow(/instant or a calendar date/);
  });
});
