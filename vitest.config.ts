import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Longest first, so the workers finish together: a long file started last would leave one worker idle while
 * the others finish it. Vitest orders by the durations of an earlier run, which a fresh clone does not have, so
 * the files measured longest on the 2-core machine are named here (seconds in a quiet fresh-clone run of d12edbd,
 * 2026-12-01; identification.test.ts since waits 12 s longer for a give-up), longest first.
 */
const MEASURED: Record<string, number> = {
  'e2e/approval-queue.test.ts': 110,
  'e2e/chaos.test.ts': 99,
  'e2e/restart.test.ts': 88,
  'e2e/identification-rules.test.ts': 73,
  'browser/console.test.ts': 65,
  // Mostly waits for escalations: started early, it overlaps the others' work.
  'statemachine/workflow.test.ts': 60,
  'e2e/security-probe.test.ts': 49,
  'e2e/after-identification.test.ts': 47,
  'e2e/demo.test.ts': 45,
  'e2e/safe-times.test.ts': 45,
  'e2e/victim-path.test.ts': 42,
  'e2e/disclosure.test.ts': 38,
  'e2e/identification.test.ts': 36,
  'e2e/faults.test.ts': 36,
  'e2e/victim-choice.test.ts': 35,
  'e2e/victim-contact.test.ts': 30,
  'infra/bundles.test.ts': 24,
  'e2e/authz-matrix.test.ts': 21,
  'e2e/closure.test.ts': 20,
  'statemachine/track-handover.test.ts': 20,
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
    // The local stack and CDK synth are heavy: files run in separate forks. Four at a time on a 2-core machine: many
    // files spend part of their time waiting on the workflow's (compressed) timers, and the others use that time
    // (measured on fresh clones, quiet: 501 s with two, 445 s with three on 2026-11-30; 495 s with three and 465 s
    // with four on 2026-12-01). Four were once given up because two runs side by side timed out tests at 60 s: the
    // timeouts below are now guards against a hang, and the tests that raced a gate's escalation hold their gates
    // open, so a busy machine makes the run slower, not red.
    pool: 'forks',
    maxWorkers: 4,
    sequence: { sequencer: LongestFirst },
    // Guards against a hang, not measures of speed: the longest test takes about 35 s on a quiet machine, and a
    // machine that is also busy (two runs side by side) takes two or three times as long.
    testTimeout: 180_000,
    hookTimeout: 300_000,
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
