import { PDFDocument, rgb, StandardFonts } from 'pdf-lib';
import type { AuditEntry, ChainVerdict } from '../domain/audit.js';
import { printable, wrapText } from './letterPdf.js';

/**
 * A case's audit trail as a readable document for court disclosure: every
 * entry in order, with its hash, and the chain's verification on the first page.
 */
export async function renderAuditPdf(caseId: string, entries: readonly AuditEntry[], verdict: ChainVerdict, generatedAt: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const mono = await doc.embedFont(StandardFonts.Courier);
  const [width, height, margin] = [595.28, 841.89, 48];
  let page = doc.addPage([width, height]);
  let y = height - margin;
  const write = (text: string, font = regular, size = 9) => {
    for (const line of wrapText(printable(text, font), font, size, width - 2 * margin)) {
      if (y - size * 1.35 < margin) {
        page = doc.addPage([width, height]);
        y = height - margin;
      }
      page.drawText(line, { x: margin, y: y - size, size, font, color: rgb(0, 0, 0) });
      y -= size * 1.35;
    }
  };
  write(`Audit trail of case ${caseId}`, bold, 14);
  write(`Generated ${generatedAt}. ${verdict.entries} entries. Chain ${verdict.valid ? 'verified: every entry links to the one before' : `BROKEN at entry ${verdict.firstBadSeq}`}.`);
  write(`Head: ${verdict.head}`, mono, 8);
  y -= 8;
  for (const e of entries) {
    write(`${e.seq}. ${e.at}  ${e.action}  by ${e.actor}`, bold, 9);
    const ids = Object.entries(e.ids).map(([k, v]) => `${k}=${v}`).join(', ');
    if (ids) write(ids, regular, 8);
    if (e.dataDigest) write(`data sha256 ${e.dataDigest}`, mono, 7);
    write(`hash ${e.hash}  prev ${e.prevHash}`, mono, 7);
    y -= 3;
  }
  doc.setTitle(`Audit trail ${caseId}`);
  doc.setCreationDate(new Date(generatedAt));
  doc.setModificationDate(new Date(generatedAt));
  return doc.save({ useObjectStreams: false });
}
