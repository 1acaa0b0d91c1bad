import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import type { PDFDocument, PDFFont } from 'pdf-lib';
import { BUNDLED_FONT_DIR, LETTER_FONT_DIR_IN_PACKAGE, LETTER_FONT_FILES, LETTER_FONT_PACKAGE } from './pdfFonts.js';
import { FontUnreadable } from './failures.js';
import { LetterFont } from './letterShaping.js';

export type LetterFace = keyof typeof LETTER_FONT_FILES;

/**
 * The folder holding the letter's font files: `fonts/` beside the bundle
 * when it is there (a deployed handler), else the package in node_modules
 * (the local stack and the tests, which run the source). The package's
 * `exports` map every path to a stylesheet, so its folder is found from its
 * licence, which it exports as itself.
 */
function fontDir(): string {
  const beside = fileURLToPath(new URL(`./${BUNDLED_FONT_DIR}/`, import.meta.url));
  if (existsSync(join(beside, LETTER_FONT_FILES.regular))) return beside;
  const licence = createRequire(import.meta.url).resolve(`${LETTER_FONT_PACKAGE}/LICENSE`);
  return join(dirname(licence), LETTER_FONT_DIR_IN_PACKAGE);
}

/**
 * A WOFF file as the TrueType font it wraps (the WOFF 1.0 format: each
 * table zlib-compressed unless that would not make it smaller), unwrapped
 * once per process: the layout reads tables directly (letterShaping.ts).
 */
export function woffToTrueType(woff: Uint8Array): Uint8Array {
  const input = Buffer.from(woff.buffer, woff.byteOffset, woff.byteLength);
  if (input.toString('latin1', 0, 4) !== 'wOFF') throw new FontUnreadable('not a WOFF file');
  const flavor = input.readUInt32BE(4);
  const numTables = input.readUInt16BE(12);
  const tables = Array.from({ length: numTables }, (_, i) => {
    const at = 44 + i * 20;
    const [offset, compLength, origLength] = [
      input.readUInt32BE(at + 4),
      input.readUInt32BE(at + 8),
      input.readUInt32BE(at + 12),
    ];
    const stored = input.subarray(offset, offset + compLength);
    const data = compLength < origLength ? inflateSync(stored) : stored;
    if (data.length !== origLength) throw new FontUnreadable('a WOFF table does not inflate to its stated length');
    return { tag: input.readUInt32BE(at), checksum: input.readUInt32BE(at + 16), data };
  });
  const pad4 = (n: number) => (n + 3) & ~3;
  const headerLength = 12 + 16 * numTables;
  const out = Buffer.alloc(headerLength + tables.reduce((sum, t) => sum + pad4(t.data.length), 0));
  const searchRange = 2 ** Math.floor(Math.log2(numTables)) * 16;
  out.writeUInt32BE(flavor, 0);
  out.writeUInt16BE(numTables, 4);
  out.writeUInt16BE(searchRange, 6);
  out.writeUInt16BE(Math.floor(Math.log2(numTables)), 8);
  out.writeUInt16BE(numTables * 16 - searchRange, 10);
  let offset = headerLength;
  tables.forEach((t, i) => {
    const at = 12 + i * 16;
    out.writeUInt32BE(t.tag, at);
    out.writeUInt32BE(t.checksum, at + 4);
    out.writeUInt32BE(offset, at + 8);
    out.writeUInt32BE(t.data.length, at + 12);
    t.data.copy(out, offset);
    offset += pad4(t.data.length);
  });
  return out;
}

const fonts = new Map<LetterFace, Uint8Array>();
/** A face as TrueType, read and unwrapped once per process. */
export function letterFontFile(face: LetterFace): Uint8Array {
  let font = fonts.get(face);
  if (!font) {
    font = woffToTrueType(readFileSync(join(fontDir(), LETTER_FONT_FILES[face])));
    fonts.set(face, font);
  }
  return font;
}

/** Each face read once per process (its glyph substitutions are parsed as they are first used) and shared by every letter. */
const readFaces = new Map<LetterFace, LetterFont>();
function letterFont(face: LetterFace): LetterFont {
  let font = readFaces.get(face);
  if (!font) {
    font = new LetterFont(letterFontFile(face));
    readFaces.set(face, font);
  }
  return font;
}

/** Every code point a face maps to a glyph. */
export const letterFontCharacters = (face: LetterFace): number[] => letterFont(face).characterSet;

/**
 * pdf-lib embeds a custom font through a font engine it is given
 * (`registerFontkit`): it is given letterShaping.ts, which lays out the
 * letter font as fontkit did, for the face whose bytes it is handed. A
 * subset is made afresh for each document.
 */
const engine = {
  create(data: Uint8Array): LetterFont {
    for (const [face, font] of readFaces) if (letterFontFile(face) === data) return font;
    throw new FontUnreadable('only the letter font is laid out');
  },
};

/** Embeds a face of the letter's font in `doc`, as a subset of the glyphs the document draws. */
export async function embedLetterFont(doc: PDFDocument, face: LetterFace): Promise<PDFFont> {
  letterFont(face);
  doc.registerFontkit(engine as unknown as Parameters<PDFDocument['registerFontkit']>[0]);
  return doc.embedFont(letterFontFile(face), { subset: true });
}
