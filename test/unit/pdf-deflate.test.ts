import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import zlibPako, { deflate, inflate } from '../../functions/adapters/pdfDeflate.js';

// pako itself (pdf-lib's dependency, which ships no types), to check the two read each other.
const pako = createRequire(import.meta.url)('pako') as {
  deflate: (data: Uint8Array) => Uint8Array;
  inflate: (data: Uint8Array) => Uint8Array;
};

describe("pako on Node's zlib (in place of pako for pdf-lib in a bundle)", () => {
  const text = new TextEncoder().encode('BT /F1 12 Tf 72 712 Td (Дмитрий Петров) Tj ET\n'.repeat(40));

  it('deflates to what pako reads, and inflates what pako writes', () => {
    expect(pako.inflate(deflate(text))).toEqual(text);
    expect(inflate(pako.deflate(text))).toEqual(text);
    expect(deflate(text).length).toBeLessThan(text.length);
    expect(deflate(text)).toBeInstanceOf(Uint8Array);
  });

  it('fails loudly on an option or a function pdf-lib is not meant to call', () => {
    expect(() => zlibPako.deflate(text, { level: 9 })).toThrow(/with options is not bundled/);
    expect(() => zlibPako.inflate(text, { to: 'string' })).toThrow(/with options is not bundled/);
    expect(() => zlibPako.gzip()).toThrow(/not bundled/);
    expect(() => inflate(text)).toThrow();
  });
});
