import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  allHandlers,
  BUNDLE_LIMIT_BYTES,
  bundleHandlers,
  bundleLimit,
  HEAVY_BUNDLE_LIMIT_BYTES,
  buildPowertoolsLayer,
  POWERTOOLS_MODULE,
  weightByPackage,
} from '../infra/constructs/bundling.js';
import { ApiClient } from '../local/client.js';
import { runDemoCase, WORKFLOW_INVOCATIONS_LIMIT } from '../local/scenario.js';
import { startStack } from '../local/stack.js';

/**
 * `npm run bench`: every handler's bundle as the CDK builds it (the options
 * of infra/constructs/bundling.ts), its size against its limit and its
 * import time in a fresh Node process against a bare handler's (one that
 * bundles only the DynamoDB client and document client, built the same way),
 * and what one demo case costs the workflow, all in one run. Results go to
 * bench/results/latest.{json,md}.
 */
const COMMAND = 'npm run bench';
const BARE = 'bare/dynamodb';
/** The Tracer (Powertools' tracer and the X-Ray SDK) bundled alone, as the layer bundles it: what it adds to every import. */
const TRACER_ALONE = 'probe/tracer';
/** The layer's module alone (the logger and metrics): what every handler's import starts with. */
const LAYER_ALONE = 'probe/layer';
/** The same with the Tracer switched on (POWERTOOLS_TRACE_ENABLED=true, the CDK's `powertoolsTracer` context). */
const LAYER_TRACED = 'probe/layer-traced';
/** A handler may take this many times the bare handler's import time. */
const IMPORT_RATIO_LIMIT = 1.5;
/**
 * Fresh processes per bundle, each paired with a bare handler's process run beside it (just before it in odd rounds,
 * just after in even ones), so that a burst of load on the machine falls on both of a pair. A handler's ratio is
 * the median of its pairs' ratios; its time, and the bare handler's, the median of their samples. Rounds interleave
 * the bundles.
 */
const ROUNDS = Number(process.env.BENCH_IMPORT_ROUNDS ?? 11);
const kb = (n: number) => (n / 1000).toFixed(1);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

// A fresh clone has neither folder: make them rather than ask anyone to.
mkdirSync('.tmp', { recursive: true });
mkdirSync('bench/results', { recursive: true });
// Outside the project, so that a bundle resolves no package from its node_modules: only the Powertools layer's
// module, built into <bundleDir>/node_modules as Lambda serves it from /opt/nodejs/node_modules.
const bundleDir = mkdtempSync(join(tmpdir(), 'right-to-know-bench-'));
const layer = await buildPowertoolsLayer(join(bundleDir, 'node_modules'));
const tracerEntry = join(process.cwd(), '.tmp', 'bench-tracer-alone.ts');
writeFileSync(tracerEntry, "import '@aws-lambda-powertools/tracer';\n");
const { bundles: built } = await bundleHandlers(
  { ...allHandlers(), [BARE]: join(process.cwd(), 'bench', 'bare.ts'), [TRACER_ALONE]: tracerEntry },
  join(bundleDir, 'bundles'),
);
rmSync(tracerEntry);
const bundles = [
  ...built,
  {
    name: LAYER_ALONE,
    file: join(bundleDir, 'node_modules', POWERTOOLS_MODULE, 'index.mjs'),
    bytes: layer.bytes,
    sourceMapBytes: 0,
    inputs: {},
    external: [],
  },
  {
    name: LAYER_TRACED,
    file: join(bundleDir, 'node_modules', POWERTOOLS_MODULE, 'index.mjs'),
    bytes: layer.bytes,
    sourceMapBytes: 0,
    inputs: {},
    external: [],
  },
];

