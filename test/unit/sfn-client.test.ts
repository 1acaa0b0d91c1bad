import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  errorName,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  stepFunctions,
} from '../../functions/adapters/clients/sfn.js';
import { recordingServer, type Seen } from '../support/recordingServer.js';

/**
 * The Step Functions client (one signed POST an operation, in place of the
 * SDK's client) against a server that records what it is sent and answers
 * as it is told, one answer a request.
 */
const JSON_10 = { 'content-type': 'application/x-amz-json-1.0' };
let aws: Awaited<ReturnType<typeof recordingServer>>;
const saved = { ...process.env };

beforeAll(async () => {
  aws = await recordingServer({ status: 500, body: '{}', headers: JSON_10 });
  Object.assign(process.env, {
    AWS_REGION: 'eu-west-2',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'secret',
    AWS_SESSION_TOKEN: 'session',
    AWS_ENDPOINT_URL_SFN: aws.url,
  });
});
afterAll(async () => {
  process.env = saved;
  await aws.close();
});
beforeEach(() => aws.reset());

describe('the Step Functions client', () => {
  it("sends an operation as the SDK does: JSON 1.0, its target, signed for the service with the function's credentials", async () => {
    aws.answers.push({
      status: 200,
      body: '{"executionArn":"arn:aws:states:eu-west-2:1:execution:m:e","startDate":1}',
    });
    const out = await stepFunctions().send(
      new StartExecutionCommand({
        stateMachineArn: 'arn:aws:states:eu-west-2:1:stateMachine:m',
        name: 'e',
        input: '{}',
      }),
    );
    expect(out.executionArn).toBe('arn:aws:states:eu-west-2:1:execution:m:e');
    const [{ headers, body }] = aws.seen as [Seen];
    expect(headers['x-amz-target']).toBe('AWSStepFunctions.StartExecution');
    expect(headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(headers['x-amz-security-token']).toBe('session');
    expect(headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-2\/states\/aws4_request, SignedHeaders=\S*host\S*x-amz-target\S*, Signature=[0-9a-f]{64}$/,
    );
    expect(JSON.parse(body.toString())).toEqual({
      stateMachineArn: 'arn:aws:states:eu-west-2:1:stateMachine:m',
      name: 'e',
      input: '{}',
    });
  });

  it('gives a refusal the name the SDK gives it, and does not try it again', async () => {
    aws.answers.push({
      status: 400,
      body: '{"__type":"com.amazonaws.swf.service.v2.model#TaskTimedOut","message":"late"}',
    });
    const refusal = await stepFunctions()
      .send(new SendTaskSuccessCommand({ taskToken: 't', output: '{}' }))
      .catch((e: unknown) => e);
    expect(refusal).toMatchObject({ name: 'TaskTimedOut', message: 'late', $metadata: { httpStatusCode: 400 } });
    expect(aws.seen).toHaveLength(1);
    expect(errorName('ExecutionAlreadyExists:detail')).toBe('ExecutionAlreadyExists');
  });

  it('tries a transient failure again, up to three attempts', async () => {
    aws.answers.push({ status: 503, body: 'busy' }, { status: 200, body: '{}' });
    await expect(stepFunctions().send(new SendTaskSuccessCommand({ taskToken: 't', output: '{}' }))).resolves.toEqual(
      {},
    );
    expect(aws.seen).toHaveLength(2);
    aws.reset();
    aws.answers.push(
      { status: 500, body: '{}' },
      { status: 500, body: '{}' },
      { status: 500, body: '{"__type":"InternalFailure"}' },
    );
    await expect(
      stepFunctions().send(new SendTaskSuccessCommand({ taskToken: 't', output: '{}' })),
    ).rejects.toMatchObject({ name: 'InternalFailure', $metadata: { httpStatusCode: 500 } });
    expect(aws.seen).toHaveLength(3);
  });
});
