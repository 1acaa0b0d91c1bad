import './polyfill.js';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { fork } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { tableReady } from './table-ready.js';
import {
  CreateTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { logger } from '#powertools';
import type { LocalTableDefinition } from '../infra/local-tables.js';
import { LOCAL_TABLES_VARIABLE } from './tables-variable.js';
import { LocalIdentity, seededPeople } from './auth.js';
import { startAwsEndpoint } from './aws-endpoint.js';
import { LocalStepFunctions, STATE_MACHINE_ARN, type ExecutionRecord } from './engine.js';
import { startHttpApi } from './http-api.js';
import { lambdaContext, loadHandler } from './handlers.js';
import { FaultSeam, startStoreProxy, type FaultOptions } from './faults.js';
import { startNotifyStandIn, type NotifyStandIn } from './notify-standin.js';
import { METRICS_NAMESPACE, METRICS_SERVICE } from '../functions/domain/monitoring.js';
import {
  AUDIT_DIGEST_KEY_SECRET_ID,
  CURSOR_KEY_SECRET_ID,
  localAuditDigestKey,
  localCursorKey,
  localNotifyCallbackSecret,
  localTaskTokenKey,
  NOTIFY_CALLBACK_SECRET_ID,
  TASK_TOKEN_KEY_SECRET_ID,
} from './task-token-key.js';

/**
 * The whole product on one machine: dynalite, s3rver, the local Step
 * Functions engine with its AWS endpoint, the Notify stand-in writing the
 * outbox, and the HTTP API, all on 127.0.0.1 with data under one folder.
 * Handlers find each service through the SDK's standard endpoint variables.
 */
export interface StackOptions {
  dataDir?: string;
  port?: number;
  timeScale?: number;
  quiet?: boolean;
  log?: (line: string) => void;
  /**
   * Ports for the services behind the API (0, the default, is any free one).
   * A stack restarted inside one process reuses its ports: the SDK clients
   * that process made keep their endpoints, as they would across a restart
   * with the same configuration.
   */
  servicePorts?: { dynamodb?: number; s3?: number; stepFunctions?: number; notify?: number };
  /** Workflow settings to bind as given (seconds, already scaled), e.g. { ExecutionHandoverSeconds: '1' }. */
  settings?: Record<string, string>;
  /** Continue the cases that were mid-flight (default); tools that only read the data turn it off. */
  resume?: boolean;
  /**
   * The fault-injection seam (local/faults.ts): off by default. With it, every
   * handler invocation passes through it and the store sits behind a proxy that
   * can throttle; rules can be given now or added on `stack.faults` later.
   */
  faults?: FaultOptions | true;
}

export interface RunningStack {
  apiUrl: string;
  dataDir: string;
  outboxDir: string;
  engine: LocalStepFunctions;
  identity: LocalIdentity;
  endpoints: Record<string, string>;
  resumed: string[];
  /** The GOV.UK Notify stand-in: tests make it fail or drop answers. */
  notify: NotifyStandIn;
  /** The bearer token Notify's receipts carry to POST /callbacks/notify (this data folder's own). */
  notifyCallbackSecret: string;
  /** Requests the HTTP API has served (each one a Lambda invocation in AWS). */
  apiRequests: { count: number };
  /** The fault-injection seam, when the stack was started with `faults`. */
  faults?: FaultSeam;
  /** The store process's resident memory and the LevelDB iterators it holds open. */
  storeStats: () => Promise<StoreStats>;
  stop: () => Promise<void>;
}

export interface StoreStats {
  openIterators: number;
  rss: number;
  /** CPU time (user + system) the store process has used since it started, in ms. */
  cpuMs: number;
}

const LOCAL_NOTIFY = {
  serviceId: '6b1f2c1e-4c55-4d8f-9a57-1c1b7f5e2a10',
  secret: '0f6e8a6b-2d0c-4d67-8d1e-3b2f5a7c9e41',
};
export const LOCAL_SMS_TEMPLATE_ID = '3c9f1a52-7e3b-4a36-9b0d-6f2a8c1e5d74';

export async function startDynalite(
  path: string,
  port = 0,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ url: string; stats: () => Promise<StoreStats>; close: () => Promise<void> }> {
  // Its own process (local/dynalite-process.cjs): the store's work runs beside the handlers', not between them.
  const child = fork(fileURLToPath(new URL('./dynalite-process.cjs', import.meta.url)), [path, String(port)], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    env,
  });
  const bound = await new Promise<number>((resolve, reject) => {
    child.once('message', (m: { port: number }) => resolve(m.port));
    child.once('exit', (code) => reject(new Error(`dynalite exited with ${code} before it listened`)));
  });
  child.removeAllListeners('exit');
  return {
    url: `http://127.0.0.1:${bound}`,
    stats: () =>
      new Promise((resolve) => {
        const answer = (m: { stats?: StoreStats }) => {
          if (!m.stats) return;
          child.off('message', answer);
          resolve(m.stats);
        };
        child.on('message', answer);
        child.send({ stats: true });
      }),
    close: () =>
      new Promise((r) => {
        if (child.exitCode !== null) return r();
        child.once('exit', () => r());
        child.kill('SIGTERM');
      }),
  };
}

