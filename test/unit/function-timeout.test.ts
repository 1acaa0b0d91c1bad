import { describe, expect, it } from 'vitest';
import { FunctionTimedOut, withinTimeout } from '../../local/handlers.js';
import { retryPolicy } from '../../statemachines/faultHandling.js';

/**
 * The local engine bounds each workflow invocation as Lambda does: a handler stuck on a call that never answers
 * fails its step with Sandbox.Timedout (which the step's retriers take), where it once held the case for ever.
 */
describe('an invocation bounded by its function timeout', () => {
  it('fails as Sandbox.Timedout when the handler never answers, and says so once', async () => {
    let told = 0;
    const failure = await withinTimeout(
      () => new Promise<never>(() => undefined),
      50,
      () => {
        told += 1;
      },
    ).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(FunctionTimedOut);
    expect((failure as Error).name).toBe('Sandbox.Timedout');
    expect(told).toBe(1);
    // The name is one the workflow's retriers take, for a plain step and for a token wait.
    for (const tokenWait of [false, true])
      expect(retryPolicy(tokenWait).some((r) => r.ErrorEquals.includes('Sandbox.Timedout'))).toBe(true);
  });

  it("passes the handler's answer or failure through unchanged, and does not time out after it", async () => {
    let told = 0;
    const onTimeout = () => {
      told += 1;
    };
    await expect(withinTimeout(async () => 'answered', 50, onTimeout)).resolves.toBe('answered');
    const refused = Object.assign(new Error('no'), { name: 'ConditionalCheckFailedException' });
    await expect(withinTimeout(() => Promise.reject(refused), 50, onTimeout)).rejects.toBe(refused);
    await new Promise((r) => setTimeout(r, 120));
    expect(told).toBe(0);
  });
});
