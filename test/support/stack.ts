import { mkdtempSync, rmSync } from 'node:fs';
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
    stop: async () => {
      await stack.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
