import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BundlingOptions, DockerImage, Duration, type ILocalBundling, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import {
  Architecture,
  Code,
  Function as LambdaFunction,
  type ILayerVersion,
  LayerVersion,
  ParamsAndSecretsLayerVersion,
  ParamsAndSecretsLogLevel,
  ParamsAndSecretsVersions,
  Runtime,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { AssetHashType } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { METRICS_NAMESPACE, METRICS_SERVICE } from '../../functions/domain/monitoring.js';
import { PROJECT_ROOT } from '../project.js';
import { type HandlerKind, handlerEntry, POWERTOOLS_LAYER_DIR } from './bundling.js';

export type FunctionKind = HandlerKind;
export { handlerEntry };

let bundlesDir: string | undefined;

/** Every handler bundled once per process (one esbuild call in a child process), into a folder removed at exit. */
function bundledHandlers(): string {
  if (bundlesDir) return bundlesDir;
  const dir = mkdtempSync(join(tmpdir(), 'right-to-know-bundles-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(PROJECT_ROOT, 'infra', 'constructs', 'bundle-cli.ts'), dir],
    { cwd: PROJECT_ROOT, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(`bundling the handlers failed: ${run.stderr || run.error?.message}`);
  bundlesDir = dir;
  return dir;
}

/**
 * A handler's code: bundled by the project's esbuild with the options of
 * bundling.ts (the ones the bundle test and the bench use), never in Docker.
 * The handler's name is a field so that the asset cache tells one
 * function's bundle from another's.
 */
class HandlerBundling implements BundlingOptions {
  readonly image = DockerImage.fromRegistry('never-used-bundling-is-local');
  readonly local: ILocalBundling;
  constructor(readonly handler: string) {
    this.local = {
      tryBundle(outputDir) {
        const built = join(bundledHandlers(), handler);
        if (!existsSync(join(built, 'index.mjs')))
          throw new Error(`no bundle for ${handler}: is it in functions/handlers?`);
        cpSync(built, outputDir, { recursive: true });
        return true;
      },
    };
  }
}

/** The Powertools layer's content (POWERTOOLS_MODULE in bundling.ts), built with the handlers, offline. */
class PowertoolsLayerBundling implements BundlingOptions {
  readonly image = DockerImage.fromRegistry('never-used-bundling-is-local');
  readonly local: ILocalBundling = {
    tryBundle(outputDir) {
      cpSync(join(bundledHandlers(), POWERTOOLS_LAYER_DIR), outputDir, { recursive: true });
      return true;
    },
  };
}

const POWERTOOLS_LAYER_ID = 'PowertoolsLayer';
/** The CDK context key that switches the Powertools Tracer on in every function. */
export const POWERTOOLS_TRACER_CONTEXT = 'powertoolsTracer';

/**
 * The stack's one Powertools layer (see POWERTOOLS_MODULE in bundling.ts):
 * every function of the stack takes it, so no bundle carries Powertools.
 */
function powertoolsLayer(scope: Construct): ILayerVersion {
  const stack = Stack.of(scope);
  const found = stack.node.tryFindChild(POWERTOOLS_LAYER_ID);
  if (found) return found as LayerVersion;
  const version = (
    JSON.parse(
      readFileSync(join(PROJECT_ROOT, 'node_modules', '@aws-lambda-powertools', 'logger', 'package.json'), 'utf8'),
    ) as {
      version: string;
    }
  ).version;
  return new LayerVersion(stack, POWERTOOLS_LAYER_ID, {
    code: Code.fromAsset(join(PROJECT_ROOT, 'infra'), {
      assetHashType: AssetHashType.OUTPUT,
      bundling: new PowertoolsLayerBundling(),
    }),
    compatibleRuntimes: [FUNCTION_DEFAULTS.runtime],
    compatibleArchitectures: [FUNCTION_DEFAULTS.architecture],
    description: `Powertools for AWS Lambda (TypeScript) ${version} as package-lock.json installs it, with functions/powertools.ts`,
  });
}

export const FUNCTION_DEFAULTS = {
  runtime: Runtime.NODEJS_22_X,
  architecture: Architecture.ARM_64,
  memorySize: 512,
  timeout: Duration.seconds(30),
  logRetention: RetentionDays.ONE_YEAR,
} as const;

export interface RightToKnowFunctionProps {
  kind: FunctionKind;
  /** The handler's name: a route name from functions/routes.ts or a workflow function from statemachines/bindings.ts. */
  name: string;
  /** Encrypts the function's log group. */
  encryptionKey: kms.IKey;
  environment?: Record<string, string>;
  description?: string;
  /** For a function invoked asynchronously (a schedule): where failed invocations go. */
  deadLetterQueue?: sqs.IQueue;
}

/**
 * Every Lambda of the product, with its defaults in one place. The role is
 * made here rather than by Lambda so that it carries no AWS managed policy:
 * it may write to its own log group and nothing else until a stack grants
 * it what its handler uses.
 */
export class RightToKnowFunction extends LambdaFunction {
  /** `<kind>/<name>`: which handler it runs. */
  readonly handlerName: string;
  /** The handler's entry file. */
  readonly entry: string;
  readonly serviceRole: iam.Role;
  readonly logs: LogGroup;

  constructor(scope: Construct, id: string, props: RightToKnowFunctionProps) {
    // Made in the parent scope because a subclass cannot create children before super().
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the ${props.kind} function ${props.name}`,
    });
    const logs = new LogGroup(scope, `${id}Logs`, {
      retention: FUNCTION_DEFAULTS.logRetention,
      encryptionKey: props.encryptionKey,
    });

    const entry = handlerEntry(props.kind, props.name);
    // A function given a secret's id reads it through the AWS Parameters and Secrets Lambda Extension
    // (functions/adapters/secrets.ts), a layer CDK names by version and region: no Secrets Manager client in the bundle.
    const readsSecrets = Object.keys(props.environment ?? {}).some((k) => k.endsWith('_SECRET_ID'));
    super(scope, id, {
      code: Code.fromAsset(join(PROJECT_ROOT, 'functions'), {
        assetHashType: AssetHashType.OUTPUT,
        bundling: new HandlerBundling(`${props.kind}/${props.name}`),
      }),
      handler: 'index.handler',
      description: props.description ?? `${props.kind}: ${props.name}`,
      ...(props.deadLetterQueue ? { deadLetterQueue: props.deadLetterQueue } : {}),
      runtime: FUNCTION_DEFAULTS.runtime,
      architecture: FUNCTION_DEFAULTS.architecture,
      memorySize: FUNCTION_DEFAULTS.memorySize,
      timeout: FUNCTION_DEFAULTS.timeout,
      tracing: Tracing.ACTIVE,
      layers: [powertoolsLayer(scope)],
      ...(readsSecrets
        ? {
            paramsAndSecrets: ParamsAndSecretsLayerVersion.fromVersion(ParamsAndSecretsVersions.V1_0_103, {
              logLevel: ParamsAndSecretsLogLevel.WARN,
            }),
          }
        : {}),
      role,
      logGroup: logs,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: METRICS_SERVICE,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        // The Powertools Tracer (functions/powertools.ts): off unless the app is synthesized with
        // `-c powertoolsTracer=true`, as it costs about 68 ms of CPU at every cold start (npm run bench).
        POWERTOOLS_TRACE_ENABLED: String(String(scope.node.tryGetContext(POWERTOOLS_TRACER_CONTEXT)) === 'true'),
        ...props.environment,
      },
    });
    this.handlerName = `${props.kind}/${props.name}`;
    this.entry = entry;
    this.serviceRole = role;
    this.logs = logs;

    logs.grantWrite(role);
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active tracing adds xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level permissions; every other statement names its resources.',
    });
    if (!props.deadLetterQueue)
      Validations.of(this).acknowledge({
        id: 'Serverless-LambdaDLQ',
        reason:
          'Invoked only synchronously (API Gateway, Step Functions task): a failure returns to the caller, which answers the user or retries and catches it in the workflow, so a dead-letter queue would never receive anything.',
      });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Pinned to Node.js 22 on purpose: bundles target node20 so the same code runs in the local stack, and 22 is the runtime the product is tested on; the move to a newer runtime is a one-line change in FUNCTION_DEFAULTS.',
    });
    Validations.of(this).acknowledge({
      id: 'Serverless-LambdaLatestVersion',
      reason:
        'Same decision as AwsSolutions-L1: Node.js 22 is the tested runtime; FUNCTION_DEFAULTS holds the one place to change it.',
    });
  }
}
