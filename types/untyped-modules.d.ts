// Packages that ship no types (docs/deployment.md lists the toolchain): declared here, used narrowly.
declare module 'dynalite';
declare module 's3rver';
declare module 'asl-validator';

/** fontkit 2 ships no types: the little of it the letter font uses (functions/adapters/letterFont.ts). */
declare module 'fontkit' {
  export interface Glyph {
    id: number;
    codePoints: number[];
  }
  export interface Subset {
    includeGlyph(glyph: number | Glyph): number;
    encode(): Uint8Array;
  }
  export interface Font {
    characterSet: number[];
    layout(text: string, features?: unknown): { glyphs: Glyph[] };
    createSubset(): Subset;
  }
  export function create(buffer: Uint8Array, postscriptName?: string): Font;
}
