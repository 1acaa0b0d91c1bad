import type { PDFFont } from 'pdf-lib';

/**
 * Text into lines on a PDF page, for the letter (letterPdf.ts) and the plain
 * documents (documentPdf.ts) alike. Nothing here reads a font file, so a
 * handler that draws only documents with the standard fonts carries no font
 * engine.
 */

/**
 * A character the document's font cannot print (and, for the standard fonts
 * of request documents, that has no fair ASCII stand-in). Printing "?" in
 * place of a letter of the suspect's name would disclose a wrong identity,
 * so the document is refused instead.
 */
export class LetterTextNotPrintable extends Error {
  override readonly name = 'LetterTextNotPrintable';
  /**
   * How many characters, and in which field: never the text nor its code
   * points, which spell a person's name in a log line or a fault record.
   */
  constructor(
    readonly count: number,
    readonly field: string,
  ) {
    super(`the ${field} holds ${count} character(s) the document's font cannot print`);
  }
}

// Typographic punctuation becomes plain ASCII; letters outside WinAnsi that
// Unicode does not decompose get their usual transliteration.
const ASCII_EQUIVALENTS: Record<string, string> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201A': "'",
  '\u201B': "'",
  '\u2032': "'",
  '\u201C': '"',
  '\u201D': '"',
  '\u201E': '"',
  '\u201F': '"',
  '\u2033': '"',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u2015': '-',
  '\u2212': '-',
  '\u2026': '...',
  '\u2022': '-',
  '\u00A0': ' ',
  '\u2002': ' ',
  '\u2003': ' ',
  '\u2007': ' ',
  '\u2009': ' ',
  '\u200A': ' ',
  '\u202F': ' ',
  '\t': ' ',
  '\n': ' ',
  '\r': ' ',
  '\u00AD': '',
  '\u200B': '',
  '\u200C': '',
  '\u200D': '',
  '\u2060': '',
  '\uFEFF': '',
  '\u0141': 'L',
  '\u0142': 'l',
  '\u0110': 'D',
  '\u0111': 'd',
  '\u0131': 'i',
  '\u0126': 'H',
  '\u0127': 'h',
};

// biome-ignore lint/suspicious/noControlCharactersInRegex: the point of this pattern is to find control characters
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/u;

/** `text` in characters the standard `font` can encode, or LetterTextNotPrintable counting those it cannot in `field`. */
export function printable(text: string, font: PDFFont, field = 'text'): string {
  const charset = characterSet(font);
  const fits = (s: string) => [...s].every((c) => charset.has(c.codePointAt(0)!));
  let bad = 0;
  let out = '';
  for (const ch of text.normalize('NFC')) {
    const mapped = ASCII_EQUIVALENTS[ch] ?? ch;
    if (fits(mapped)) {
      out += mapped;
      continue;
    }
    if (CONTROL.test(mapped)) continue;
    const folded = mapped.normalize('NFKD').replace(/\p{M}/gu, '');
    if (folded !== '' && fits(folded)) {
      out += folded;
      continue;
    }
    bad += 1;
  }
  if (bad) throw new LetterTextNotPrintable(bad, field);
  return out;
}

const charsets = new WeakMap<PDFFont, Set<number>>();
function characterSet(font: PDFFont): Set<number> {
  let set = charsets.get(font);
  if (!set) {
    set = new Set(font.getCharacterSet());
    charsets.set(font, set);
  }
  return set;
}

/**
 * Greedy word wrap to `maxWidth` points. A word wider than a whole line (a
 * long handle, a URL) is broken between characters rather than overflowing
 * the margin.
 */
export function wrapText(text: string, width: (s: string) => number, maxWidth: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ').filter(Boolean)) {
    for (const piece of width(word) <= maxWidth ? [word] : breakWord(word, width, maxWidth)) {
      if (current === '') current = piece;
      else if (width(`${current} ${piece}`) <= maxWidth) current = `${current} ${piece}`;
      else {
        lines.push(current);
        current = piece;
      }
    }
  }
  if (current !== '') lines.push(current);
  return lines;
}

function breakWord(word: string, width: (s: string) => number, maxWidth: number): string[] {
  const pieces: string[] = [];
  let piece = '';
  for (const ch of word) {
    if (piece !== '' && width(piece + ch) > maxWidth) {
      pieces.push(piece);
      piece = '';
    }
    piece += ch;
  }
  if (piece !== '') pieces.push(piece);
  return pieces;
}
