import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';

const dataDir = mkdtempSync(join(process.cwd(), '.tmp', 'stop-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/**
 * A stopped stack leaves nothing to keep its process alive. The local engine's timer for a waiting task's timeout
 * (days away at time ×1) was cleared only when the task settled, so a script that stopped its stack with a case
 * waiting at a gate (a bench, the demo's tooling) idled until the timeout instead of ending (exit 124 here, at the
 * limit below, without local/engine.ts ending the waiting tasks in stop()). The stop ends the waits, runs nothing
 * further, and leaves the execution to resume on the next start.
 */
test('a process whose stack stopped with a case waiting at a gate ends by itself, the case left to resume', () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'test/support/stop-and-end.ts', dataDir], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(run.error, 'the process was still alive at the limit').toBeUndefined();
  expect(run.status, run.stderr).toBe(0);
  const caseId = run.stdout.match(/stopped with (\S+) waiting at gate 1/)?.[1];
  expect(caseId).toBeDefined();
  const executions = JSON.parse(readFileSync(join(dataDir, 'executions.json'), 'utf8')) as {
    caseId: string;
    status: string;
  }[];
  expect(executions.filter((e) => e.caseId === caseId).map((e) => e.status)).toEqual(['RUNNING']);
});
