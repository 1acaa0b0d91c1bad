import { allHandlers, bundleHandlers } from './bundling.js';

/**
 * `node --import tsx infra/constructs/bundle-cli.ts <outdir>`: every handler
 * bundled in one esbuild call, as `<outdir>/<kind>/<name>/index.mjs` with its
 * source map. The CDK runs it once per synth (construct code is synchronous;
 * esbuild's plugins need its asynchronous API) and copies each function's
 * folder into its asset.
 */
const [outdir] = process.argv.slice(2);
if (!outdir) throw new Error('usage: bundle-cli.ts <outdir>');
await bundleHandlers(
  Object.fromEntries(Object.entries(allHandlers()).map(([name, entry]) => [`${name}/index`, entry])),
  outdir,
);
