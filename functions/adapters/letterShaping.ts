import { Readable } from 'node:stream';
import { FontUnreadable } from './failures.js';
import { LETTER_JOINING, LETTER_RTL_SCRIPTS, LETTER_SCRIPTS, LETTER_UNSHAPED_IN_USE } from './letterFontScripts.js';
import { Sfnt, SfntSubset } from './sfnt.js';

/**
 * The letter font laid out as pdf-lib lays out a custom font through
 * fontkit (`registerFontkit`), without fontkit (about 275 kB, and a Unicode
 * table decoded at every cold start): the glyphs a run of text becomes
 * after the font's own substitutions (OpenType GSUB) for the run's script,
 * Arabic and N'Ko letters joined, a right-to-left run reversed, and a
 * subset of the glyphs written as a TrueType font. It does what fontkit
 * 2.0.4 does for the letter font, step for step, with the Unicode data
 * fontkit used (letterFontScripts.ts, written by `npm run fonts:coverage`):
 * test/unit/letter-shaping.test.ts compares the two on every script the
 * letter prints. Two differences, both where fontkit depends on what it laid
 * out before in the same process: a glyph is named (ToUnicode) by the
 * characters it draws in this run, and a presentation form joins as itself.
 * One refusal: a run whose script fontkit gives its Universal Shaping Engine
 * (Tifinagh, the only one the font has) is laid out only when that engine
 * would leave it alone (letters, spaces, punctuation); with a mark or a
 * joiner it fails, as fontkit 2.0.4 itself fails on many such runs. A table
 * format the font does not use fails loudly (FontUnreadable).
 */

export interface ShapedGlyph {
  id: number;
  codePoints: number[];
  advanceWidth: number;
}

// --- OpenType layout tables (GSUB, GDEF) ---

const u16 = (b: Buffer, at: number) => b.readUInt16BE(at);

type Coverage = (gid: number) => number;
function coverage(b: Buffer, at: number): Coverage {
  const format = u16(b, at);
  const count = u16(b, at + 2);
  if (format === 1) {
    const glyphs = Array.from({ length: count }, (_, i) => u16(b, at + 4 + i * 2));
    return (gid) => glyphs.indexOf(gid);
  }
  if (format === 2) {
    const ranges = Array.from({ length: count }, (_, i) => {
      const r = at + 4 + i * 6;
      return [u16(b, r), u16(b, r + 2), u16(b, r + 4)] as const;
    });
    return (gid) => {
      for (const [start, end, index] of ranges) if (start <= gid && gid <= end) return index + gid - start;
      return -1;
    };
  }
  throw new FontUnreadable(`coverage format ${format} is not read`);
}

type ClassDef = (gid: number) => number;
function classDef(b: Buffer, at: number): ClassDef {
  const format = u16(b, at);
  if (format === 1) {
    const start = u16(b, at + 2);
    const values = Array.from({ length: u16(b, at + 4) }, (_, i) => u16(b, at + 6 + i * 2));
    return (gid) => values[gid - start] ?? 0;
  }
  if (format === 2) {
    const ranges = Array.from({ length: u16(b, at + 2) }, (_, i) => {
      const r = at + 4 + i * 6;
      return [u16(b, r), u16(b, r + 2), u16(b, r + 4)] as const;
    });
    return (gid) => {
      for (const [start, end, cls] of ranges) if (start <= gid && gid <= end) return cls;
      return 0;
    };
  }
  throw new FontUnreadable(`class definition format ${format} is not read`);
}

interface LookupFlags {
  ignoreBaseGlyphs: boolean;
  ignoreLigatures: boolean;
  ignoreMarks: boolean;
  markAttachmentType: number;
}

interface ChainRule {
  backtrack: number[];
  input: number[];
  lookahead: number[];
  records: { sequenceIndex: number; lookupIndex: number }[];
}

type Subtable =
  | { type: 1; coverage: Coverage; delta?: number; substitutes?: number[] }
  | { type: 4; coverage: Coverage; sets: { glyph: number; components: number[] }[][] }
  | {
      type: 6;
      coverage: Coverage;
      backtrack: ClassDef;
      input: ClassDef;
      lookahead: ClassDef;
      sets: (ChainRule[] | undefined)[];
    };

