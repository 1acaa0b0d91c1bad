import '../local/polyfill.js';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { appendAudit } from '../functions/adapters/audit.js';
import { watchDynamoCalls } from '../functions/adapters/clients/dynamo.js';
import { startStack } from '../local/stack.js';
import { benchChain } from './appends.js';

/**
 * `npm run bench:chain`: the store calls of an audit append at chain length 10 and at 10,000 (a plain append, a new
 * once key, the same key again), on a local stack of its own with nothing else running in it: one chain filled one
 * append after another with the adapter's appendAudit. bench:scale measures the same beside a force being seeded,
 * where on a loaded machine the filling can outlast the run. Results: bench/results/chain.{json,md}.
 */
const { values: flags } = parseArgs({ options: { chain: { type: 'string', default: '10000' } } });
const LONG = Number(flags.chain);
const COMMAND = ['npm run bench:chain', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' ');

mkdirSync(join(process.cwd(), '.tmp'), { recursive: true });
process.env.TMPDIR ??= join(process.cwd(), '.tmp');
const dataDir = mkdtempSync(join(process.cwd(), '.tmp', 'bench-chain-'));
const stack = await startStack({ port: 0, dataDir, timeScale: 1, quiet: true, resume: false });
const loadAtStart = loadavg()[0]!;
const CHAIN_ID = `BENCH-CHAIN-${Date.now()}`;
let calls = 0;
watchDynamoCalls((_, input) => {
  if (JSON.stringify(input).includes(CHAIN_ID)) calls++;
});
const chain = benchChain(CHAIN_ID, () => calls);
const log = (line: string) => process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);

for (let i = 0; i < 7; i++) await appendAudit(chain.draft(i));
const atShort = await chain.measure();
log(`at 10: ${JSON.stringify(atShort)}`);
const { seconds: fillSeconds } = await chain.fill(10, LONG, (n) => log(`chain at ${n}`));
const atLong = await chain.measure();
log(`at ${LONG}: ${JSON.stringify(atLong)}`);

const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD']).toString().trim();
const result = {
  command: COMMAND,
  commit,
  at: new Date().toISOString(),
  machine: { cpus: cpus().length, loadavg1AtStart: +loadAtStart.toFixed(2), loadavg1: +loadavg()[0]!.toFixed(2) },
  chainLength: { short: 10, long: LONG },
  atShort,
  atLong,
  fillSeconds,
};
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/chain.json', `${JSON.stringify(result, null, 2)}\n`);
const row = (k: 'plain' | 'onceNew' | 'onceFound') =>
  `| ${k} | ${atShort[k].calls} calls, ${atShort[k].ms} ms | ${atLong[k].calls} calls, ${atLong[k].ms} ms |`;
writeFileSync(
  'bench/results/chain.md',
  [
    '# bench:chain',
    '',
    `Command: \`${COMMAND}\` (commit ${commit}, ${result.at}, ${result.machine.cpus} cores, load average ${result.machine.loadavg1AtStart} at the start and ${result.machine.loadavg1} at the end; other work shared the machine).`,
    '',
    `One audit chain filled to ${LONG} entries, one append after another, in ${fillSeconds} s, on a local stack with nothing else running in it. DynamoDB calls and time of one append:`,
    '',
    `| append | at 10 | at ${LONG} |`,
    '| --- | --- | --- |',
    row('plain'),
    row('onceNew'),
    row('onceFound'),
    '',
    'plain: the tail and the head, the entry, the head. onceNew: the tail and the head, the marker, the entry, the marker, the head. onceFound: the same once key again, in the process that wrote its marker (markers never change, so each process keeps those it has met): no call.',
    '',
  ].join('\n'),
);
await stack.stop();
rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
