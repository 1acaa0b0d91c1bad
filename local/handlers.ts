import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import type { HandlerKind } from '../infra/constructs/bundling.js';

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
    getRemainingTimeInMillis: () => Math.max(0, 30_000 - (Date.now() - started)),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
