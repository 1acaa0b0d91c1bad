import { deflateSync, inflateSync } from 'node:zlib';
import { NotBundled } from './notBundled.js';

/**
 * pako, as pdf-lib uses it, on Node's own zlib: the bundler puts this module
 * in place of `pako` for pdf-lib's modules and its standard fonts' only
 * (infra/constructs/bundling.ts). They call nothing but `pako.deflate(bytes)`
 * to compress a PDF's streams and `pako.inflate(bytes)` to read a standard
 * font's compressed metrics, both without options. pako is a port of zlib
 * to JavaScript (46 kB in each bundle that draws a PDF); zlib writes and
 * reads the same format. Anything else pako offers, or an option, fails
 * loudly here rather than doing something else.
 */
const asBytes = (out: Buffer): Uint8Array => new Uint8Array(out.buffer, out.byteOffset, out.byteLength);

function noOptions(name: string, options: unknown): void {
  if (options !== undefined)
    throw new NotBundled(`pako.${name} with options is not bundled (functions/adapters/pdfDeflate.ts)`);
}

export function deflate(data: Uint8Array, options?: unknown): Uint8Array {
  noOptions('deflate', options);
  return asBytes(deflateSync(data));
}

export function inflate(data: Uint8Array, options?: unknown): Uint8Array {
  noOptions('inflate', options);
  return asBytes(inflateSync(data));
}

const notBundled = (name: string) => () => {
  throw new NotBundled(
    `pako.${name} is not bundled (functions/adapters/pdfDeflate.ts): pdf-lib calls deflate and inflate only`,
  );
};

export default {
  deflate,
  inflate,
  deflateRaw: notBundled('deflateRaw'),
  inflateRaw: notBundled('inflateRaw'),
  gzip: notBundled('gzip'),
  ungzip: notBundled('ungzip'),
};
