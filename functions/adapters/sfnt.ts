import { FontUnreadable } from './failures.js';

/**
 * A TrueType font read from its bytes: the tables a PDF needs to embed it
 * (metrics, character map, glyph outlines) and a subset of its glyphs as a
 * font file of its own. Only what the letter's font uses is read: TrueType
 * outlines (not CFF), character maps of format 4 and 12. Anything else
 * fails loudly (FontUnreadable) rather than drawing wrong.
 */

interface TableRecord {
  offset: number;
  length: number;
}

export class Sfnt {
  readonly data: Buffer;
  private readonly tables = new Map<string, TableRecord>();

  constructor(bytes: Uint8Array) {
    this.data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const version = this.data.readUInt32BE(0);
    if (version !== 0x00010000 && version !== 0x74727565)
      throw new FontUnreadable('not a TrueType font with TrueType outlines');
    const numTables = this.data.readUInt16BE(4);
    for (let i = 0; i < numTables; i++) {
      const at = 12 + i * 16;
      this.tables.set(this.data.toString('latin1', at, at + 4), {
        offset: this.data.readUInt32BE(at + 8),
        length: this.data.readUInt32BE(at + 12),
      });
    }
  }

  has(tag: string): boolean {
    return this.tables.has(tag);
  }

  /** A table's bytes (a view into the font). */
  table(tag: string): Buffer {
    const t = this.tables.get(tag);
    if (!t) throw new FontUnreadable(`the font has no ${tag.trim()} table`);
    return this.data.subarray(t.offset, t.offset + t.length);
  }

  get unitsPerEm(): number {
    return this.table('head').readUInt16BE(18);
  }

  get bbox(): { minX: number; minY: number; maxX: number; maxY: number } {
    const head = this.table('head');
    return {
      minX: head.readInt16BE(36),
      minY: head.readInt16BE(38),
      maxX: head.readInt16BE(40),
      maxY: head.readInt16BE(42),
    };
  }

  get italic(): boolean {
    return (this.table('head').readUInt16BE(44) & 2) !== 0;
  }

  get ascent(): number {
    return this.table('hhea').readInt16BE(4);
  }

  get descent(): number {
    return this.table('hhea').readInt16BE(6);
  }

  get numGlyphs(): number {
    return this.table('maxp').readUInt16BE(4);
  }

  /** OS/2 version 2 and later carry the cap and x heights; earlier ones do not (undefined). */
  get os2(): { sFamilyClass: number; capHeight?: number; xHeight?: number } | undefined {
    if (!this.has('OS/2')) return undefined;
    const os2 = this.table('OS/2');
    const v2 = os2.readUInt16BE(0) >= 2;
    return {
      sFamilyClass: os2.readInt16BE(30),
      capHeight: v2 ? os2.readInt16BE(88) : undefined,
      xHeight: v2 ? os2.readInt16BE(86) : undefined,
    };
  }

  get post(): { italicAngle: number; isFixedPitch: number } {
    const post = this.table('post');
    return { italicAngle: post.readInt32BE(4) / 65536, isFixedPitch: post.readUInt32BE(12) };
  }

  /** The PostScript name (name ID 6), from a Windows (UTF-16) or Macintosh (Roman) record. */
  get postscriptName(): string | undefined {
    const name = this.table('name');
    const count = name.readUInt16BE(2);
    const strings = name.readUInt16BE(4);
    for (let i = 0; i < count; i++) {
      const at = 6 + i * 12;
      if (name.readUInt16BE(at + 6) !== 6) continue;
      const platform = name.readUInt16BE(at);
      const start = strings + name.readUInt16BE(at + 10);
      const bytes = name.subarray(start, start + name.readUInt16BE(at + 8));
      if (platform === 3) return Buffer.from(bytes).swap16().toString('utf16le');
      if (platform === 1) return bytes.toString('latin1');
    }
    return undefined;
  }

  private metricsCount = -1;
  /** A glyph's advance width and left side bearing (hmtx). */
  metrics(gid: number): { advance: number; bearing: number } {
    if (this.metricsCount < 0) this.metricsCount = this.table('hhea').readUInt16BE(34);
    const hmtx = this.table('hmtx');
    const n = this.metricsCount;
    if (gid < n) return { advance: hmtx.readUInt16BE(gid * 4), bearing: hmtx.readInt16BE(gid * 4 + 2) };
    return { advance: hmtx.readUInt16BE((n - 1) * 4), bearing: hmtx.readInt16BE(n * 4 + (gid - n) * 2) };
  }

  private cmap?: Map<number, number>;
  /** The character map, code point to glyph, from its Unicode subtable (format 4 or 12). */
  characterMap(): Map<number, number> {
    if (!this.cmap) this.cmap = readCharacterMap(this.table('cmap'));
    return this.cmap;
  }

