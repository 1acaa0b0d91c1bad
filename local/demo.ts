import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ApiClient } from './client.js';
import { DEMO_PATHS, type DemoPath, runDemoCase } from './scenario.js';

/**
 * `npm run demo`: one complete case over the HTTP API (`-- --path declines`: the victim declines to be told;
 * `-- --path closure`: closed without a suspect). Against a running
 * `npm start` (default http://127.0.0.1:3000) when there is one; otherwise it
 * starts its own stack under .data/demo with time compressed.
 */
const { values } = parseArgs({
  options: {
    url: { type: 'string', default: process.env.API_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}` },
    data: { type: 'string', default: '.data' },
    'time-scale': { type: 'string', default: '3600' },
    path: { type: 'string', default: 'discloses' },
  },
});
const path = values.path as DemoPath;
if (!DEMO_PATHS.includes(path)) {
  process.stderr.write(`--path must be one of ${DEMO_PATHS.join(', ')}\n`);
  process.exit(2);
}
const say = (line: string) => process.stdout.write(`${line}\n`);

async function reachable(url: string) {
  try {
    return (await fetch(`${url}/health`)).ok;
  } catch {
    return false;
  }
}

let url = values.url!;
let dataDir = resolve(values.data!);
let stop: (() => Promise<void>) | undefined;
if (!(await reachable(url))) {
  const { startStack } = await import('./stack.js');
  dataDir = resolve('.data/demo');
  const stack = await startStack({ port: 0, dataDir, timeScale: Number(values['time-scale']) });
  url = stack.apiUrl;
  stop = stack.stop;
  say(`No stack at ${values.url}: started one at ${url} (data in ${dataDir}, time ×${values['time-scale']})`);
}

const started = Date.now();
const api = new ApiClient(url);
const crimeReference = `LOCAL/26/${String(Date.now()).slice(-8)}`;
say(`Demo case ${crimeReference}`);
try {
  const kase = await runDemoCase(api, {
    crimeReference,
    path,
    onStep: ({ stage, note }) =>
      say(`  ${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s  ${stage.padEnd(24)} ${note}`),
  });
  const outbox = join(dataDir, 'outbox');
  // The declined path sends no letter: on a fresh data folder there is no letters folder at all.
  const letters = (await readdir(join(outbox, 'letters')).catch(() => [] as string[])).filter((f) =>
    f.startsWith(kase.caseId),
  );
  say('Outbox:');
  for (const f of letters) say(`  letter  ${join(outbox, 'letters', f)}`);
  say(
    `  sms     ${join(outbox, 'sms.jsonl')} (${kase.notifications.filter((n) => n.channel === 'sms').length} for this case)`,
  );
  say(`  events  ${join(outbox, 'events.jsonl')} (arrest tasking)`);
  say(`Done in ${((Date.now() - started) / 1000).toFixed(1)}s: case ${kase.caseId} is ${kase.stage}.`);
} catch (e) {
  process.exitCode = 1;
  console.error(e);
} finally {
  await stop?.();
}
// Done, and the stack it started (if any) has stopped with its state saved. A wait of an aborted execution (a
// request's 14-day chase, about 6 minutes at ×3600) can still hold a timer inside the local engine's library, which
// kept the demo from returning for minutes after "Done": it exits now.
process.exit();
