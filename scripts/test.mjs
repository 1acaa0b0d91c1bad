// `npm test` after lint: the type check and the tests side by side. The tests spend much of their time waiting on
// the workflow's timers, and the type check (about 40 CPU-seconds), at a lower priority, fills that time instead of
// going first.
// Arguments go to vitest (`npm test -- test/unit`). Exits non-zero if either fails; the type check's findings are
// printed after the tests' summary so they are not lost in its output.
import { spawn } from 'node:child_process';

const run = (command, args, capture) =>
  new Promise((resolve) => {
    const child = spawn(command, args, { stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    let output = '';
    if (capture) for (const stream of [child.stdout, child.stderr]) stream.on('data', (d) => (output += d));
    child.on('close', (code, signal) => resolve({ ok: code === 0, code: code ?? 1, signal, output }));
  });

const tsc = (project) =>
  process.platform === 'win32'
    ? run('npx', ['tsc', '-p', project], true)
    : run('nice', ['-n', '10', 'npx', 'tsc', '-p', project], true);
const typecheck = (async () => {
  const server = await tsc('.');
  return server.ok ? tsc('web') : server;
})();
const tests = await run('npx', ['vitest', 'run', ...process.argv.slice(2)], false);
const types = await typecheck;
if (types.ok) console.log('Type check: no findings.');
else console.error(`Type check failed:\n${types.output}`);
process.exit(tests.ok && types.ok ? 0 : tests.ok ? types.code : tests.code);
