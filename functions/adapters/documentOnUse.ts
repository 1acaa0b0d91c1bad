import type { PlainDocument } from './documentPdf.js';

/**
 * A document drawn as documentPdf.ts draws it, its code (pdf-lib) read and
 * run the first time a function draws one rather than when the function
 * loads: a request refused before drawing (no such request, an authorisation
 * expired, a caller not allowed) never runs it. A bundle that keeps what it
 * imports with `import()` in files of their own (infra/constructs/bundling.ts
 * splitByDefault) reads pdf-lib only then.
 */
export const renderDocumentPdf = async (content: PlainDocument): Promise<Uint8Array> =>
  (await import('./documentPdf.js')).renderDocumentPdf(content);
