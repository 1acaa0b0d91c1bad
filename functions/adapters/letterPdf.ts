import { PDFDocument, rgb, type Color, type PDFFont, type PDFPage } from 'pdf-lib';
import type { LetterContent } from '../domain/messages.js';
import { PDF_FONTS } from './pdfFonts.js';

/**
 * The disclosure letter as a PDF (docs/process.md step 9), drawn with the PDF
 * standard fonts so that no font file has to ship with the function. The same
 * content always gives the same bytes: the letter's digest goes into the audit
 * trail, and a re-render must prove it is the letter that was sent.
 */

const A4 = { width: 595.28, height: 841.89 } as const;
const MARGIN = 56;
const TEXT_WIDTH = A4.width - 2 * MARGIN;
/** Room kept above the bottom margin for the page footer. */
const FOOTER_ROOM = 14;
const SIZE = { header: 15, heading: 11.5, body: 11, footer: 8 } as const;
const LEADING = 1.4;

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/**
 * A character the standard fonts cannot print and that has no fair ASCII
 * stand-in. Printing "?" in place of a letter of the suspect's name would
 * disclose a wrong identity, so the letter is refused instead.
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
    super(`the ${field} holds ${count} character(s) the standard PDF fonts cannot print`);
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

/** `text` in characters `font` can encode, or LetterTextNotPrintable counting those it cannot in `field`. */
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
export function wrapText(text: string, font: PDFFont, size: number, maxWidth: number): string[] {
  const width = (s: string) => font.widthOfTextAtSize(s, size);
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

function letterDate(date: string): { printed: string; at: Date } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const at = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : undefined;
  if (!match || !at || at.toISOString().slice(0, 10) !== date)
    throw new Error('a letter date must be a calendar date, YYYY-MM-DD');
  return { printed: `${at.getUTCDate()} ${MONTHS[at.getUTCMonth()]} ${at.getUTCFullYear()}`, at };
}

// pdf-lib adds a font resource to the page each time a font is passed to
// drawText; setting it only when it changes keeps one entry per font and page.
const currentFont = new WeakMap<PDFPage, PDFFont>();
function drawText(
  page: PDFPage,
  text: string,
  font: PDFFont,
  options: { x: number; y: number; size: number; color: Color },
) {
  if (currentFont.get(page) !== font) {
    page.setFont(font);
    currentFont.set(page, font);
  }
  page.drawText(text, options);
}

interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
}

/** Writes lines top to bottom, starting a new page when the next block would cross the bottom margin. */
class Flow {
  readonly pages: PDFPage[] = [];
  private page!: PDFPage;
  private y = 0;

  constructor(private readonly doc: PDFDocument) {
    this.newPage();
  }

  newPage(): void {
    this.page = this.doc.addPage([A4.width, A4.height]);
    this.pages.push(this.page);
    this.y = A4.height - MARGIN;
  }

  /** Keeps the next `height` points together on one page. */
  keep(height: number): void {
    if (this.y - height < MARGIN + FOOTER_ROOM) this.newPage();
  }

  line(text: string, font: PDFFont, size: number): void {
    const height = size * LEADING;
    this.keep(height);
    drawText(this.page, text, font, { x: MARGIN, y: this.y - size, size, color: rgb(0, 0, 0) });
    this.y -= height;
  }

  paragraph(text: string, font: PDFFont, size: number, field: string): void {
    for (const line of wrapText(printable(text, font, field), font, size, TEXT_WIDTH)) this.line(line, font, size);
  }

  gap(height: number): void {
    this.y -= height;
  }

  rule(): void {
    this.page.drawLine({
      start: { x: MARGIN, y: this.y },
      end: { x: A4.width - MARGIN, y: this.y },
      thickness: 0.75,
      color: rgb(0, 0, 0),
    });
  }
}

export async function renderLetterPdf(content: LetterContent): Promise<Uint8Array> {
  const date = letterDate(content.date);
  const doc = await PDFDocument.create({ updateMetadata: false });
  const fonts: Fonts = {
    regular: await doc.embedFont(PDF_FONTS.regular),
    bold: await doc.embedFont(PDF_FONTS.bold),
  };
  const { regular, bold } = fonts;
  const body = SIZE.body;
  const bodyLine = body * LEADING;
  const flow = new Flow(doc);

  flow.paragraph(content.force, bold, SIZE.header, 'force');
  flow.gap(4);
  flow.rule();
  flow.gap(14);
  if (content.recipient) {
    // The address block a posted letter needs (GOV.UK Notify reads it from the top of page 1).
    for (const line of [content.recipient.name, ...content.recipient.lines, content.recipient.postcode])
      flow.paragraph(line, regular, body, 'recipient');
    flow.gap(bodyLine);
  }
  flow.paragraph(`Our reference: ${content.reference}`, regular, body, 'reference');
  flow.paragraph(`Date: ${date.printed}`, regular, body, 'date');
  flow.gap(bodyLine);
  flow.paragraph(`${content.salutation},`, regular, body, 'salutation');

  for (const [i, { heading, lines }] of content.paragraphs.entries()) {
    flow.gap(bodyLine * 0.6);
    // A heading never ends a page: it stays with the first line under it.
    flow.keep(SIZE.heading * LEADING + bodyLine);
    flow.paragraph(heading, bold, SIZE.heading, `paragraphs.${i}.heading`);
    for (const line of lines) flow.paragraph(line, regular, body, `paragraphs.${i}`);
  }

  flow.gap(bodyLine);
  flow.keep(bodyLine * 6);
  flow.paragraph('Yours sincerely', regular, body, 'closing');
  flow.gap(bodyLine * 1.5);
  flow.paragraph(content.officer.name, bold, body, 'officer');
  flow.paragraph(content.officer.force, regular, body, 'officer');
  flow.paragraph(`Telephone: ${content.officer.phone}`, regular, body, 'officer');

  const reference = printable(content.reference, regular, 'reference');
  flow.pages.forEach((page, i) => {
    drawText(page, `${reference}    Page ${i + 1} of ${flow.pages.length}`, regular, {
      x: MARGIN,
      y: MARGIN - SIZE.footer - 4,
      size: SIZE.footer,
      color: rgb(0.25, 0.25, 0.25),
    });
  });

  doc.setTitle(`Letter ${content.reference}`);
  doc.setAuthor(content.force);
  doc.setCreator(content.templateVersion);
  doc.setProducer('pdf-lib');
  doc.setLanguage('en-GB');
  doc.setCreationDate(date.at);
  doc.setModificationDate(date.at);
  return doc.save({ useObjectStreams: false });
}
