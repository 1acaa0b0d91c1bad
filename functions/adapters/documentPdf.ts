import { PDFDocument, rgb, type PDFFont } from 'pdf-lib';
import { printable, wrapText } from './pdfLines.js';
import { PDF_FONTS } from './pdfFonts.js';

/** A plain A4 document of headed blocks: request documents and audit exports share it. */
export interface PlainDocument {
  title: string;
  subtitle?: string;
  blocks: { heading?: string; lines: string[]; mono?: boolean }[];
  /** Fixed, so the same content gives the same bytes. */
  date: string;
}

export async function renderDocumentPdf(d: PlainDocument): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const regular = await doc.embedFont(PDF_FONTS.regular);
  const bold = await doc.embedFont(PDF_FONTS.bold);
  const mono = await doc.embedFont(PDF_FONTS.mono);
  const [width, height, margin] = [595.28, 841.89, 48];
  let page = doc.addPage([width, height]);
  let y = height - margin;
  const write = (text: string, font: PDFFont, size: number, field: string) => {
    for (const line of wrapText(
      printable(text, font, field),
      (s) => font.widthOfTextAtSize(s, size),
      width - 2 * margin,
    )) {
      if (y - size * 1.4 < margin) {
        page = doc.addPage([width, height]);
        y = height - margin;
      }
      page.drawText(line, { x: margin, y: y - size, size, font, color: rgb(0, 0, 0) });
      y -= size * 1.4;
    }
  };
  write(d.title, bold, 14, 'title');
  if (d.subtitle) write(d.subtitle, regular, 9, 'subtitle');
  y -= 6;
  for (const [i, b] of d.blocks.entries()) {
    if (b.heading) write(b.heading, bold, 10, `blocks.${i}.heading`);
    for (const line of b.lines) write(line, b.mono ? mono : regular, b.mono ? 7 : 9, `blocks.${i}`);
    y -= 5;
  }
  doc.setTitle(d.title);
  doc.setCreationDate(new Date(d.date));
  doc.setModificationDate(new Date(d.date));
  return doc.save({ useObjectStreams: false });
}