// What `import()` costs, in a process that has loaded nothing else: CPU time (user + system, every thread) is
// the measure kept, as it holds on a shared, loaded machine; the wall time is recorded beside it.
const PROBE = [
  'const c = process.cpuUsage(), t = process.hrtime.bigint();',
  'await import(process.argv[1]);',
  'const wall = Number(process.hrtime.bigint() - t) / 1e6, u = process.cpuUsage(c);',
  'process.stdout.write(JSON.stringify({ cpu: (u.user + u.system) / 1000, wall }));',
].join(' ');
const probeEnv = {
  ...process.env,
  AWS_REGION: 'eu-west-2',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  POWERTOOLS_SERVICE_NAME: 'right-to-know',
};
const importMs = new Map<string, { cpu: number[]; wall: number[]; toBare: number[] }>(
  bundles.map((b) => [b.name, { cpu: [], wall: [], toBare: [] }]),
);
const bare = bundles.find((b) => b.name === BARE)!;
const sample = (b: (typeof bundles)[number]) => {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', PROBE, pathToFileURL(b.file).href], {
    env: b.name === LAYER_TRACED ? { ...probeEnv, POWERTOOLS_TRACE_ENABLED: 'true' } : probeEnv,
    encoding: 'utf8',
  });
  const { cpu, wall } = JSON.parse(out) as { cpu: number; wall: number };
  importMs.get(b.name)!.cpu.push(cpu);
  importMs.get(b.name)!.wall.push(wall);
  return cpu;
};
for (let round = 0; round < ROUNDS; round++) {
  for (const b of bundles.filter((b) => b !== bare)) {
    const bareFirst = round % 2 === 1;
    const bareBefore = bareFirst ? sample(bare) : 0;
    const cpu = sample(b);
    const bareCpu = bareFirst ? bareBefore : sample(bare);
    importMs.get(b.name)!.toBare.push(cpu / bareCpu);
  }
}
rmSync(bundleDir, { recursive: true, force: true });
const bareMs = median(importMs.get(BARE)!.cpu);
const bareWallMs = median(importMs.get(BARE)!.wall);
const probeMs = (name: string) => +median(importMs.get(name)!.cpu).toFixed(1);
/** The median of a bundle's ratios to the bare handler's sample paired with each of its own. */
const toBare = (name: string) => median(importMs.get(name)!.toBare);
const handlers = bundles
  .filter((b) => ![BARE, TRACER_ALONE, LAYER_ALONE, LAYER_TRACED].includes(b.name))
  .map((b) => {
    const ms = median(importMs.get(b.name)!.cpu);
    const ratio = toBare(b.name);
    const limit = bundleLimit(b.name);
    return {
      handler: b.name,
      bytes: b.bytes,
      /** What every cold start reads and compiles: the file Lambda imports and the chunks it imports with it. */
      loadBytes: 'loadBytes' in b ? b.loadBytes : b.bytes,
      sourceMapBytes: b.sourceMapBytes,
      limitBytes: limit,
      overSizeLimit: b.bytes > limit,
      importCpuMs: +ms.toFixed(1),
      importWallMs: +median(importMs.get(b.name)!.wall).toFixed(1),
      importRatioToBare: +ratio.toFixed(2),
      overImportLimit: ratio > IMPORT_RATIO_LIMIT,
      heaviest: weightByPackage(b.inputs)
        .slice(0, 3)
        .map(([p, n]) => `${p} ${kb(n)}`),
    };
  })
  .sort((a, b) => b.bytes - a.bytes);

