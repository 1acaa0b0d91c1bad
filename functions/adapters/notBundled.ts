/**
 * A caller asked a bundled stand-in for a package (pako: adapters/pdfDeflate.ts; semver: adapters/semverSatisfies.ts)
 * for something it does not do. Not in failures.ts: the packages that take these stand-ins are CommonJS, and esbuild
 * wraps a module such a package requires, and what that module imports, in an initialiser run on first require;
 * failures.ts, imported by every handler, came with it into a file of its own (and its helpers into another) that
 * the functions sending through Notify read at every cold start (issue 18).
 */
export class NotBundled extends Error {
  override readonly name = 'NotBundled';
}