async function startS3(directory: string, port = 0): Promise<{ url: string; close: () => Promise<void> }> {
  const { default: S3rver } = (await import('s3rver')) as {
    default: new (o: object) => { run: () => Promise<{ port: number }>; close: () => Promise<void> };
  };
  const s3 = new S3rver({ port, address: '127.0.0.1', directory, silent: true });
  const { port: bound } = await s3.run();
  return { url: `http://127.0.0.1:${bound}`, close: () => s3.close() };
}

/** The event EventBridge delivers when an execution fails, to the function AWS runs on it. */
async function deliverExecutionFailure(record: ExecutionRecord): Promise<unknown> {
  const handler = await loadHandler('events', 'executionFailed');
  const event = {
    source: 'aws.states',
    'detail-type': 'Step Functions Execution Status Change',
    detail: {
      executionArn: record.arn,
      stateMachineArn: STATE_MACHINE_ARN,
      name: record.name,
      status: 'FAILED',
      input: JSON.stringify(record.input),
      error: record.error ?? null,
    },
  };
  return handler(event, lambdaContext('executionFailed'));
}

/**
 * The tables as the data stack defines them (infra/local-tables.ts reads them from its synthesized template).
 * Synthesizing costs about two CPU-seconds and the CDK's import as much again: a test run names a file in
 * RTK_LOCAL_TABLES (test/support/global-setup.ts), the first stack to need the tables derives them and writes it,
 * and the forty stacks after it read it. `npm start` and the benches derive them at start.
 */
