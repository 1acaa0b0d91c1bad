import { join } from 'node:path';
import { allHandlers, buildPowertoolsLayer, bundleHandlers, POWERTOOLS_LAYER_DIR } from './bundling.js';

/**
 * `node --import tsx infra/constructs/bundle-cli.ts <outdir>`: every handler
 * bundled (see bundleHandlers), as `<outdir>/<kind>/<name>/index.mjs` with its
 * source map (and, for a handler that draws or sends, the files beside it
 * that it imports when first used), and the Powertools layer's content in `<outdir>/${POWERTOOLS_LAYER_DIR}`. The CDK runs it once per synth (construct code is synchronous;
 * esbuild's plugins need its asynchronous API) and copies each function's
 * folder into its asset.
 */
const [outdir] = process.argv.slice(2);
if (!outdir) throw new Error('usage: bundle-cli.ts <outdir>');
await bundleHandlers(
  Object.fromEntries(Object.entries(allHandlers()).map(([name, entry]) => [`${name}/index`, entry])),
  outdir,
);
await buildPowertoolsLayer(join(outdir, POWERTOOLS_LAYER_DIR, 'nodejs', 'node_modules'));