interface Lookup {
  flags: LookupFlags;
  subtables: Subtable[];
}

function subtable(b: Buffer, type: number, at: number): Subtable {
  const format = u16(b, at);
  if (type === 7) {
    if (format !== 1) throw new FontUnreadable(`extension format ${format} is not read`);
    return subtable(b, u16(b, at + 2), at + b.readUInt32BE(at + 4));
  }
  const cov = () => coverage(b, at + u16(b, at + 2));
  if (type === 1 && format === 1) return { type: 1, coverage: cov(), delta: b.readInt16BE(at + 4) };
  if (type === 1 && format === 2)
    return {
      type: 1,
      coverage: cov(),
      substitutes: Array.from({ length: u16(b, at + 4) }, (_, i) => u16(b, at + 6 + i * 2)),
    };
  if (type === 4 && format === 1)
    return {
      type: 4,
      coverage: cov(),
      sets: Array.from({ length: u16(b, at + 4) }, (_, i) => {
        const set = at + u16(b, at + 6 + i * 2);
        return Array.from({ length: u16(b, set) }, (_, j) => {
          const lig = set + u16(b, set + 2 + j * 2);
          const count = u16(b, lig + 2);
          return {
            glyph: u16(b, lig),
            components: Array.from({ length: count - 1 }, (_, k) => u16(b, lig + 4 + k * 2)),
          };
        });
      }),
    };
  if (type === 6 && format === 2) {
    const list = (p: number): [number[], number] => {
      const n = u16(b, p);
      return [Array.from({ length: n }, (_, i) => u16(b, p + 2 + i * 2)), p + 2 + n * 2];
    };
    return {
      type: 6,
      coverage: cov(),
      backtrack: classDef(b, at + u16(b, at + 4)),
      input: classDef(b, at + u16(b, at + 6)),
      lookahead: classDef(b, at + u16(b, at + 8)),
      sets: Array.from({ length: u16(b, at + 10) }, (_, i) => {
        const offset = u16(b, at + 12 + i * 2);
        if (offset === 0) return undefined;
        const set = at + offset;
        return Array.from({ length: u16(b, set) }, (_, j) => {
          const rule = set + u16(b, set + 2 + j * 2);
          const [backtrack, p1] = list(rule);
          const inputCount = u16(b, p1);
          const input = Array.from({ length: inputCount - 1 }, (_, k) => u16(b, p1 + 2 + k * 2));
          const [lookahead, p2] = list(p1 + 2 * inputCount);
          const records = Array.from({ length: u16(b, p2) }, (_, k) => ({
            sequenceIndex: u16(b, p2 + 2 + k * 4),
            lookupIndex: u16(b, p2 + 4 + k * 4),
          }));
          return { backtrack, input, lookahead, records };
        });
      }),
    };
  }
  throw new FontUnreadable(`GSUB lookup type ${type} format ${format} is not read`);
}

class Gsub {
  private readonly lookups = new Map<number, Lookup>();
  private readonly scripts = new Map<string, number>();
  private readonly features: { tag: string; lookups: number[] }[];
  private readonly lookupList: number;

  constructor(private readonly b: Buffer) {
    const scriptList = u16(b, 4);
    for (let i = 0; i < u16(b, scriptList); i++) {
      const r = scriptList + 2 + i * 6;
      this.scripts.set(b.toString('latin1', r, r + 4), scriptList + u16(b, r + 4));
    }
    const featureList = u16(b, 6);
    this.features = Array.from({ length: u16(b, featureList) }, (_, i) => {
      const r = featureList + 2 + i * 6;
      const feature = featureList + u16(b, r + 4);
      return {
        tag: b.toString('latin1', r, r + 4),
        lookups: Array.from({ length: u16(b, feature + 2) }, (_, j) => u16(b, feature + 4 + j * 2)),
      };
    });
    this.lookupList = u16(b, 8);
  }

