import { appendFile, mkdir } from 'node:fs/promises';
import type { IncomingMessage, Server } from 'node:http';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { StepFunctionsError, type LocalStepFunctions } from './engine.js';
import { localServer } from './server.js';

/**
 * The AWS JSON-protocol calls the handlers make, served on one local port
 * that the SDK reaches through AWS_ENDPOINT_URL_SFN and _EVENTBRIDGE: Step
 * Functions (start, task success/failure/heartbeat), EventBridge PutEvents
 * (to the outbox). The same port stands in for the AWS Parameters and
 * Secrets Lambda Extension (PARAMETERS_SECRETS_EXTENSION_HTTP_PORT), which
 * serves the functions their secrets in AWS.
 */
export interface AwsEndpointOptions {
  engine: LocalStepFunctions;
  outboxDir: string;
  secrets: Record<string, string>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The secrets route of the AWS Parameters and Secrets Lambda Extension, as
 * functions/adapters/secrets.ts calls it: `GET /secretsmanager/get?secretId=`
 * with the function's session token in X-Aws-Parameters-Secrets-Token
 * (refused without it, 401), answered with GetSecretValue's fields, or 400
 * for a secret it cannot find.
 */
export function secretsExtensionAnswer(
  req: IncomingMessage,
  secrets: Record<string, string>,
): { status: number; body: unknown } {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname !== '/secretsmanager/get') return { status: 404, body: { message: 'not served locally' } };
  if (req.headers['x-aws-parameters-secrets-token'] !== (process.env.AWS_SESSION_TOKEN ?? ''))
    return { status: 401, body: { message: 'the session token header is missing or wrong' } };
  const id = url.searchParams.get('secretId') ?? '';
  const value = secrets[id];
  if (value === undefined)
    return { status: 400, body: { message: 'ResourceNotFoundException: the secret could not be found' } };
  return {
    status: 200,
    body: {
      ARN: `arn:aws:secretsmanager:eu-west-2:000000000000:secret:${id}`,
      Name: id,
      SecretString: value,
      VersionId: 'local',
    },
  };
}

type Op = (body: Record<string, unknown>) => Promise<unknown> | unknown;

export async function startAwsEndpoint(
  opts: AwsEndpointOptions,
  port = 0,
): Promise<{ url: string; close: () => Promise<void> }> {
  const { engine } = opts;
  const ops: Record<string, Op> = {
    'AWSStepFunctions.StartExecution': async (b) => {
      const name = String(b.name ?? randomUUID());
      const r = engine.startExecution(name, JSON.parse(String(b.input ?? '{}')));
      // Answered once the execution is on disk: a kill after the answer never loses it.
      await engine.persisted();
      return { executionArn: r.arn, startDate: Date.parse(r.startDate) / 1000 };
    },
    'AWSStepFunctions.SendTaskSuccess': (b) => {
      engine.sendTaskSuccess(String(b.taskToken), String(b.output));
      return {};
    },
    'AWSStepFunctions.SendTaskFailure': (b) => {
      engine.sendTaskFailure(String(b.taskToken), b.error as string, b.cause as string);
      return {};
    },
    'AWSStepFunctions.SendTaskHeartbeat': (b) => {
      engine.sendTaskHeartbeat(String(b.taskToken));
      return {};
    },
    'AWSStepFunctions.StopExecution': async (b) => {
      const name = String(b.executionArn).split(':').at(-1)!;
      engine.stopExecution(name);
      await engine.persisted();
      return { stopDate: Date.now() / 1000 };
    },
    'AWSStepFunctions.DescribeExecution': (b) => {
      const name = String(b.executionArn).split(':').at(-1)!;
      const r = engine.describe(name);
      if (!r) throw new StepFunctionsError('ExecutionDoesNotExist', 'no such execution');
      return {
        executionArn: r.arn,
        name: r.name,
        status: r.status === 'SUPERSEDED' ? 'ABORTED' : r.status,
        startDate: Date.parse(r.startDate) / 1000,
        input: JSON.stringify(r.input),
      };
    },
    'AWSEvents.PutEvents': async (b) => {
      const entries = (b.Entries as Record<string, unknown>[]) ?? [];
      await mkdir(opts.outboxDir, { recursive: true });
      const lines = entries.map((e) =>
        JSON.stringify({
          id: randomUUID(),
          bus: e.EventBusName,
          source: e.Source,
          detailType: e.DetailType,
          detail: JSON.parse(String(e.Detail)),
          at: new Date().toISOString(),
        }),
      );
      await appendFile(join(opts.outboxDir, 'events.jsonl'), lines.map((l) => `${l}\n`).join(''));
      return { FailedEntryCount: 0, Entries: entries.map(() => ({ EventId: randomUUID() })) };
    },
  };
  const server: Server = localServer(async (req, res) => {
    if (req.method === 'GET') {
      const { status, body } = secretsExtensionAnswer(req, opts.secrets);
      res.writeHead(status, { 'content-type': 'application/json' });
      return res.end(JSON.stringify(body));
    }
    const target = String(req.headers['x-amz-target'] ?? '');
    const reply = (status: number, body: unknown, type?: string) => {
      res.writeHead(status, {
        'content-type': 'application/x-amz-json-1.0',
        ...(type ? { 'x-amzn-errortype': type } : {}),
      });
      res.end(JSON.stringify(body));
    };
    try {
      const op = ops[target];
      if (!op)
        return reply(
          400,
          { __type: 'UnknownOperationException', message: `not served locally: ${target}` },
          'UnknownOperationException',
        );
      const text = await readBody(req);
      reply(200, await op(text ? JSON.parse(text) : {}));
    } catch (e) {
      const code = e instanceof StepFunctionsError ? e.code : 'InternalFailure';
      reply(e instanceof StepFunctionsError ? 400 : 500, { __type: code, message: (e as Error).message }, code);
    }
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
