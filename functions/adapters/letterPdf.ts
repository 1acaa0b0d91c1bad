import { PDFDocument, rgb, type Color, type PDFFont, type PDFPage } from 'pdf-lib';
import type { LetterContent } from '../domain/messages.js';
import { directionRuns, printForm, unprintableCharacters } from '../domain/printing.js';
import { documentDate } from '../domain/englandDates.js';
import { embedLetterFont } from './letterFont.js';
import { LetterTextNotPrintable, wrapText } from './pdfLines.js';

/**
 * The disclosure letter as a PDF (docs/process.md step 9), drawn with a font that
 * prints names in Latin, Greek, Cyrillic and Arabic script (pdfFonts.ts),
 * embedded as a subset of the glyphs the letter uses. The same content always
 * gives the same bytes: the letter's digest goes into the audit trail, and a
 * re-render must prove it is the letter that was sent.
 */

const A4 = { width: 595.28, height: 841.89 } as const;
const MARGIN = 56;
const TEXT_WIDTH = A4.width - 2 * MARGIN;
/** Room kept above the bottom margin for the page footer. */
const FOOTER_ROOM = 14;
const SIZE = { header: 15, heading: 11.5, body: 11, footer: 8 } as const;
const LEADING = 1.4;

/** `text` as the letter's font prints it, or LetterTextNotPrintable counting what it cannot in `field`. */
function letterText(text: string, field: string): string {
  const bad = unprintableCharacters(text);
  if (bad) throw new LetterTextNotPrintable(bad, field);
  return printForm(text);
}

/** The width of a line as the letter draws it: each run of one direction shaped on its own. */
const lineWidth = (text: string, font: PDFFont, size: number) =>
  directionRuns(text).reduce((sum, run) => sum + font.widthOfTextAtSize(run.text, size), 0);

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

  /** A line left to right; a right-to-left run in it (an Arabic name) is laid out from its right by the font's shaping. */
  line(text: string, font: PDFFont, size: number): void {
    const height = size * LEADING;
    this.keep(height);
    let x = MARGIN;
    for (const run of directionRuns(text)) {
      drawText(this.page, run.text, font, { x, y: this.y - size, size, color: rgb(0, 0, 0) });
      x += font.widthOfTextAtSize(run.text, size);
    }
    this.y -= height;
  }

  paragraph(text: string, font: PDFFont, size: number, field: string): void {
    for (const line of wrapText(letterText(text, field), (s) => lineWidth(s, font, size), TEXT_WIDTH))
      this.line(line, font, size);
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
  const date = documentDate(content.date);
  const createdAt = new Date(`${date.date}T00:00:00Z`);
  const doc = await PDFDocument.create({ updateMetadata: false });
  const fonts: Fonts = {
    regular: await embedLetterFont(doc, 'regular'),
    bold: await embedLetterFont(doc, 'bold'),
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

  const reference = letterText(content.reference, 'reference');
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
  doc.setCreationDate(createdAt);
  doc.setModificationDate(createdAt);
  return doc.save({ useObjectStreams: false });
}
