import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  errorName,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  stepFunctions,
} from '../../functions/adapters/clients/sfn.js';

/**
 * The Step Functions client (one signed POST an operation, in place of the
 * SDK's client) against a server that records what it is sent and answers
 * as it is told, one answer a request.
 */
interface Seen {
  headers: IncomingMessage['headers'];
  body: string;
}
let server: Server;
let seen: Seen[] = [];
let answers: { status: number; body: string; headers?: Record<string, string> }[] = [];
const saved = { ...process.env };

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    seen.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
    const answer = answers.shift() ?? { status: 500, body: '{}' };
    res.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.0', ...answer.headers });
    res.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  Object.assign(process.env, {
    AWS_REGION: 'eu-west-2',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'secret',
    AWS_SESSION_TOKEN: 'session',
    AWS_ENDPOINT_URL_SFN: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
  });
});
afterAll(async () => {
  process.env = saved;
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  seen = [];
  answers = [];
});

describe('the Step Functions client', () => {
  it("sends an operation as the SDK does: JSON 1.0, its target, signed for the service with the function's credentials", async () => {
    answers.push({ status: 200, body: '{"executionArn":"arn:aws:states:eu-west-2:1:execution:m:e","startDate":1}' });
    const out = await stepFunctions().send(
      new StartExecutionCommand({
        stateMachineArn: 'arn:aws:states:eu-west-2:1:stateMachine:m',
        name: 'e',
        input: '{}',
      }),
    );
    expect(out.executionArn).toBe('arn:aws:states:eu-west-2:1:execution:m:e');
    const [{ headers, body }] = seen as [Seen];
    expect(headers['x-amz-target']).toBe('AWSStepFunctions.StartExecution');
    expect(headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(headers['x-amz-security-token']).toBe('session');
    expect(headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-2\/states\/aws4_request, SignedHeaders=\S*host\S*x-amz-target\S*, Signature=[0-9a-f]{64}$/,
    );
    expect(JSON.parse(body)).toEqual({
      stateMachineArn: 'arn:aws:states:eu-west-2:1:stateMachine:m',
      name: 'e',
      input: '{}',
    });
  });

  it('gives a refusal the name the SDK gives it, and does not try it again', async () => {
    answers.push({
      status: 400,
      body: '{"__type":"com.amazonaws.swf.service.v2.model#TaskTimedOut","message":"late"}',
    });
    const refusal = await stepFunctions()
      .send(new SendTaskSuccessCommand({ taskToken: 't', output: '{}' }))
      .catch((e: unknown) => e);
    expect(refusal).toMatchObject({ name: 'TaskTimedOut', message: 'late', $metadata: { httpStatusCode: 400 } });
    expect(seen).toHaveLength(1);
    expect(errorName('ExecutionAlreadyExists:detail')).toBe('ExecutionAlreadyExists');
  });

  it('tries a transient failure again, up to three attempts', async () => {
    answers.push({ status: 503, body: 'busy' }, { status: 200, body: '{}' });
    await expect(stepFunctions().send(new SendTaskSuccessCommand({ taskToken: 't', output: '{}' }))).resolves.toEqual(
      {},
    );
    expect(seen).toHaveLength(2);
    seen = [];
    answers.push(
      { status: 500, body: '{}' },
      { status: 500, body: '{}' },
      { status: 500, body: '{"__type":"InternalFailure"}' },
    );
    await expect(
      stepFunctions().send(new SendTaskSuccessCommand({ taskToken: 't', output: '{}' })),
    ).rejects.toMatchObject({ name: 'InternalFailure', $metadata: { httpStatusCode: 500 } });
    expect(seen).toHaveLength(3);
  });
});
