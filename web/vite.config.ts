import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const WEB = fileURLToPath(new URL('.', import.meta.url));
const GOVUK_ASSETS = fileURLToPath(new URL('../node_modules/govuk-frontend/dist/govuk/assets/', import.meta.url));

/** govuk-frontend's stylesheet names its fonts and crest at /assets/fonts and /assets/images: ship them there. */
function govukAssets(): Plugin {
  return {
    name: 'govuk-assets',
    apply: 'build',
    generateBundle() {
      for (const dir of ['fonts', 'images']) {
        for (const name of readdirSync(join(GOVUK_ASSETS, dir))) {
          this.emitFile({
            type: 'asset',
            fileName: `assets/${dir}/${name}`,
            source: readFileSync(join(GOVUK_ASSETS, dir, name)),
          });
        }
      }
    },
  };
}

export default defineConfig({
  root: WEB,
  base: '/',
  publicDir: false,
  // 'warn' would list each /assets/fonts reference of the govuk-frontend stylesheet, which govukAssets() ships.
  logLevel: 'error',
  // govuk-frontend's stylesheet keeps an old-IE `@media screen\0` hack that lightningcss drops only when told to.
  css: { lightningcss: { errorRecovery: true } },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  plugins: [govukAssets()],
  build: {
    outDir: join(WEB, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
    // No inline scripts or styles, so the CSP can say 'self' only.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