  /** A glyph's outline bytes in glyf (empty for a glyph with none). */
  glyphBytes(gid: number): Buffer {
    const long = this.table('head').readInt16BE(50) === 1;
    const loca = this.table('loca');
    const [start, end] = long
      ? [loca.readUInt32BE(gid * 4), loca.readUInt32BE(gid * 4 + 4)]
      : [loca.readUInt16BE(gid * 2) * 2, loca.readUInt16BE(gid * 2 + 2) * 2];
    return this.table('glyf').subarray(start, end);
  }
}

// The Unicode subtables, most preferred first (platform, encoding), as font engines choose them.
const CMAP_PREFERENCE: readonly [number, number][] = [
  [3, 10],
  [0, 6],
  [0, 4],
  [3, 1],
  [0, 3],
  [0, 2],
  [0, 1],
  [0, 0],
];

function readCharacterMap(cmap: Buffer): Map<number, number> {
  const records = new Map<string, number>();
  for (let i = 0; i < cmap.readUInt16BE(2); i++) {
    const at = 4 + i * 8;
    records.set(`${cmap.readUInt16BE(at)},${cmap.readUInt16BE(at + 2)}`, cmap.readUInt32BE(at + 4));
  }
  const offset = CMAP_PREFERENCE.map(([p, e]) => records.get(`${p},${e}`)).find((o) => o !== undefined);
  if (offset === undefined) throw new FontUnreadable('the font has no Unicode character map');
  const table = cmap.subarray(offset);
  const map = new Map<number, number>();
  const format = table.readUInt16BE(0);
  if (format === 12) {
    const groups = table.readUInt32BE(12);
    for (let i = 0; i < groups; i++) {
      const at = 16 + i * 12;
      const [first, last, glyph] = [table.readUInt32BE(at), table.readUInt32BE(at + 4), table.readUInt32BE(at + 8)];
      for (let c = first; c <= last; c++) map.set(c, glyph + c - first);
    }
  } else if (format === 4) {
    const segments = table.readUInt16BE(6) / 2;
    const ends = 14;
    const starts = ends + segments * 2 + 2;
    const deltas = starts + segments * 2;
    const rangeOffsets = deltas + segments * 2;
    for (let s = 0; s < segments; s++) {
      const [end, start] = [table.readUInt16BE(ends + s * 2), table.readUInt16BE(starts + s * 2)];
      const delta = table.readInt16BE(deltas + s * 2);
      const rangeOffset = table.readUInt16BE(rangeOffsets + s * 2);
      for (let c = start; c <= end && c !== 0xffff; c++) {
        let glyph: number;
        if (rangeOffset === 0) glyph = (c + delta) & 0xffff;
        else {
          const raw = table.readUInt16BE(rangeOffsets + s * 2 + rangeOffset + (c - start) * 2);
          glyph = raw === 0 ? 0 : (raw + delta) & 0xffff;
        }
        if (glyph !== 0) map.set(c, glyph);
      }
    }
  } else throw new FontUnreadable(`the font's character map is format ${format}, which is not read`);
  return map;
}

// Composite glyph flags (glyf): what follows each component's glyph index.
const ARG_1_AND_2_ARE_WORDS = 0x0001;
const WE_HAVE_A_SCALE = 0x0008;
const MORE_COMPONENTS = 0x0020;
const WE_HAVE_AN_X_AND_Y_SCALE = 0x0040;
const WE_HAVE_A_TWO_BY_TWO = 0x0080;

/** Where each component's glyph index sits in a composite glyph's bytes (none for a simple glyph). */
function componentOffsets(glyph: Buffer): number[] {
  if (glyph.length === 0 || glyph.readInt16BE(0) >= 0) return [];
  const offsets: number[] = [];
  let at = 10;
  let flags: number;
  do {
    flags = glyph.readUInt16BE(at);
    offsets.push(at + 2);
    at += 4 + (flags & ARG_1_AND_2_ARE_WORDS ? 4 : 2);
    if (flags & WE_HAVE_A_SCALE) at += 2;
    else if (flags & WE_HAVE_AN_X_AND_Y_SCALE) at += 4;
    else if (flags & WE_HAVE_A_TWO_BY_TWO) at += 8;
  } while (flags & MORE_COMPONENTS);
  return offsets;
}

/**
 * A subset of a font's glyphs, numbered in the order they are first
 * included (glyph 0, .notdef, first): each glyph's new number is what a PDF
 * with an identity CID map draws it by. The components of a composite glyph
 * are included when the subset is written, after the glyphs drawn.
 */