  /** The script table a run's script takes (the default one when the font has none for it), and its default features. */
  select(script: string | undefined): { tag: string; features: Map<string, number[]> } {
    let tag = script !== undefined && this.scripts.has(script) ? script : undefined;
    tag ??= ['DFLT', 'dflt', 'latn'].find((t) => this.scripts.has(t));
    const features = new Map<string, number[]>();
    if (tag === undefined) return { tag: 'DFLT', features };
    const table = this.scripts.get(tag)!;
    const langSys = u16(this.b, table);
    if (langSys !== 0)
      for (let i = 0; i < u16(this.b, table + langSys + 4); i++) {
        const f = this.features[u16(this.b, table + langSys + 6 + i * 2)]!;
        features.set(f.tag, f.lookups);
      }
    return { tag, features };
  }

  lookup(index: number): Lookup {
    let lookup = this.lookups.get(index);
    if (!lookup) {
      const b = this.b;
      const at = this.lookupList + u16(b, this.lookupList + 2 + index * 2);
      const type = u16(b, at);
      const flag = u16(b, at + 2);
      lookup = {
        flags: {
          ignoreBaseGlyphs: (flag & 2) !== 0,
          ignoreLigatures: (flag & 4) !== 0,
          ignoreMarks: (flag & 8) !== 0,
          markAttachmentType: flag >> 8,
        },
        subtables: Array.from({ length: u16(b, at + 4) }, (_, i) => subtable(b, type, at + u16(b, at + 6 + i * 2))),
      };
      if (flag & 0x10) throw new FontUnreadable('GSUB mark filtering sets are not read');
      this.lookups.set(index, lookup);
    }
    return lookup;
  }
}

// --- Shaping ---

interface GlyphInfo {
  id: number;
  codePoints: number[];
  features: Set<string>;
  isBase: boolean;
  isLigature: boolean;
  isMark: boolean;
  markAttachmentType: number;
}

const NO_FLAGS: LookupFlags = {
  ignoreBaseGlyphs: false,
  ignoreLigatures: false,
  ignoreMarks: false,
  markAttachmentType: 0,
};

/** Walks glyphs as a lookup sees them: skipping the ones its flags ignore. */
class GlyphIterator {
  flags: LookupFlags = NO_FLAGS;
  index = 0;
  constructor(readonly glyphs: GlyphInfo[]) {}

  reset(flags: LookupFlags, index = 0): void {
    this.flags = flags;
    this.index = index;
  }

  get cur(): GlyphInfo | undefined {
    return this.glyphs[this.index];
  }

  private ignored(g: GlyphInfo): boolean {
    const f = this.flags;
    return (
      (f.ignoreMarks && g.isMark) ||
      (f.ignoreBaseGlyphs && g.isBase) ||
      (f.ignoreLigatures && g.isLigature) ||
      (f.markAttachmentType !== 0 && g.isMark && g.markAttachmentType !== f.markAttachmentType)
    );
  }

  move(dir: 1 | -1): GlyphInfo | undefined {
    this.index += dir;
    while (this.index >= 0 && this.index < this.glyphs.length && this.ignored(this.glyphs[this.index]!))
      this.index += dir;
    return this.index >= 0 && this.index < this.glyphs.length ? this.glyphs[this.index] : undefined;
  }

  increment(count: number): GlyphInfo | undefined {
    const dir = count < 0 ? -1 : 1;
    for (let n = Math.abs(count); n > 0; n--) this.move(dir);
    return this.glyphs[this.index];
  }
}

class Substitution {
  private glyphs: GlyphInfo[] = [];
  private it = new GlyphIterator([]);

  constructor(
    private readonly gsub: Gsub,
    private readonly classOf: (gid: number) => { glyph: number; markAttachment: number },
  ) {}

  info(id: number, codePoints: number[], features: Set<string>): GlyphInfo {
    const g = { id, codePoints, features, isBase: false, isLigature: false, isMark: false, markAttachmentType: 0 };
    this.setId(g, id);
    return g;
  }

  private setId(g: GlyphInfo, id: number): void {
    const { glyph, markAttachment } = this.classOf(id);
    g.id = id;
    g.isBase = glyph === 1;
    g.isLigature = glyph === 2;
    g.isMark = glyph === 3;
    g.markAttachmentType = markAttachment;
  }

