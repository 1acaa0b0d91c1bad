import type { Subsegment } from 'aws-xray-sdk-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { recordingServer } from '../support/recordingServer.js';

/**
 * With the Tracer on, each signed request (Step Functions and S3, which have
 * no SDK client to capture) is a subsegment of the handler's, as an SDK
 * client's call is: named for the service, in the `aws` namespace, its
 * operation, status and retries recorded, a refusal or a failure flagged, and
 * nothing of what was sent or answered (no task token, key or body). The
 * handler's segment is the X-Ray context's, as `captureLambdaHandler` sets it.
 */
// Each test is an invocation in an X-Ray context of its own (Lambda has one, made once): a socket kept alive from one
// test would carry its context into the next, where `fetch`'s own capture would lose track of the segment.
const CLOSE = { connection: 'close' };
const JSON_10 = { 'content-type': 'application/x-amz-json-1.0', ...CLOSE };
const TOKEN = 'AQCEAAAAKgAAAAMAAAAAAAAAAT0kenToken';
let aws: Awaited<ReturnType<typeof recordingServer>>;
let powertools: typeof import('../../functions/powertools.js');
let sfn: typeof import('../../functions/adapters/clients/sfn.js');
let s3: typeof import('../../functions/adapters/clients/s3.js');

beforeAll(async () => {
  aws = await recordingServer({ status: 200, body: '{}', headers: JSON_10 });
  for (const [name, value] of Object.entries({
    POWERTOOLS_TRACE_ENABLED: 'true',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_REGION: 'eu-west-2',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'secret',
    AWS_ENDPOINT_URL_SFN: aws.url,
    AWS_ENDPOINT_URL_S3: aws.url,
    AWS_S3_FORCE_PATH_STYLE: 'true',
  }))
    vi.stubEnv(name, value);
  // The Tracer is made when functions/powertools.ts is first imported, and only with tracing on.
  vi.resetModules();
  powertools = await import('../../functions/powertools.js');
  sfn = await import('../../functions/adapters/clients/sfn.js');
  s3 = await import('../../functions/adapters/clients/s3.js');
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await aws.close();
});
beforeEach(() => aws.reset());

/** Runs `call` with a handler's segment as the X-Ray context's; the AWS subsegments it gets, in order. */
async function traced(call: () => Promise<unknown>): Promise<{ outcome: unknown; calls: Subsegment[] }> {
  const tracer = powertools.tracer!;
  // A Tracer switched off hands out a detached X-Ray subsegment: a handler's segment with no daemon behind it.
  const { Tracer } = await import('@aws-lambda-powertools/tracer');
  const handler = new Tracer({ enabled: false }).getSegment() as Subsegment;
  const outcome = await tracer.provider.getNamespace().runPromise(async () => {
    tracer.setSegment(handler);
    return call().catch((e: unknown) => e);
  });
  return { outcome, calls: (handler.subsegments ?? []).filter((s) => s.namespace === 'aws') };
}

/** The subsegment as X-Ray would receive it. */
const sent = (s: Subsegment) => JSON.parse(JSON.stringify(s)) as Record<string, unknown>;