export class SfntSubset {
  private readonly order: number[] = [];
  private readonly numbers = new Map<number, number>();

  constructor(private readonly font: Sfnt) {
    this.include(0);
  }

  /** The glyph's number in the subset, including it if it is new. */
  include(gid: number): number {
    let n = this.numbers.get(gid);
    if (n === undefined) {
      n = this.order.length;
      this.order.push(gid);
      this.numbers.set(gid, n);
    }
    return n;
  }

  /** The subset as a TrueType font: the tables a PDF viewer draws with (head, hhea, maxp, hmtx, loca, glyf and the hinting programs). */
  encode(): Uint8Array {
    const glyphs: Buffer[] = [];
    const metrics: { advance: number; bearing: number }[] = [];
    for (let i = 0; i < this.order.length; i++) {
      const gid = this.order[i]!;
      let bytes = this.font.glyphBytes(gid);
      const components = componentOffsets(bytes);
      if (components.length) {
        bytes = Buffer.from(bytes);
        for (const at of components) bytes.writeUInt16BE(this.include(bytes.readUInt16BE(at)), at);
      }
      glyphs.push(bytes);
      metrics.push(this.font.metrics(gid));
    }
    const glyf = Buffer.concat(glyphs.map((g) => (g.length % 2 ? Buffer.concat([g, Buffer.alloc(1)]) : g)));
    const loca = Buffer.alloc((glyphs.length + 1) * 4);
    let offset = 0;
    glyphs.forEach((g, i) => {
      loca.writeUInt32BE(offset, i * 4);
      offset += g.length + (g.length % 2);
    });
    loca.writeUInt32BE(offset, glyphs.length * 4);
    const hmtx = Buffer.alloc(metrics.length * 4);
    metrics.forEach((m, i) => {
      hmtx.writeUInt16BE(m.advance, i * 4);
      hmtx.writeInt16BE(m.bearing, i * 4 + 2);
    });
    const head = Buffer.from(this.font.table('head'));
    head.writeUInt32BE(0, 8); // checkSumAdjustment, set below
    head.writeInt16BE(1, 50); // long loca offsets
    const hhea = Buffer.from(this.font.table('hhea'));
    hhea.writeUInt16BE(metrics.length, 34);
    const maxp = Buffer.from(this.font.table('maxp'));
    maxp.writeUInt16BE(glyphs.length, 4);
    const tables: [string, Buffer][] = [
      ['head', head],
      ['hhea', hhea],
      ['maxp', maxp],
      ['hmtx', hmtx],
      ['loca', loca],
      ['glyf', glyf],
    ];
    for (const tag of ['cvt ', 'fpgm', 'prep']) if (this.font.has(tag)) tables.push([tag, this.font.table(tag)]);
    const { font, offsets } = writeSfnt(tables);
    // head's adjustment makes the whole font's checksum 0xB1B0AFBA (the TrueType rule).
    font.writeUInt32BE((0xb1b0afba - checksum(font)) >>> 0, offsets.get('head')! + 8);
    return font;
  }
}

function checksum(data: Buffer): number {
  let sum = 0;
  const padded = data.length % 4 ? Buffer.concat([data, Buffer.alloc(4 - (data.length % 4))]) : data;
  for (let i = 0; i < padded.length; i += 4) sum = (sum + padded.readUInt32BE(i)) >>> 0;
  return sum;
}

function writeSfnt(tables: [string, Buffer][]): { font: Buffer; offsets: Map<string, number> } {
  const sorted = [...tables].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const n = sorted.length;
  const entrySelector = Math.floor(Math.log2(n));
  const header = Buffer.alloc(12 + 16 * n);
  header.writeUInt32BE(0x00010000, 0);
  header.writeUInt16BE(n, 4);
  header.writeUInt16BE(2 ** entrySelector * 16, 6);
  header.writeUInt16BE(entrySelector, 8);
  header.writeUInt16BE(n * 16 - 2 ** entrySelector * 16, 10);
  const bodies: Buffer[] = [];
  const offsets = new Map<string, number>();
  let offset = header.length;
  sorted.forEach(([tag, data], i) => {
    const at = 12 + i * 16;
    header.write(tag, at, 'latin1');
    header.writeUInt32BE(checksum(data), at + 4);
    header.writeUInt32BE(offset, at + 8);
    offsets.set(tag, offset);
    header.writeUInt32BE(data.length, at + 12);
    const padded = data.length % 4 ? Buffer.concat([data, Buffer.alloc(4 - (data.length % 4))]) : data;
    bodies.push(padded);
    offset += padded.length;
  });
  return { font: Buffer.concat([header, ...bodies]), offsets };
}