const dataDir = mkdtempSync(join(process.cwd(), '.tmp', 'bench-'));
const stack = await startStack({ port: 0, dataDir, timeScale: 3600 });
const started = Date.now();
let caseResult: Awaited<ReturnType<typeof runDemoCase>>;
try {
  caseResult = await runDemoCase(new ApiClient(stack.apiUrl), {
    crimeReference: `LOCAL/26/${String(Date.now()).slice(-7)}`,
  });
} finally {
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
const wallMs = Date.now() - started;
const demo = {
  stage: caseResult.stage,
  stateTransitions: stack.engine.counters.stateTransitions,
  workflowLambdaInvocations: stack.engine.counters.lambdaInvocations,
  workflowLambdaInvocationsByFunction: stack.engine.counters.lambdaInvocationsByFunction,
  apiLambdaInvocations: stack.apiRequests.count,
  wallSecondsLocal: wallMs / 1000,
};

const overSize = handlers.filter((h) => h.overSizeLimit);
const overImport = handlers.filter((h) => h.overImportLimit);
const results = {
  command: COMMAND,
  at: new Date().toISOString(),
  node: process.version,
  importRounds: ROUNDS,
  importSamples: 'each handler sample paired with a bare sample; ratio: median of the pairs',
  bare: { bytes: bare.bytes, importCpuMs: +bareMs.toFixed(1), importWallMs: +bareWallMs.toFixed(1) },
  powertoolsLayer: {
    bytes: layer.bytes,
    importCpuMs: probeMs(LAYER_ALONE),
    tracedImportCpuMs: probeMs(LAYER_TRACED),
    tracerAloneBytes: bundles.find((b) => b.name === TRACER_ALONE)!.bytes,
    tracerAloneImportCpuMs: probeMs(TRACER_ALONE),
  },
  limits: {
    bundleBytes: BUNDLE_LIMIT_BYTES,
    pdfOrNotifyBundleBytes: HEAVY_BUNDLE_LIMIT_BYTES,
    importRatioToBare: IMPORT_RATIO_LIMIT,
  },
  handlers,
  overSizeLimit: overSize.map((h) => h.handler),
  overImportLimit: overImport.map((h) => h.handler),
  demoCase: {
    ...demo,
    lambdaInvocationsPerTransition: +(demo.workflowLambdaInvocations / demo.stateTransitions).toFixed(2),
    apiToWorkflowInvocations: +(demo.apiLambdaInvocations / demo.workflowLambdaInvocations).toFixed(2),
  },
};

const flag = (over: boolean) => (over ? ' **over**' : '');
const md = [
  `# Bench results`,
  ``,
  `Reproduce: \`${COMMAND}\` (Node ${process.version}, ${results.at}).`,
  ``,
  `## Handler bundles (as the CDK builds them: infra/constructs/bundling.ts)`,
  ``,
  `Size of the JavaScript file (its source map beside it) against ${kb(BUNDLE_LIMIT_BYTES)} kB, or ${kb(HEAVY_BUNDLE_LIMIT_BYTES)} kB for a handler that renders a PDF or calls Notify; such a handler is split (bundleHandlers): what it imports with \`import()\` is in files beside its own, read when first used, counted in its kB, and \`at load kB\` is what every cold start reads and compiles (its file and the chunks that file imports).`,
  `Import time: CPU time (user + system) of \`import()\` in a fresh Node process, median of ${ROUNDS} each, the bundles interleaved, each sample paired with one of the bare handler (DynamoDB client and document client only, same options) run beside it in the same run; \`× bare\` is the median of a handler's ${ROUNDS} paired ratios, limit ${IMPORT_RATIO_LIMIT}×. Wall time beside it (it swings with the machine's load).`,
  `Powertools comes from the functions' layer, not the bundle: each bundle imports the layer's one module (${POWERTOOLS_MODULE}, ${kb(layer.bytes)} kB: functions/powertools.ts with the logger and metrics; the Tracer and X-Ray SDK in a chunk beside it, loaded only when tracing is switched on) from beside it, as Lambda resolves /opt/nodejs/node_modules, and that import is counted in the handler's time.`,
  ``,
  `| handler | kB | limit kB | at load kB | map kB | import CPU ms | × bare | import wall ms | heaviest packages (kB) |`,
  `|---|---:|---:|---:|---:|---:|---:|---:|---|`,
  `| _bare: DynamoDB + document client_ | ${kb(bare.bytes)} | | | ${kb(bare.sourceMapBytes)} | ${bareMs.toFixed(1)} | 1 | ${bareWallMs.toFixed(1)} | |`,
  `| _the Powertools layer's module alone (in the layer, not the bundle)_ | ${kb(layer.bytes)} | | | | ${probeMs(LAYER_ALONE)} | ${toBare(LAYER_ALONE).toFixed(2)} | | |`,
  `| _the same with the Tracer switched on (not deployed so unless asked for)_ | | | | | ${probeMs(LAYER_TRACED)} | ${toBare(LAYER_TRACED).toFixed(2)} | | |`,
  `| _the Tracer and X-Ray SDK, bundled alone_ | ${kb(bundles.find((b) => b.name === TRACER_ALONE)!.bytes)} | | | | ${probeMs(TRACER_ALONE)} | ${toBare(TRACER_ALONE).toFixed(2)} | | |`,
  ...handlers.map(
    (h) =>
      `| ${h.handler} | ${kb(h.bytes)}${flag(h.overSizeLimit)} | ${kb(h.limitBytes)} | ${h.loadBytes === h.bytes ? '' : kb(h.loadBytes)} | ${kb(h.sourceMapBytes)} | ${h.importCpuMs} | ${h.importRatioToBare}${flag(h.overImportLimit)} | ${h.importWallMs} | ${h.heaviest.join(', ')} |`,
  ),
  ``,
  `Over the size limit: ${overSize.length ? overSize.map((h) => h.handler).join(', ') : 'none'}.`,
  `Over ${IMPORT_RATIO_LIMIT}× the bare import time: ${overImport.length ? overImport.map((h) => h.handler).join(', ') : 'none'}.`,
  ``,
  `## One demo case (opening to close, local engine, time ×3600)`,
  ``,
  `| measure | value |`,
  `|---|---:|`,
  `| state transitions | ${demo.stateTransitions} |`,
  `| workflow Lambda invocations (limit ${WORKFLOW_INVOCATIONS_LIMIT}) | ${demo.workflowLambdaInvocations}${flag(demo.workflowLambdaInvocations > WORKFLOW_INVOCATIONS_LIMIT)} |`,
  `| by function | ${Object.entries(demo.workflowLambdaInvocationsByFunction)
    .map(([f, n]) => `${f} ${n}`)
    .join(', ')} |`,
  `| API Lambda invocations (incl. polling) | ${demo.apiLambdaInvocations} |`,
  `| workflow invocations per transition | ${results.demoCase.lambdaInvocationsPerTransition} |`,
  `| API : workflow invocations | ${results.demoCase.apiToWorkflowInvocations} |`,
  `| wall time locally (s) | ${demo.wallSecondsLocal} |`,
  ``,
].join('\n');
const outBase = process.env.BENCH_OUT ?? 'bench/results/latest';
writeFileSync(`${outBase}.json`, `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(`${outBase}.md`, md);
process.stdout.write(md);