  /** Applies a stage's features: their lookups in the order of the font's lookup list, each over the whole run. */
  apply(glyphs: GlyphInfo[], stage: readonly string[], features: Map<string, number[]>): void {
    this.glyphs = glyphs;
    this.it = new GlyphIterator(glyphs);
    const lookups = stage
      .flatMap((tag) => (features.get(tag) ?? []).map((index) => ({ tag, index })))
      .sort((a, b) => a.index - b.index);
    for (const { tag, index } of lookups) {
      const lookup = this.gsub.lookup(index);
      this.it.reset(lookup.flags);
      while (this.it.index < glyphs.length) {
        if (this.it.cur!.features.has(tag)) {
          for (const table of lookup.subtables) if (this.applySubtable(table)) break;
        }
        this.it.move(1);
      }
    }
  }

  private applySubtable(table: Subtable): boolean {
    const cur = this.it.cur!;
    const index = table.coverage(cur.id);
    if (index === -1) return false;
    if (table.type === 1) {
      this.setId(cur, table.delta !== undefined ? (cur.id + table.delta) & 0xffff : table.substitutes![index]!);
      return true;
    }
    if (table.type === 4) {
      for (const ligature of table.sets[index] ?? []) {
        const matched = this.match(1, ligature.components, (component, g) => component === g.id);
        if (!matched) continue;
        const codePoints = [...cur.codePoints, ...matched.flatMap((i) => this.glyphs[i]!.codePoints)];
        const glyph = this.info(ligature.glyph, codePoints, new Set(cur.features));
        for (let i = matched.length - 1; i >= 0; i--) this.glyphs.splice(matched[i]!, 1);
        this.glyphs[this.it.index] = glyph;
        return true;
      }
      return false;
    }
    const rules = table.sets[table.input(cur.id)];
    if (!rules) return false;
    for (const rule of rules) {
      const byClass = (def: ClassDef) => (cls: number, g: GlyphInfo) => cls === def(g.id);
      // The backtrack is compared from its first glyph at its length before, forward, as fontkit 2.0 does.
      if (
        this.match(-rule.backtrack.length, rule.backtrack, byClass(table.backtrack)) &&
        this.match(1, rule.input, byClass(table.input)) &&
        this.match(1 + rule.input.length, rule.lookahead, byClass(table.lookahead))
      ) {
        this.applyRecords(rule.records);
        return true;
      }
    }
    return false;
  }

  /** The positions of `sequence` matched from `start` glyphs away (skipping ignored ones), or undefined. */
  private match(
    start: number,
    sequence: readonly number[],
    fits: (value: number, g: GlyphInfo) => boolean,
  ): number[] | undefined {
    const at = this.it.index;
    const matched: number[] = [];
    let g = this.it.increment(start);
    while (matched.length < sequence.length && g && fits(sequence[matched.length]!, g)) {
      matched.push(this.it.index);
      g = this.it.move(1);
    }
    this.it.index = at;
    return matched.length < sequence.length ? undefined : matched;
  }

  private applyRecords(records: ChainRule['records']): void {
    const flags = this.it.flags;
    const at = this.it.index;
    for (const record of records) {
      this.it.reset(flags, at);
      this.it.increment(record.sequenceIndex);
      const lookup = this.gsub.lookup(record.lookupIndex);
      this.it.reset(lookup.flags, this.it.index);
      if (this.it.cur) for (const table of lookup.subtables) if (this.applySubtable(table)) break;
    }
    this.it.reset(flags, at);
  }
}

// --- Scripts, joining, the layout pdf-lib asks for ---

function inTable<T>(table: readonly (readonly [number, number, T])[], c: number): T | undefined {
  let lo = 0;
  let hi = table.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [first, last, value] = table[mid]!;
    if (c < first) hi = mid - 1;
    else if (c > last) lo = mid + 1;
    else return value;
  }
  return undefined;
}

/** The run's script: that of its first letter of a script of its own (Common and Inherited characters have none). */
function scriptOf(codePoints: readonly number[]): string | undefined {
  for (const c of codePoints) {
    const script = inTable(LETTER_SCRIPTS, c);
    if (script !== undefined) return script === '' ? undefined : script;
  }
  return 'zzzz';
}

