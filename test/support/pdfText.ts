import { inflateSync } from 'node:zlib';

/**
 * The text a pdf-lib document draws, line by line: its content streams
 * inflated, and each string shown (`<hex> Tj`) decoded from WinAnsi. Enough
 * to read what a letter or a request document says; not a general PDF reader.
 */
export function pdfText(pdf: Uint8Array): string {
  const raw = Buffer.from(pdf).toString('latin1');
  const lines: string[] = [];
  for (const m of raw.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    let content: string;
    try {
      content = inflateSync(Buffer.from(m[1]!, 'latin1')).toString('latin1');
    } catch {
      content = m[1]!;
    }
    for (const t of content.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g))
      lines.push(Buffer.from(t[1]!, 'hex').toString('latin1'));
  }
  return lines.join('\n');
}
