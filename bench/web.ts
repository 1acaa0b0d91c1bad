import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildWeb, WEB_DIST } from '../web/build.js';

/**
 * `npm run bench:web`: the console's bundle as a browser gets it, freshly
 * built: each JS and CSS file raw and gzipped (level 9, as CloudFront's
 * compression roughly gives), what the first page load needs (the files
 * index.html names), and what loads later. Results in bench/results/web.md.
 */
const COMMAND = 'npm run bench:web';
const started = Date.now();
await buildWeb();
const buildSeconds = (Date.now() - started) / 1000;

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));
const kib = (n: number) => (n / 1024).toFixed(1);
const index = readFileSync(join(WEB_DIST, 'index.html'), 'utf8');
const rows = files(WEB_DIST)
  .filter((f) => /\.(js|css)$/.test(f))
  .map((f) => {
    const bytes = readFileSync(f);
    const path = relative(WEB_DIST, f);
    return {
      path,
      kind: f.endsWith('.js') ? 'JS' : 'CSS',
      bytes: bytes.length,
      gzip: gzipSync(bytes, { level: 9 }).length,
      initial: index.includes(`/${path}`),
    };
  })
  .sort((a, b) => Number(b.initial) - Number(a.initial) || b.bytes - a.bytes);
const fonts = files(join(WEB_DIST, 'assets', 'fonts')).filter((f) => f.endsWith('.woff2'));
const fontBytes = fonts.reduce((n, f) => n + statSync(f).size, 0);
const sum = (pick: (r: (typeof rows)[number]) => boolean, key: 'bytes' | 'gzip') =>
  rows.filter(pick).reduce((n, r) => n + r[key], 0);

const md = [
  '# Console bundle',
  '',
  `Reproduce: \`${COMMAND}\` (vite build of web/, Node ${process.version}, ${new Date().toISOString()}; build ${buildSeconds.toFixed(1)} s).`,
  '',
  '| file | kind | loaded | KiB | gzip KiB |',
  '|---|---|---|---:|---:|',
  ...rows.map(
    (r) => `| ${r.path} | ${r.kind} | ${r.initial ? 'first page' : 'on demand'} | ${kib(r.bytes)} | ${kib(r.gzip)} |`,
  ),
  '',
  '| total | KiB | gzip KiB |',
  '|---|---:|---:|',
  `| first page: JS | ${kib(sum((r) => r.initial && r.kind === 'JS', 'bytes'))} | ${kib(sum((r) => r.initial && r.kind === 'JS', 'gzip'))} |`,
  `| first page: CSS | ${kib(sum((r) => r.initial && r.kind === 'CSS', 'bytes'))} | ${kib(sum((r) => r.initial && r.kind === 'CSS', 'gzip'))} |`,
  `| on demand (statistics: chart.js) | ${kib(sum((r) => !r.initial, 'bytes'))} | ${kib(sum((r) => !r.initial, 'gzip'))} |`,
  `| all JS and CSS | ${kib(sum(() => true, 'bytes'))} | ${kib(sum(() => true, 'gzip'))} |`,
  '',
  `Fonts (GOV.UK Transport, woff2, already compressed): ${fonts.length} files, ${kib(fontBytes)} KiB.`,
  '',
].join('\n');
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/web.md', md);
process.stdout.write(md);
