/**
 * A caller asked a bundled stand-in for a package (pako: adapters/pdfDeflate.ts; semver:
 * adapters/semverSatisfies.ts; Powertools' JMESPath: adapters/jmespathFields.ts) for something it does not do.
 * Not in failures.ts, which every handler imports: jsonwebtoken, CommonJS, requires semver's stand-in, and esbuild
 * wraps what such a module imports in an initialiser, in a file of its own with esbuild's helpers; and a module the
 * handler shares with what it loads on use is one more file its cold start reads (issue 18).
 */
export class NotBundled extends Error {
  override readonly name = 'NotBundled';
}
