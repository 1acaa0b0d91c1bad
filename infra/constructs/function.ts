import { join } from 'node:path';
import { Duration, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { PROJECT_ROOT } from '../project.js';

export type FunctionKind = 'api' | 'workflow' | 'scheduled';

/** Each handler is functions/handlers/<kind>/<name>.ts and exports `handler`. */
export const handlerEntry = (kind: FunctionKind, name: string) =>
  join(PROJECT_ROOT, 'functions', 'handlers', kind, `${name}.ts`);

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
export class RightToKnowFunction extends NodejsFunction {
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

    super(scope, id, {
      entry: handlerEntry(props.kind, props.name),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      description: props.description ?? `${props.kind}: ${props.name}`,
      ...(props.deadLetterQueue ? { deadLetterQueue: props.deadLetterQueue } : {}),
      runtime: FUNCTION_DEFAULTS.runtime,
      architecture: FUNCTION_DEFAULTS.architecture,
      memorySize: FUNCTION_DEFAULTS.memorySize,
      timeout: FUNCTION_DEFAULTS.timeout,
      tracing: Tracing.ACTIVE,
      role,
      logGroup: logs,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'right-to-know',
        ...props.environment,
      },
      bundling: {
        // Never Docker: the project's own esbuild (a devDependency) bundles, the same one the local stack's tooling uses.
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: 'node20',
        mainFields: ['module', 'main'],
        // ESM bundles of CommonJS dependencies call require(); without this they fail at run time with "Dynamic require of ... is not supported".
        banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
        sourceMap: true,
        minify: true,
        // Bundle the AWS SDK v3 too: the versions we test are the versions we run, not the runtime's copy.
        externalModules: [],
      },
    });
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
