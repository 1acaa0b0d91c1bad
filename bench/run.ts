import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { routeEntries } from '../functions/routes.js';
import { WORKFLOW_FUNCTIONS } from '../statemachines/bindings.js';
import { ApiClient } from '../local/client.js';
import { runDemoCase } from '../local/scenario.js';
import { startStack } from '../local/stack.js';

/**
 * `npm run bench`: each handler's bundle size (esbuild, as the CDK bundles
 * them: ESM, node20, minified, AWS SDK included), and what one demo case
 * costs the workflow (state transitions, Lambda invocations), side by side in
 * one run. Results go to bench/results/latest.{json,md}.
 */
const COMMAND = 'npm run bench';
const kb = (n: number) => (n / 1024).toFixed(1);

async function bundleSize(kind: 'api' | 'workflow', name: string): Promise<number> {
  const out = await build({
    entryPoints: [`functions/handlers/${kind}/${name}.ts`],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    mainFields: ['module', 'main'],
    minify: true,
    write: false,
    logLevel: 'silent',
    banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
  });
  return out.outputFiles.reduce((n, f) => n + f.contents.length, 0);
}

const handlers = [
  ...routeEntries.filter(([, r]) => !('localOnly' in r)).map(([n]) => ['api', n] as const),
  ...WORKFLOW_FUNCTIONS.map((n) => ['workflow', n] as const),
];
const sizes: { kind: string; name: string; bytes: number }[] = [];
for (const [kind, name] of handlers) sizes.push({ kind, name, bytes: await bundleSize(kind, name) });
sizes.sort((a, b) => b.bytes - a.bytes);
const median = [...sizes].sort((a, b) => a.bytes - b.bytes)[Math.floor(sizes.length / 2)]!.bytes;

// A fresh clone has neither folder: make them rather than ask anyone to.
mkdirSync(join(process.cwd(), '.tmp'), { recursive: true });
mkdirSync('bench/results', { recursive: true });
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
  apiLambdaInvocations: stack.apiRequests.count,
  wallSecondsLocal: wallMs / 1000,
};

const results = {
  command: COMMAND,
  at: new Date().toISOString(),
  node: process.version,
  bundles: sizes.map((s) => ({ ...s, ratioToMedian: +(s.bytes / median).toFixed(2) })),
  demoCase: {
    ...demo,
    lambdaInvocationsPerTransition: +(demo.workflowLambdaInvocations / demo.stateTransitions).toFixed(2),
    apiToWorkflowInvocations: +(demo.apiLambdaInvocations / demo.workflowLambdaInvocations).toFixed(2),
  },
};

const md = [
  `# Bench results`,
  ``,
  `Reproduce: \`${COMMAND}\` (Node ${process.version}, ${results.at}).`,
  ``,
  `## Handler bundles (ESM, node20, minified, AWS SDK bundled)`,
  ``,
  `| handler | KiB | × median (${kb(median)} KiB) |`,
  `|---|---:|---:|`,
  ...results.bundles.map((b) => `| ${b.kind}/${b.name} | ${kb(b.bytes)} | ${b.ratioToMedian} |`),
  ``,
  `## One demo case (opening to close, local engine, time ×3600)`,
  ``,
  `| measure | value |`,
  `|---|---:|`,
  `| state transitions | ${demo.stateTransitions} |`,
  `| workflow Lambda invocations | ${demo.workflowLambdaInvocations} |`,
  `| API Lambda invocations (incl. polling) | ${demo.apiLambdaInvocations} |`,
  `| workflow invocations per transition | ${results.demoCase.lambdaInvocationsPerTransition} |`,
  `| API : workflow invocations | ${results.demoCase.apiToWorkflowInvocations} |`,
  `| wall time locally (s) | ${demo.wallSecondsLocal} |`,
  ``,
].join('\n');
writeFileSync('bench/results/latest.json', `${JSON.stringify(results, null, 2)}\n`);
writeFileSync('bench/results/latest.md', md);
process.stdout.write(md);
