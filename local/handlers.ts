import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import type { HandlerKind } from '../infra/constructs/bundling.js';

/**
 * Every function's timeout in the CDK template (infra/constructs/function.ts FUNCTION_DEFAULTS.timeout; a test holds
 * the two equal): a handler's context counts down from it, and the local engine ends a workflow invocation at it.
 */
export const LAMBDA_TIMEOUT_MS = 30_000;

/** What Lambda's invoke answers when the function ran out of time: the workflow's retriers match it. */
export class FunctionTimedOut extends Error {
  override readonly name = 'Sandbox.Timedout';
}

/**
 * An invocation as Lambda bounds it: its answer, or a `Sandbox.Timedout` failure once `ms` have passed (told to
 * `onTimeout`). In this process the handler cannot be stopped, so it may still finish later: its answer is then
 * ignored, as a timed-out invocation's is on AWS, where its side effects may also have landed.
 */
export function withinTimeout<T>(run: () => Promise<T>, ms: number, onTimeout: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new FunctionTimedOut(`the function ran past its ${ms / 1000} s timeout`));
    }, ms);
    timer.unref();
  });
  return Promise.race([run(), expired]).finally(() => clearTimeout(timer));
}

/** The same handler modules Lambda runs, loaded in this process. */
type Handler = (event: unknown, context: Context) => Promise<unknown>;
const cache = new Map<string, Promise<Handler>>();

export function loadHandler(kind: HandlerKind, name: string): Promise<Handler> {
  const key = `${kind}/${name}`;
  let h = cache.get(key);
  if (!h) {
    h = import(new URL(`../functions/handlers/${kind}/${name}.ts`, import.meta.url).href).then(
      (m: { handler: Handler }) => m.handler,
    );
    cache.set(key, h);
  }
  return h;
}

export function lambdaContext(functionName: string): Context {
  const started = Date.now();
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-2:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/local/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, LAMBDA_TIMEOUT_MS - (Date.now() - started)),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
