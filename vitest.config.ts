import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Longest first, so the two workers finish together: a long file started last would leave one worker idle while
 * the other finishes it. Vitest orders by the durations of an earlier run, which a fresh clone does not have, so
 * the files measured longest on the 2-core machine are named here (seconds in a full run, 2026-11-30; the files new on
 * 2026-12-01 estimated from their runs beside others), longest first.
 */
const MEASURED: Record<string, number> = {
  'e2e/restart.test.ts': 95,
  'e2e/approval-queue.test.ts': 62,
  'e2e/chaos.test.ts': 60,
  'browser/console.test.ts': 57,
  'e2e/identification-rules.test.ts': 43,
  // Mostly waits for escalations (24 s): started early, it overlaps the others' work.
  'statemachine/workflow.test.ts': 42,
  'e2e/security-probe.test.ts': 38,
  'e2e/victim-path.test.ts': 36,
  'e2e/demo.test.ts': 34,
  'e2e/faults.test.ts': 33,
  'e2e/disclosure.test.ts': 31,
  'statemachine/track-handover.test.ts': 30,
  'e2e/safe-times.test.ts': 30,
  'e2e/closure.test.ts': 25,
  'e2e/after-identification.test.ts': 22,
};
const weight = (f: TestSpecification) =>
  Object.entries(MEASURED).find(([name]) => f.moduleId.endsWith(`test/${name}`))?.[1] ?? 0;
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    return [...sorted].sort((a, b) => weight(b) - weight(a));
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Makes .tmp/, where TMPDIR (below) points: nothing to create by hand on a fresh clone.
    globalSetup: ['test/support/global-setup.ts'],
    // The local stack and CDK synth are heavy: files run in separate forks. Three at a time on a 2-core machine: many
    // files spend part of their time waiting on the workflow's (compressed) timers, and a third file uses that time
    // (measured on fresh clones, quiet: 501 s with two, 445 s with three on 2026-11-30). Four took 2026-12-01's suite
    // from 495 s to 465 s quiet, but two runs side by side with four each (eight files on two cores) timed out four
    // tests where three each had not: the time saved is not worth a suite that fails on a busy machine.
    pool: 'forks',
    maxWorkers: 3,
    sequence: { sequencer: LongestFirst },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    env: {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      AWS_EC2_METADATA_DISABLED: 'true',
      CDK_DISABLE_VERSION_CHECK: 'true',
      CDK_DISABLE_CLI_TELEMETRY: 'true',
      POWERTOOLS_LOG_LEVEL: 'WARN',
      TMPDIR: `${process.cwd()}/.tmp`,
    },
  },
});