describe('signed requests, traced', () => {
  it('the Tracer is on for this file, as a handler deployed with -c powertoolsTracer=true has it', () => {
    expect(powertools.tracer?.isTracingEnabled()).toBe(true);
  });

  it('a Step Functions call is an SFN subsegment named by its operation, with its status and request id, and never the task token', async () => {
    aws.answers.push({ status: 200, body: '{}', headers: { ...JSON_10, 'x-amzn-requestid': 'req-1' } });
    const { outcome, calls } = await traced(() =>
      sfn.stepFunctions().send(new sfn.SendTaskSuccessCommand({ taskToken: TOKEN, output: '{"name":"Jane Example"}' })),
    );
    expect(outcome).toEqual({});
    expect(calls).toHaveLength(1);
    const call = sent(calls[0]!);
    expect(call).toMatchObject({
      name: 'SFN',
      namespace: 'aws',
      aws: { operation: 'SendTaskSuccess', region: 'eu-west-2', request_id: 'req-1', retries: 0 },
      http: { response: { status: 200 } },
    });
    expect(call).not.toHaveProperty('error');
    expect(call).not.toHaveProperty('fault');
    expect(call.end_time).toBeTypeOf('number');
    expect(JSON.stringify(call)).not.toMatch(/AQCEAAAA|Jane|annotations|metadata/);
  });

  it('counts the retries of one call, and flags a refusal as an error with its status', async () => {
    aws.answers.push(
      { status: 500, body: '{}', headers: JSON_10 },
      {
        status: 400,
        body: `{"__type":"com.amazonaws.swf.service.v2.model#TaskTimedOut","message":"${TOKEN}"}`,
        headers: JSON_10,
      },
    );
    const { outcome, calls } = await traced(() =>
      sfn.stepFunctions().send(new sfn.SendTaskFailureCommand({ taskToken: TOKEN, error: 'Refused' })),
    );
    expect(outcome).toMatchObject({ name: 'TaskTimedOut' });
    expect(aws.seen).toHaveLength(2);
    expect(calls).toHaveLength(1);
    const call = sent(calls[0]!);
    expect(call).toMatchObject({
      name: 'SFN',
      aws: { operation: 'SendTaskFailure', retries: 1 },
      http: { response: { status: 400 } },
      error: true,
    });
    expect(call).not.toHaveProperty('fault');
    expect(JSON.stringify(call)).not.toContain('AQCEAAAA');
  });

  it('flags a throttle left after the last attempt, and a fault', async () => {
    aws.answers.push(
      ...[1, 2, 3].map(() => ({ status: 429, body: '{"__type":"ThrottlingException"}', headers: JSON_10 })),
    );
    aws.answers.push(...[1, 2, 3].map(() => ({ status: 503, body: '{}', headers: JSON_10 })));
    const { calls } = await traced(async () => {
      const start = new sfn.StartExecutionCommand({ stateMachineArn: 'arn:aws:states:eu-west-2:1:stateMachine:m' });
      await sfn
        .stepFunctions()
        .send(start)
        .catch(() => undefined);
      await sfn
        .stepFunctions()
        .send(start)
        .catch(() => undefined);
    });
    expect(calls.map(sent)).toMatchObject([
      {
        aws: { operation: 'StartExecution', retries: 2 },
        http: { response: { status: 429 } },
        throttle: true,
        error: true,
      },
      { aws: { operation: 'StartExecution', retries: 2 }, http: { response: { status: 503 } }, fault: true },
    ]);
  });

  it('an S3 call is an S3 subsegment named by its operation, without the key or the object', async () => {
    aws.answers.push({ status: 200, body: '', headers: { 'x-amz-request-id': 'req-s3', ...CLOSE } });
    aws.answers.push({ status: 404, body: '<Error><Code>NoSuchKey</Code></Error>', headers: CLOSE });
    const { outcome, calls } = await traced(async () => {
      await s3.putObject('docs', 'letters/case-1/Jane-Example.pdf', 'Dear Ms Example', 'application/pdf');
      return s3.getObject('docs', 'letters/case-1/Jane-Example.pdf');
    });
    expect(outcome).toBeUndefined();
    expect(calls.map(sent)).toMatchObject([
      { name: 'S3', namespace: 'aws', aws: { operation: 'PutObject', request_id: 'req-s3', retries: 0 } },
      { name: 'S3', aws: { operation: 'GetObject' }, http: { response: { status: 404 } }, error: true },
    ]);
    expect(JSON.stringify(calls)).not.toMatch(/Jane|Example|letters|docs/);
  });

  it('a call that gets no answer is a fault, its error recorded, and still rejects', async () => {
    const closed = await recordingServer({ status: 200, body: '' });
    await closed.close();
    vi.stubEnv('AWS_ENDPOINT_URL_SFN', closed.url);
    try {
      const { outcome, calls } = await traced(() =>
        sfn.stepFunctions().send(new sfn.SendTaskSuccessCommand({ taskToken: TOKEN, output: '{}' })),
      );
      expect(outcome).toBeInstanceOf(Error);
      expect(calls).toHaveLength(1);
      const call = sent(calls[0]!);
      expect(call).toMatchObject({ name: 'SFN', aws: { operation: 'SendTaskSuccess' }, fault: true });
      expect(call.cause).toMatchObject({ exceptions: [{ message: (outcome as Error).message, remote: true }] });
      expect(JSON.stringify(call)).not.toContain('AQCEAAAA');
    } finally {
      vi.stubEnv('AWS_ENDPOINT_URL_SFN', aws.url);
    }
  });
});
