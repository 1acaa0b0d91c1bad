import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ApiClient } from '../../local/client.js';
import { startStack, type RunningStack, type StackOptions } from '../../local/stack.js';
import { Journey } from './journey.js';

/** The local stack for one test file, in a data folder of its own under .tmp, with a client and a journey on it. */
export interface TestStack {
  stack: RunningStack;
  api: ApiClient;
  journey: Journey;
  dataDir: string;
  /** What the Notify stand-in delivered for a case: its SMS (to whom, which) and its letters' files. */
  sentFor: (caseId: string) => { sms: { to: string; reference: string }[]; letters: string[] };
  stop: () => Promise<void>;
}

export async function startTestStack(
  prefix: string,
  options: Omit<StackOptions, 'dataDir' | 'port'> = {},
): Promise<TestStack> {
  const dataDir = mkdtempSync(join(process.cwd(), '.tmp', prefix));
  const stack = await startStack({ port: 0, dataDir, ...options });
  const api = new ApiClient(stack.apiUrl);
  return {
    stack,
    api,
    journey: new Journey(api),
    dataDir,
    sentFor: (caseId) => {
      const dir = join(dataDir, 'outbox');
      const smsFile = join(dir, 'sms.jsonl');
      const sms = existsSync(smsFile)
        ? readFileSync(smsFile, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as { to: string; reference: string })
            .filter((m) => m.reference.startsWith(`${caseId}:`))
            .map(({ to, reference }) => ({ to, reference }))
        : [];
      const letters = existsSync(join(dir, 'letters'))
        ? readdirSync(join(dir, 'letters')).filter((f) => f.startsWith(caseId))
        : [];
      return { sms, letters };
    },
    stop: async () => {
      await stack.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The supervisors' gates held open for `seconds` of real time, for a test whose time runs so fast (a day in two
 * seconds) that a loaded machine could let a gate escalate before its journey decides it: a 410 that is not what the
 * test is about. Settings are seconds of real time (statemachines/bindings.ts settingSubstitutions).
 */
export const gatesHeldOpen = (seconds: number): Record<string, string> =>
  Object.fromEntries(
    [
      'DataRequestGateSeconds',
      'IdentificationGateSeconds',
      'DisclosureGateSeconds',
      'DelayGateSeconds',
      'ClosureGateSeconds',
    ].map((k) => [k, String(seconds)]),
  );
