import { LETTER_FONT_RANGES } from './letterFontCoverage.js';
import { invalid } from './errors.js';

/**
 * What the disclosure letter can print. The letter is drawn with one font
 * (functions/adapters/pdfFonts.ts) whose code points are listed in
 * letterFontCoverage.ts; a name is checked against that list when it is
 * proposed, so that a letter never stops at sending for a character its
 * font lacks. Printing "?" in place of a letter of a name would disclose a
 * wrong identity: text with such a character is refused, never mangled.
 */

/** Sorted code points as [first, last] ranges. */
export function codePointRanges(codePoints: Iterable<number>): [number, number][] {
  const sorted = [...new Set(codePoints)].sort((a, b) => a - b);
  const ranges: [number, number][] = [];
  for (const c of sorted) {
    const last = ranges.at(-1);
    if (last && c === last[1] + 1) last[1] = c;
    else ranges.push([c, c]);
  }
  return ranges;
}

function inRanges(ranges: readonly (readonly [number, number])[], c: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [first, last] = ranges[mid]!;
    if (c < first) hi = mid - 1;
    else if (c > last) lo = mid + 1;
    else return true;
  }
  return false;
}

/** The letter's font has a glyph for this code point, in both its faces. */
export const letterFontPrints = (codePoint: number): boolean => inRanges(LETTER_FONT_RANGES, codePoint);

// biome-ignore lint/suspicious/noControlCharactersInRegex: the point of this pattern is to find control characters
const CONTROL = /^[\u0000-\u001F\u007F-\u009F]$/u;
const SPACE = /^\s$/u;
/** Invisible characters that change nothing on paper when the font lacks them (soft hyphen, zero-width space, word joiner, byte order mark). */
const INVISIBLE = new Set([0x00ad, 0x200b, 0x2060, 0xfeff]);

/**
 * `text` as the letter prints it: composed (NFC), every kind of white space
 * (tabs, line ends, no-break spaces) one plain space, controls and invisible
 * characters the font lacks left out. What is left is either printable or
 * counted by unprintableCharacters.
 */
export function printForm(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    const c = ch.codePointAt(0)!;
    if (SPACE.test(ch)) out += ' ';
    else if (letterFontPrints(c)) out += ch;
    else if (!CONTROL.test(ch) && !INVISIBLE.has(c)) out += ch;
  }
  return out;
}

/**
 * Tifinagh: the font has its letters, but the letter's layout (adapters/letterShaping.ts) does not reproduce the
 * shaping engine fontkit gives that script, and refuses a Tifinagh run holding a mark, a joiner or a digit; a line
 * of the letter can begin with a name. Counted as unprintable, so a Tifinagh name is refused when it is proposed
 * rather than stopping the letter at sending. The letter's refusal names the scripts it prints, Tifinagh not among
 * them.
 */
const NOT_LAID_OUT = /\p{Script=Tifinagh}/u;

/** How many characters of `text` the letter's font cannot print (0: it prints whole). */
export function unprintableCharacters(text: string): number {
  let bad = 0;
  for (const ch of printForm(text))
    if (ch !== ' ' && (!letterFontPrints(ch.codePointAt(0)!) || NOT_LAID_OUT.test(ch))) bad += 1;
  return bad;
}

/**
 * A proposed suspect's names, checked when they are proposed: each name the
 * letter would print with a character its font lacks is refused, by field
 * (`suspect.name`, `suspect.aliases.N`), never printed as something else.
 */
export function requirePrintableNames(suspect: { name: string; aliases: readonly string[] }): void {
  const errors = [
    ['suspect.name', suspect.name] as const,
    ...suspect.aliases.map((a, i) => [`suspect.aliases.${i}`, a] as const),
  ].flatMap(([path, name]) => {
    const bad = unprintableCharacters(name);
    return bad ? [{ path, message: `${bad} character${bad === 1 ? '' : 's'} the disclosure letter cannot print` }] : [];
  });
  if (errors.length)
    throw invalid(
      'the disclosure letter prints Latin, Greek, Cyrillic, Armenian, Georgian, Arabic and Hebrew script: a name with a character outside its font cannot be proposed',
      errors,
    );
}

const RIGHT_TO_LEFT = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u;
/** A right-to-left run: from one right-to-left letter to the last one after it with only marks and spaces between. */
const RTL_RUN = /* @__PURE__ */ (() =>
  new RegExp(
    `${RIGHT_TO_LEFT.source}(?:[${RIGHT_TO_LEFT.source.slice(1, -1)}\\p{M}\\s]*${RIGHT_TO_LEFT.source})?`,
    'gu',
  ))();

/**
 * A line of an English letter split into the runs that keep one direction:
 * the line reads left to right, and a name in Arabic or Hebrew inside it is a
 * right-to-left run (its words keep their order read from the right). Each
 * run is shaped on its own, so that the font joins an Arabic name's letters
 * and lays them out from the right.
 */
export function directionRuns(line: string): { text: string; rightToLeft: boolean }[] {
  const runs: { text: string; rightToLeft: boolean }[] = [];
  let at = 0;
  for (const m of line.matchAll(RTL_RUN)) {
    if (m.index > at) runs.push({ text: line.slice(at, m.index), rightToLeft: false });
    runs.push({ text: m[0], rightToLeft: true });
    at = m.index + m[0].length;
  }
  if (at < line.length) runs.push({ text: line.slice(at), rightToLeft: false });
  return runs;
}
