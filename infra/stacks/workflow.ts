import { keptSecret } from '../constructs/secret.js';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CfnParameter, Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import {
  functionSubstitutions,
  settingSubstitutions,
  WORKFLOW_FUNCTIONS,
  type WorkflowFunction,
} from '../../statemachines/bindings.js';
import { aslText } from '../../statemachines/definition.js';
import { environmentFor, grantNeeds, WORKFLOW_NEEDS, type AccessResources } from '../access.js';
import { FUNCTION_DEFAULTS, RightToKnowFunction } from '../constructs/function.js';
import { HEADS_INDEX } from '../../functions/adapters/audit.js';
import { CONSULTATIONS_INDEX } from '../../functions/adapters/consultations.js';
import {
  BANK_HOLIDAY_DAYS_LEFT_METRIC,
  METRICS_NAMESPACE,
  METRICS_SERVICE,
} from '../../functions/domain/monitoring.js';
import { policy } from '../../functions/domain/policy.js';
import type { DataStack } from './data.js';

export interface WorkflowStackProps extends StackProps {
  data: DataStack;
}

export const EVENT_BUS_NAME = 'right-to-know';

/** The disclosure workflow: statemachines/disclosure.ts as deployed, bound to one function per ${…FunctionArn} placeholder. */
export class WorkflowStack extends Stack {
  readonly auditDigest: RightToKnowFunction;
  readonly bankHolidayCheck: RightToKnowFunction;
  /** Opens a fault on a case whose execution failed (the rule on the state machine's status changes). */
  readonly executionFailed: RightToKnowFunction;
  readonly functions: Record<WorkflowFunction, RightToKnowFunction>;
  readonly stateMachine: sfn.StateMachine;
  readonly eventBus: events.EventBus;
  readonly notifyApiKey: secretsmanager.Secret;
  readonly notifyCallbackToken: secretsmanager.Secret;
  /** The key material task tokens are sealed with at rest (functions/adapters/tokenCipher.ts). */
  readonly taskTokenKey: secretsmanager.Secret;
  readonly notifySmsTemplateId: CfnParameter;