/** Scripts joined as Arabic is. */
const JOINED = new Set(['arab', 'mong', 'syrc', 'nko ', 'phag', 'mand', 'mani', 'phlp']);
/** Scripts laid out by the Universal Shaping Engine: only a run of characters it leaves alone is laid out here. */
const UNIVERSAL = new Set(['tfng']);

const JOINING_FORMS = ['isol', 'fina', 'fin2', 'fin3', 'medi', 'med2', 'init'];
const DEFAULT_FEATURES = ['ccmp', 'locl', 'rlig', 'mark', 'mkmk', 'calt', 'clig', 'liga', 'rclt', 'curs', 'kern'];

/** Each glyph's joining form in a joined script: a letter that joins the one before takes fina (or medi), one that starts a join takes init. */
function joiningForms(glyphs: readonly GlyphInfo[]): void {
  let prev = -1;
  let prevJoinsNext = false;
  for (let i = 0; i < glyphs.length; i++) {
    const cls = inTable(LETTER_JOINING, glyphs[i]!.codePoints[0]!) ?? 'U';
    if (cls === 'T') continue;
    const g = glyphs[i]!;
    if (cls === 'U') {
      prevJoinsNext = false;
      prev = i;
      continue;
    }
    const joinsPrev = (cls === 'R' || cls === 'D') && prevJoinsNext;
    if (joinsPrev) {
      const p = glyphs[prev]!;
      if (p.features.delete('isol')) p.features.add('init');
      else if (p.features.delete('fina')) p.features.add('medi');
    }
    g.features.add(joinsPrev ? 'fina' : 'isol');
    prevJoinsNext = cls === 'D' || cls === 'L';
    prev = i;
  }
}

const isDefaultIgnorable = (c: number) =>
  c === 0x00ad ||
  c === 0x034f ||
  c === 0x061c ||
  (c >= 0x17b4 && c <= 0x17b5) ||
  (c >= 0x180b && c <= 0x180e) ||
  (c >= 0x200b && c <= 0x200f) ||
  (c >= 0x202a && c <= 0x202e) ||
  (c >= 0x2060 && c <= 0x206f) ||
  (c >= 0xfe00 && c <= 0xfe0f) ||
  c === 0xfeff ||
  (c >= 0xfff0 && c <= 0xfff8) ||
  (c >= 0x1bca0 && c <= 0x1bca3) ||
  (c >= 0x1d173 && c <= 0x1d17a) ||
  (c >= 0xe0000 && c <= 0xe0fff);

const isVariationSelector = (c: number) => (c >= 0xfe00 && c <= 0xfe0f) || (c >= 0xe0100 && c <= 0xe01ef);

/**
 * The letter font as pdf-lib reads a font from fontkit: its metrics, its
 * characters, a run of text laid out as glyphs, and a subset to embed.
 */
export class LetterFont {
  readonly sfnt: Sfnt;
  readonly unitsPerEm: number;
  readonly postscriptName: string | undefined;
  readonly ascent: number;
  readonly descent: number;
  readonly italicAngle: number;
  readonly capHeight: number | undefined;
  readonly xHeight: number | undefined;
  readonly bbox: { minX: number; minY: number; maxX: number; maxY: number };
  readonly post: { isFixedPitch: number };
  readonly 'OS/2': { sFamilyClass: number } | undefined;
  readonly head: { macStyle: { italic: boolean } };
  readonly cff = undefined;
  private readonly gsub: Gsub | undefined;
  private readonly substitution: Substitution | undefined;