async function tableDefinitions(): Promise<LocalTableDefinition[]> {
  const file = process.env[LOCAL_TABLES_VARIABLE];
  if (file && existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as LocalTableDefinition[];
  const derived = (await import('../infra/local-tables.js')).localTableDefinitions();
  if (file) {
    // Written whole or not at all: another stack starting now reads either nothing or all of it.
    const partial = `${file}.${process.pid}`;
    await writeFile(partial, JSON.stringify(derived));
    await rename(partial, file);
  }
  return derived;
}

export async function startStack(options: StackOptions = {}): Promise<RunningStack> {
  const dataDir = resolve(options.dataDir ?? '.data');
  const outboxDir = join(dataDir, 'outbox');
  const log = options.log ?? (() => undefined);
  for (const d of ['dynamo', 's3', 'outbox/letters']) await mkdir(join(dataDir, d), { recursive: true });

  const ports = options.servicePorts ?? {};
  const faults = options.faults ? new FaultSeam(options.faults === true ? {} : options.faults) : undefined;
  const dynalite = await startDynalite(join(dataDir, 'dynamo'), faults ? 0 : ports.dynamodb);
  // With faults on, the handlers reach the store through the throttling proxy (on the port a restart reuses).
  const proxy = faults ? await startStoreProxy(dynalite.url, faults, ports.dynamodb) : undefined;
  const dynamo = proxy
    ? {
        url: proxy.url,
        close: async () => {
          await proxy.close();
          await dynalite.close();
        },
      }
    : dynalite;
  const s3 = await startS3(join(dataDir, 's3'), ports.s3);
  const notify = await startNotifyStandIn({
    port: ports.notify ?? 0,
    outboxDir,
    serviceId: LOCAL_NOTIFY.serviceId,
    secret: LOCAL_NOTIFY.secret,
    smsTemplateId: LOCAL_SMS_TEMPLATE_ID,
  });

  Object.assign(process.env, {
    AWS_REGION: 'eu-west-2',
    // s3rver's fixed credentials; the other local services accept any.
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    AWS_S3_FORCE_PATH_STYLE: 'true',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.url,
    AWS_ENDPOINT_URL_S3: s3.url,
    CASES_TABLE: 'cases',
    AUDIT_TABLE: 'audit',
    CONSULTATIONS_TABLE: 'consultations',
    IDEMPOTENCY_TABLE: 'idempotency',
    DOCUMENTS_BUCKET: 'documents',
    AUDIT_DIGEST_BUCKET: 'audit-digests',
    STATE_MACHINE_ARN,
    EVENT_BUS_NAME: 'right-to-know',
    NOTIFY_BASE_URL: notify.url,
    NOTIFY_API_KEY_SECRET_ID: 'right-to-know/notify-api-key',
    NOTIFY_CALLBACK_SECRET_ID,
    NOTIFY_SMS_TEMPLATE_ID: LOCAL_SMS_TEMPLATE_ID,
    TASK_TOKEN_KEY_SECRET_ID,
    AUDIT_DIGEST_KEY_SECRET_ID,
    CURSOR_KEY_SECRET_ID,
    // The directory of people the user pool is in AWS (functions/adapters/people.ts).
    LOCAL_PEOPLE: JSON.stringify(seededPeople()),
    POWERTOOLS_SERVICE_NAME: METRICS_SERVICE,
    POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
    POWERTOOLS_DEV: 'false',
  });
  process.env.POWERTOOLS_LOG_LEVEL ??= options.quiet === false ? 'INFO' : 'WARN';
  // The business figures' metric lines (functions/adapters/figures.ts) are printed as the logs are: not when quiet.
  process.env.POWERTOOLS_METRICS_DISABLED ??= options.quiet === false ? 'false' : 'true';
  // The logger may already exist (modules shared with this file): give it the level too.
  logger.setLogLevel(process.env.POWERTOOLS_LOG_LEVEL as 'INFO');

  const ddb = new DynamoDBClient({ endpoint: dynamo.url });
  const existing = new Set((await ddb.send(new ListTablesCommand({}))).TableNames ?? []);
  for (const { input, ttlAttribute } of await tableDefinitions()) {
    if (existing.has(input.TableName!)) continue;
    await ddb.send(new CreateTableCommand(input));
    await tableReady(ddb, input.TableName!);
    if (ttlAttribute)
      await ddb
        .send(
          new UpdateTimeToLiveCommand({
            TableName: input.TableName,
            TimeToLiveSpecification: { AttributeName: ttlAttribute, Enabled: true },
          }),
        )
        .catch(() => undefined);
  }
  const s3client = new S3Client({ endpoint: s3.url, forcePathStyle: true });
  for (const Bucket of ['documents', 'audit-digests'])
    await s3client.send(new CreateBucketCommand({ Bucket })).catch((e: { name?: string }) => {
      if (e.name !== 'BucketAlreadyOwnedByYou' && e.name !== 'BucketAlreadyExists') throw e;
    });

  // Generated per data folder, as Secrets Manager generates it in AWS: never a value the repository holds.
  const notifyCallbackSecret = localNotifyCallbackSecret(dataDir);
  const engine = new LocalStepFunctions({
    stateFile: join(dataDir, 'executions.json'),
    timeScale: options.timeScale ?? 1,
    ...(options.settings ? { settings: options.settings } : {}),
    onError: (execution, error) => {
      log(`workflow ${execution} failed: ${error}`);
      // As EventBridge delivers the execution's status change in AWS: the dead-letter path opens a fault for a supervisor.
      const record = engine.describe(execution);
      if (record)
        void deliverExecutionFailure(record).catch((e: Error) => log(`execution failure not recorded: ${e.name}`));
    },
    onTimeout: (fn, state, caseId) =>
      log(
        `workflow step ${state} (${fn}) ran past the function's timeout${caseId ? ` for case ${caseId}` : ''}: failed as Sandbox.Timedout, and retried`,
      ),
    ...(faults ? { faults } : {}),
  });
  const aws = await startAwsEndpoint(
    {
      engine,
      outboxDir,
      secrets: {
        'right-to-know/notify-api-key': notify.apiKey,
        [NOTIFY_CALLBACK_SECRET_ID]: notifyCallbackSecret,
        [TASK_TOKEN_KEY_SECRET_ID]: localTaskTokenKey(dataDir),
        [AUDIT_DIGEST_KEY_SECRET_ID]: localAuditDigestKey(dataDir),
        [CURSOR_KEY_SECRET_ID]: localCursorKey(dataDir),
      },
    },
    ports.stepFunctions,
  );
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_SFN: aws.url,
    AWS_ENDPOINT_URL_EVENTBRIDGE: aws.url,
    PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: new URL(aws.url).port,
  });

  const identity = new LocalIdentity(join(dataDir, 'local-signing-key.pem'));
  const apiRequests = { count: 0 };
  const api = await startHttpApi({
    identity,
    port: options.port ?? 3000,
    onRequest: () => (apiRequests.count += 1),
    ...(faults ? { faults } : {}),
  });

  // Notify calls back with its delivery receipts, as it is configured to in AWS.
  notify.sendReceiptsTo(`${api.url}/callbacks/notify`, notifyCallbackSecret);

  const { getCase } = await import('../functions/adapters/case.js');
  const resumed =
    options.resume === false ? [] : await engine.resumeRunning(async (caseId) => (await getCase(caseId))?.stage);
  if (resumed.length) log(`resumed ${resumed.length} case(s) from their stage`);

  // The daily audit digest, as the EventBridge schedule runs it in AWS: at start, then once a (scaled) day.
  const runDigest = (h: Awaited<ReturnType<typeof loadHandler>>) => () => h({}, lambdaContext('auditDigest'));
  const digest = () =>
    loadHandler('scheduled', 'auditDigest')
      .then((h) =>
        faults ? faults.around({ kind: 'scheduled', handler: 'auditDigest' }, runDigest(h)) : runDigest(h)(),
      )
      .catch((e: Error) => log(`audit digest failed: ${e.name}`));
  if (options.resume !== false) await digest();
  // The digest's day is the calendar's, which the time scale does not compress: at ×43,200 a scaled day is 2 s, and
  // digesting the same calendar day every 2 s only repeats the work. At most once a minute, then.
  const digestTimer = setInterval(digest, Math.max(60_000, (86_400 * 1000) / (options.timeScale ?? 1)));
  digestTimer.unref();
  // Tools (npm run audit:verify) reach this running stack's stores through the same variables the handlers use.
  const variables = Object.fromEntries(
    Object.entries(process.env).filter(([k]) =>
      /^(AWS_|CASES_TABLE|AUDIT_TABLE|CONSULTATIONS_TABLE|IDEMPOTENCY_TABLE|DOCUMENTS_BUCKET|AUDIT_DIGEST_BUCKET|AUDIT_DIGEST_KEY_SECRET_ID)/.test(
        k,
      ),
    ),
  );
  await writeFile(
    join(dataDir, 'endpoints.json'),
    JSON.stringify({ pid: process.pid, apiUrl: api.url, variables }, null, 1),
  );

  return {
    apiUrl: api.url,
    dataDir,
    outboxDir,
    engine,
    identity,
    endpoints: { dynamodb: dynamo.url, s3: s3.url, stepFunctions: aws.url, notify: notify.url },
    resumed,
    notify,
    notifyCallbackSecret,
    apiRequests,
    ...(faults ? { faults } : {}),
    storeStats: dynalite.stats,
    stop: async () => {
      clearInterval(digestTimer);
      await rm(join(dataDir, 'endpoints.json'), { force: true });
      await api.close();
      await engine.stop();
      await aws.close();
      await notify.close();
      await s3.close();
      await dynamo.close();
    },
  };
}