  constructor(scope: Construct, id: string, props: WorkflowStackProps) {
    super(scope, id, props);
    const { data } = props;

    this.eventBus = new events.EventBus(this, 'Bus', {
      eventBusName: EVENT_BUS_NAME,
      description: 'Arrest taskings and case events out to force systems',
    });

    this.notifyApiKey = keptSecret(this, 'NotifyApiKey', {
      description: 'GOV.UK Notify API key: replace the generated value with the key issued by Notify',
      key: data.key,
      generated: false,
      notRotatedBecause:
        'GOV.UK Notify issues API keys in its own admin console and has no API to create one, so no rotation function can rotate it; keys are rotated by hand under the force key-management procedure.',
    });
    this.notifyCallbackToken = keptSecret(this, 'NotifyCallbackToken', {
      description:
        'Bearer token GOV.UK Notify presents on delivery-receipt callbacks; copy it into the Notify service settings',
      key: data.key,
      generated: true,
      notRotatedBecause:
        'The same token must be entered in the GOV.UK Notify console, which has no API; an automatic rotation would break delivery receipts until someone copied it, so it is rotated by hand in both places together.',
    });

    this.taskTokenKey = keptSecret(this, 'TaskTokenKey', {
      description:
        'Key material (through HKDF-SHA256) for sealing Step Functions task tokens at rest in the cases table',
      key: data.key,
      generated: true,
      notRotatedBecause:
        'A rotation would leave the tokens of every waiting execution (up to a year) unreadable, and those cases stuck; the key changes by hand between releases, once no execution waits on a token sealed with it.',
    });

    this.notifySmsTemplateId = new CfnParameter(this, 'NotifySmsTemplateId', {
      type: 'String',
      description: 'Id of the GOV.UK Notify SMS template the victim messages use',
      allowedPattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
    });

    const resources: AccessResources = {
      key: data.key,
      casesTable: data.casesTable,
      auditTable: data.auditTable,
      auditDigestKey: data.auditDigestKey,
      idempotencyTable: data.idempotencyTable,
      documents: { bucket: data.documentsBucket, read: data.lettersReadPolicy, write: data.lettersWritePolicy },
      eventBus: this.eventBus,
      notifyApiKey: this.notifyApiKey,
      taskTokenKey: this.taskTokenKey,
      notifySmsTemplateId: this.notifySmsTemplateId.valueAsString,
      signalGrant: 'detached',
    };

    const functions = {} as Record<WorkflowFunction, RightToKnowFunction>;
    for (const name of WORKFLOW_FUNCTIONS) {
      const needs = WORKFLOW_NEEDS[name];
      const fn = new RightToKnowFunction(this, fnId(name), {
        kind: 'workflow',
        name,
        encryptionKey: data.key,
        environment: environmentFor(needs, resources, this),
      });
      grantNeeds(
        fn,
        needs.filter((n) => n !== 'workflow:signal' && n !== 'workflow:continue'),
        resources,
      );
      functions[name] = fn;
    }
    this.functions = functions;

    // The daily audit digest: every chain's head, hashed into the Object Lock bucket (issue 5).
    const digestFailures = scheduleDeadLetters(this, 'AuditDigestFailures', data, 'the audit digest function');
    this.auditDigest = new RightToKnowFunction(this, 'AuditDigestFunction', {
      kind: 'scheduled',
      name: 'auditDigest',
      encryptionKey: data.key,
      deadLetterQueue: digestFailures,
      environment: {
        AUDIT_TABLE: data.auditTable.tableName,
        CONSULTATIONS_TABLE: data.consultationsTable.tableName,
        AUDIT_DIGEST_BUCKET: data.auditDigestBucket.bucketName,
      },
    });
    // The heads that moved since the last digest, and the consultations recorded since, from their indexes: never a
    // scan of the entries.
    this.auditDigest.serviceRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [
          `${data.auditTable.tableArn}/index/${HEADS_INDEX}`,
          `${data.consultationsTable.tableArn}/index/${CONSULTATIONS_INDEX}`,
        ],
      }),
    );
    this.auditDigest.serviceRole.addManagedPolicy(data.digestsWritePolicy);
    this.auditDigest.serviceRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [data.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${this.region}.amazonaws.com` } },
      }),
    );
    new events.Rule(this, 'DailyAuditDigest', {
      description: 'Hash the head of every audit chain into the day’s digest',
      schedule: events.Schedule.cron({ minute: '50', hour: '23' }),
      targets: [new targets.LambdaFunction(this.auditDigest, { deadLetterQueue: digestFailures, retryAttempts: 4 })],
    });

    // The bank holidays listed (functions/domain/bankHolidays.ts) run out: a daily look, a metric, and an alarm
    // policy.bankHolidayWarningDays before a working-day deadline would reach past them (docs/deployment.md).
    const checkFailures = scheduleDeadLetters(this, 'BankHolidayCheckFailures', data, 'the bank holiday check');
    this.bankHolidayCheck = new RightToKnowFunction(this, 'BankHolidayCheckFunction', {
      kind: 'scheduled',
      name: 'bankHolidayCheck',
      encryptionKey: data.key,
      deadLetterQueue: checkFailures,
    });
    new events.Rule(this, 'DailyBankHolidayCheck', {
      description: 'Publish how many days the bank holidays listed have left',
      schedule: events.Schedule.cron({ minute: '0', hour: '6' }),
      targets: [
        new targets.LambdaFunction(this.bankHolidayCheck, { deadLetterQueue: checkFailures, retryAttempts: 4 }),
      ],
    });
    new cloudwatch.Alarm(this, 'BankHolidaysEnding', {
      alarmDescription: `The bank holidays listed end within ${policy.bankHolidayWarningDays} days (or have ended, or the daily check stopped): add the next year from GOV.UK's list to functions/domain/bankHolidays.ts and deploy, before a working-day deadline reaches past it and fails`,
      metric: new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName: BANK_HOLIDAY_DAYS_LEFT_METRIC,
        dimensionsMap: { service: METRICS_SERVICE },
        statistic: 'Minimum',
        period: Duration.days(1),
      }),
      threshold: policy.bankHolidayWarningDays,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      // A day with no figure means the check did not run: nobody would know the table had run out.
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });

    const logs = new LogGroup(this, 'StateMachineLogs', {
      retention: FUNCTION_DEFAULTS.logRetention,
      encryptionKey: data.key,
    });
    this.stateMachine = new sfn.StateMachine(this, 'Disclosure', {
      // Named: CDK scopes the role's use of the key to this ARN (kms:EncryptionContext:aws:states:stateMachineArn), which needs the name up front.
      stateMachineName: `${this.stackName}-Disclosure`,
      stateMachineType: sfn.StateMachineType.STANDARD,
      comment: 'Stalking right-to-know disclosure: one execution per case (a case may continue in a fresh one)',
      definitionBody: sfn.DefinitionBody.fromFile(definitionFile()),
      definitionSubstitutions: {
        ...functionSubstitutions((name) => functions[name].functionArn),
        ...settingSubstitutions(),
      },
      // Execution data stays out of the logs: it holds task tokens, and logs carry ids only.
      logs: { destination: logs, level: sfn.LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
      encryptionConfiguration: new sfn.CustomerManagedEncryptionConfiguration(data.key),
    });
    // One statement naming each function, rather than grantInvoke's function and function:* pairs.
    this.stateMachine.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: WORKFLOW_FUNCTIONS.map((name) => functions[name].functionArn),
      }),
    );
    Validations.of(this.stateMachine.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Log delivery (logs:CreateLogDelivery, logs:DescribeResourcePolicies, …) and X-Ray (xray:PutTraceSegments, xray:GetSamplingRules, …) support no resource-level permissions; the Lambda and KMS statements name their resources.',
    });

    // The dead-letter path for what no Catch in the ASL can take (a States.Runtime error, a fault wait that
    // itself failed, a timed-out execution): EventBridge delivers the execution's status change to
    // executionFailed, which opens a fault on the case for a supervisor (GET /faults). A delivery that
    // function cannot take, after EventBridge's and Lambda's retries, lands in a queue with an alarm on it.
    const executionFailures = new sqs.Queue(this, 'ExecutionFailureDeadLetters', {
      encryptionMasterKey: data.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(executionFailures).acknowledge({
      id: 'Serverless-SQSRedrivePolicy',
      reason:
        'This queue is itself the dead-letter queue of the execution-failure rule and function: nothing reads from it to fail again; its alarm calls a person.',
    });
    const executionFailedNeeds = ['cases:write', 'audit:append'] as const;
    this.executionFailed = new RightToKnowFunction(this, 'ExecutionFailedFunction', {
      kind: 'events',
      name: 'executionFailed',
      encryptionKey: data.key,
      deadLetterQueue: executionFailures,
      environment: environmentFor(executionFailedNeeds, resources, this),
    });
    grantNeeds(this.executionFailed, executionFailedNeeds, resources);
    new events.Rule(this, 'ExecutionFailed', {
      description: 'A disclosure execution failed or timed out: open a fault on its case for a supervisor',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: { stateMachineArn: [this.stateMachine.stateMachineArn], status: ['FAILED', 'TIMED_OUT'] },
      },
      targets: [
        new targets.LambdaFunction(this.executionFailed, {
          deadLetterQueue: executionFailures,
          retryAttempts: 8,
          maxEventAge: Duration.hours(24),
        }),
      ],
    });
    new cloudwatch.Alarm(this, 'ExecutionFailuresUndelivered', {
      alarmDescription:
        'An execution failure could not be recorded as a fault: read the ExecutionFailureDeadLetters queue and open the fault by hand',
      metric: executionFailures.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    new cloudwatch.Alarm(this, 'ExecutionsFailed', {
      alarmDescription: 'A disclosure execution failed: its case has a fault waiting for a supervisor (GET /faults)',
      metric: this.stateMachine.metricFailed({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    // Granted after the state machine exists, in policies of their own (see AccessResources.signalGrant).
    const signalling = {
      ...resources,
      stateMachine: this.stateMachine,
      stateMachineName: `${this.stackName}-Disclosure`,
    };
    for (const name of WORKFLOW_FUNCTIONS) {
      const late = WORKFLOW_NEEDS[name].filter((n) => n === 'workflow:signal' || n === 'workflow:continue');
      if (late.length) grantNeeds(functions[name], late, signalling);
    }
  }
}

/** The dead-letter queue of a scheduled function and its schedule, kept 14 days, encrypted with the data key. */
function scheduleDeadLetters(scope: Construct, id: string, data: DataStack, of: string): sqs.Queue {
  const queue = new sqs.Queue(scope, id, {
    encryptionMasterKey: data.key,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(queue).acknowledge({
    id: 'Serverless-SQSRedrivePolicy',
    reason: `This queue is itself the dead-letter queue of ${of} and its schedule: nothing reads from it to fail again.`,
  });
  return queue;
}

const fnId = (name: string) => `${name[0]!.toUpperCase()}${name.slice(1)}Function`;

/**
 * The definition as deployed (statemachines/definition.ts), written to a file named by its content: CDK
 * uploads it beside the template as an asset, as it would a hand-written ASL file.
 */
function definitionFile(): string {
  const text = aslText();
  const dir = join(tmpdir(), 'right-to-know-asl');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `disclosure-${createHash('sha256').update(text).digest('hex').slice(0, 16)}.asl.json`);
  writeFileSync(path, text);
  return path;
}