  constructor(bytes: Uint8Array) {
    const s = new Sfnt(bytes);
    this.sfnt = s;
    this.unitsPerEm = s.unitsPerEm;
    this.postscriptName = s.postscriptName;
    this.ascent = s.ascent;
    this.descent = s.descent;
    this.italicAngle = s.post.italicAngle;
    const os2 = s.os2;
    this.capHeight = os2 ? os2.capHeight : s.ascent;
    this.xHeight = os2 ? os2.xHeight : 0;
    this.bbox = s.bbox;
    this.post = { isFixedPitch: s.post.isFixedPitch };
    this['OS/2'] = os2 && { sFamilyClass: os2.sFamilyClass };
    this.head = { macStyle: { italic: s.italic } };
    if (s.has('GSUB')) {
      this.gsub = new Gsub(s.table('GSUB'));
      const gdef = s.has('GDEF') ? s.table('GDEF') : undefined;
      const glyphClass = gdef && u16(gdef, 4) ? classDef(gdef, u16(gdef, 4)) : undefined;
      const markClass = gdef && u16(gdef, 10) ? classDef(gdef, u16(gdef, 10)) : undefined;
      if (!glyphClass) throw new FontUnreadable('the font has no glyph classes (GDEF)');
      this.substitution = new Substitution(this.gsub, (gid) => ({
        glyph: glyphClass(gid),
        markAttachment: markClass ? markClass(gid) : 0,
      }));
    }
  }

  /** Every code point the font maps to a glyph, in order. */
  get characterSet(): number[] {
    return [...this.sfnt.characterMap().keys()].sort((a, b) => a - b);
  }

  private glyph(id: number, codePoints: number[]): ShapedGlyph {
    return { id, codePoints, advanceWidth: this.sfnt.metrics(id).advance };
  }

  glyphForCodePoint(c: number): ShapedGlyph {
    return this.glyph(this.sfnt.characterMap().get(c) ?? 0, [c]);
  }

  /** `text` as the glyphs pdf-lib draws, in the order drawn (a right-to-left run reversed). */
  layout(text: string): { glyphs: ShapedGlyph[] } {
    const cmap = this.sfnt.characterMap();
    const codePoints = [...text].map((ch) => ch.codePointAt(0)!);
    const script = scriptOf(codePoints);
    const rightToLeft = LETTER_RTL_SCRIPTS.has(script ?? '');
    const sub = this.substitution;
    let infos: GlyphInfo[] = [];
    // A variation selector goes with the character before it (the glyph is the character's: the font maps no
    // sequences); one with no character before it, or after another, draws nothing.
    const glyphFor = (sequence: number[]) => {
      const id = cmap.get(sequence[0]!) ?? 0;
      infos.push(sub ? sub.info(id, sequence, new Set()) : ({ id, codePoints: sequence } as GlyphInfo));
    };
    let pending: number | undefined;
    for (const c of codePoints) {
      if (isVariationSelector(c)) {
        if (pending !== undefined) glyphFor([pending, c]);
        pending = undefined;
        continue;
      }
      if (pending !== undefined) glyphFor([pending]);
      pending = c;
    }
    if (pending !== undefined) glyphFor([pending]);
    if (sub && this.gsub && infos.length) {
      const { tag, features } = this.gsub.select(script);
      if (UNIVERSAL.has(tag) && codePoints.some((c) => inTable(LETTER_UNSHAPED_IN_USE, c)))
        throw new FontUnreadable(`a ${tag} run with marks or joiners is not laid out`);
      const direction = rightToLeft ? ['rtla', 'rtlm'] : ['ltra', 'ltrm'];
      const joined = JOINED.has(tag);
      const stages: string[][] = joined
        ? [['rvrn', ...direction, 'ccmp', 'locl'], ...JOINING_FORMS.map((f) => [f]), ['mset', ...DEFAULT_FEATURES]]
        : [['rvrn', ...direction, ...DEFAULT_FEATURES]];
      const global = stages.flat().filter((f) => !JOINING_FORMS.includes(f));
      for (const g of infos) for (const f of global) g.features.add(f);
      if (joined) joiningForms(infos);
      for (const stage of stages) sub.apply(infos, stage, features);
    }
    if (rightToLeft) infos = infos.reverse();
    const space = this.glyphForCodePoint(0x20);
    return {
      glyphs: infos.map((g) => (isDefaultIgnorable(g.codePoints[0]!) ? space : this.glyph(g.id, g.codePoints))),
    };
  }

  createSubset(): { cff: undefined; includeGlyph(glyph: { id: number } | number): number; encodeStream(): Readable } {
    const subset = new SfntSubset(this.sfnt);
    return {
      cff: undefined,
      includeGlyph: (glyph) => subset.include(typeof glyph === 'number' ? glyph : glyph.id),
      encodeStream: () => Readable.from([subset.encode()]),
    };
  }
}
