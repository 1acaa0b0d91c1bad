import { ArnFormat, Stack, Validations } from 'aws-cdk-lib';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { INDEXES } from '../functions/adapters/casesTable.js';
import type { RouteName, routes } from '../functions/routes.js';
import type { WorkflowFunction } from '../statemachines/bindings.js';
import type { RightToKnowFunction } from './constructs/function.js';

/**
 * What a handler does with the outside world, in the words of its adapters.
 * Each need brings its environment variables and its permissions, and
 * nothing else: a function gets only the needs listed for it below.
 */
export type Need =
  | 'cases:read' // GetItem, Query (table and its indexes), BatchGetItem (table)
  | 'cases:write' // and PutItem, UpdateItem, DeleteItem
  | 'audit:read' // Query, BatchGetItem (a chain's head beside its case: adapters/case.ts caseAndChainHead)
  | 'audit:append' // and PutItem (conditional on a new seq); never Update or Delete
  | 'consultations:record' // PutItem (only if absent) on the consultation log; never Update or Delete
  | 'consultations:read' // Query on the consultation log
  | 'audit:digest' // the key of the trail's keyed data digests (services/auditData.ts)
  | 'documents:read' // GetObject on letters (DataStack.lettersReadPolicy)
  | 'documents:write' // PutObject on letters (DataStack.lettersWritePolicy)
  | 'returns:write' // PutObject on raw platform and ISP returns (DataStack.returnsWritePolicy)
  | 'events:publish' // PutEvents on the bus
  | 'notify:send' // the GOV.UK Notify API key
  | 'notify:callback' // the bearer token Notify presents on delivery receipts
  | 'tokens:seal' // the task-token key: seal and open the task tokens the cases table holds
  | 'cursors:seal' // the cursor key: seal and open the cursors of list pages
  | 'workflow:start' // StartExecution
  | 'workflow:continue' // StartExecution on its own state machine and StopExecution of its own execution (no environment: both come from the execution's id)
  | 'idempotency:use' // GetItem, PutItem, UpdateItem, DeleteItem on the Powertools idempotency table
  | 'people:read' // ListUsers and AdminListGroupsForUser on the user pool: who another person is (adapters/people.ts)
  | 'workflow:signal'; // SendTaskSuccess and friends: a human step is done

/** Routes the deployed API serves: all but the local stack's own. */
export type DeployedRouteName = {
  [K in RouteName]: (typeof routes)[K] extends { localOnly: true } ? never : K;
}[RouteName];

/** A person's step: recorded, with a keyed digest of what they sent, and the workflow told. */
const HUMAN_STEP: readonly Need[] = ['cases:write', 'audit:append', 'audit:digest', 'tokens:seal', 'workflow:signal'];

/**
 * Every signed-in route may refuse (403), and every refusal is appended to the
 * audit trail (functions/http/refusals.ts): each such route appends, and reads
 * the case or approval a refusal concerns.
 */
export const API_NEEDS = {
  health: [],
  openapi: [],
  openCase: ['cases:write', 'audit:append', 'audit:digest', 'workflow:start'],
  listCases: ['cases:read', 'audit:append', 'cursors:seal'],
  getCase: ['cases:read', 'audit:append', 'consultations:record', 'cursors:seal'],
  listApprovals: ['cases:read', 'audit:append', 'cursors:seal'],
  decideApproval: HUMAN_STEP,
  listFaults: ['cases:read', 'audit:append', 'cursors:seal'],
  // A fault on a whole execution is answered with a fresh execution at the case's stage.
  retryFault: [...HUMAN_STEP, 'workflow:start'],
  listRequests: ['cases:read', 'audit:append'],
  listRequestQueue: ['cases:read', 'audit:append', 'cursors:seal'],
  uploadReturn: [...HUMAN_STEP, 'returns:write'],
  getRequestDocument: ['cases:read', 'audit:append'],
  listIpLog: ['cases:read', 'audit:append'],
  chooseIspRequests: ['cases:write', 'audit:append', 'audit:digest', 'tokens:seal', 'workflow:signal'],
  proposeIdentification: HUMAN_STEP,
  recordArrest: HUMAN_STEP,
  recordVictimUpdate: HUMAN_STEP,
  recordProtectionOrder: HUMAN_STEP,
  recordSpoNotification: HUMAN_STEP,
  confirmPrisonContact: HUMAN_STEP,
  makeReferral: ['cases:write', 'audit:append', 'audit:digest'],
  closeCase: HUMAN_STEP,
  proposeClosure: HUMAN_STEP,
  proposeDisclosure: HUMAN_STEP,
  verifyContact: HUMAN_STEP,
  recordVictimChoice: HUMAN_STEP,
  updateContact: HUMAN_STEP,
  recordHandover: HUMAN_STEP,
  transferOwner: ['cases:write', 'audit:append', 'audit:digest', 'people:read'],
  getLetter: ['cases:read', 'audit:append', 'documents:read'],
  getAudit: ['cases:read', 'audit:append', 'cursors:seal'],
  getTimeline: ['cases:read', 'audit:append', 'cursors:seal'],
  getViews: ['cases:read', 'audit:append', 'consultations:read', 'cursors:seal'],
  verifyAudit: ['cases:read', 'audit:append'],
  getStats: ['cases:read', 'audit:append'],
  notifyCallback: ['cases:write', 'audit:append', 'notify:callback'],
} as const satisfies Record<DeployedRouteName, readonly Need[]>;

const WORKFLOW_STEP: readonly Need[] = ['cases:write', 'audit:append'];

export const WORKFLOW_NEEDS = {
  // These two hand a task token over or release a wait that is already satisfied.
  // An identification approval opening as a closure is proposed is withdrawn, its wait released (handlers/withdrawals.ts).
  openApproval: [...WORKFLOW_STEP, 'tokens:seal', 'workflow:signal'],
  awaitTask: [...WORKFLOW_STEP, 'tokens:seal', 'workflow:signal'],
  // Ends a delay's review wait at its review date: the task's token is opened though unused.
  escalate: [...WORKFLOW_STEP, 'tokens:seal'],
  prepareRequests: WORKFLOW_STEP,
  planIspRequests: WORKFLOW_STEP,
  // Completes a task whose wait has ended: the token is opened though unused.
  requestOverdue: [...WORKFLOW_STEP, 'tokens:seal', 'workflow:signal'],
  // Raises the tasking, plans the track (as planArrestTrack), and holds the token of its first wait or releases it at once.
  raiseArrestTasking: [...WORKFLOW_STEP, 'events:publish', 'tokens:seal', 'workflow:signal'],
  // Holds the token of the track's wait or releases it at once; releases the wait of a victim who declined to be told once the track ends.
  planArrestTrack: [...WORKFLOW_STEP, 'events:publish', 'tokens:seal', 'workflow:signal'],
  // Sends, then plans the track and holds the token of its wait (as planArrestTrack).
  notifyVictim: [
    ...WORKFLOW_STEP,
    'notify:send',
    'idempotency:use',
    'events:publish',
    'tokens:seal',
    'workflow:signal',
  ],
  scheduleDelayReview: WORKFLOW_STEP,
  sendDisclosure: [...WORKFLOW_STEP, 'documents:read', 'documents:write', 'notify:send', 'idempotency:use'],
  setStage: WORKFLOW_STEP,
  continueExecution: ['cases:read', 'audit:append', 'workflow:continue'],
  // Holds the token of a parked step; releases it at once if a supervisor already answered.
  openFault: [...WORKFLOW_STEP, 'tokens:seal', 'workflow:signal'],
  // Closes a case without a suspect: tells the victim as sendDisclosure does; completes abandoned requests' tasks (token opened, unused).
  closeWithoutSuspect: [...WORKFLOW_STEP, 'documents:write', 'notify:send', 'idempotency:use', 'tokens:seal'],
} as const satisfies Record<WorkflowFunction, readonly Need[]>;

/** The resources needs are met with; a stack passes those it has (a need whose resource is missing is a wiring error). */
export interface AccessResources {
  key: kms.IKey;
  casesTable: dynamodb.ITable;
  auditTable: dynamodb.ITable;
  consultationsTable?: dynamodb.ITable;
  idempotencyTable?: dynamodb.ITable;
  documents: {
    bucket: s3.IBucket;
    read: iam.IManagedPolicy;
    write: iam.IManagedPolicy;
    writeReturns?: iam.IManagedPolicy;
  };
  eventBus?: events.IEventBus;
  notifyApiKey?: secretsmanager.ISecret;
  notifyCallbackToken?: secretsmanager.ISecret;
  taskTokenKey?: secretsmanager.ISecret;
  auditDigestKey?: secretsmanager.ISecret;
  cursorKey?: secretsmanager.ISecret;
  /** The directory of people (Cognito), for `people:read`. */
  userPool?: cognito.IUserPool;
  /** The SMS template's id (not a secret). */
  notifySmsTemplateId?: string;
  stateMachine?: sfn.IStateMachine;
  /** Its name, known before it exists: execution ARNs are made from it. */
  stateMachineName?: string;
  /**
   * Where the signal grant goes. A workflow function lives in the state
   * machine's stack: its grant must stay out of the role's default policy,
   * which the function waits for, or function and state machine would wait
   * for each other.
   */
  signalGrant?: 'role' | 'detached';
}

function required<T>(value: T | undefined, what: string, scope: Construct): T {
  if (value === undefined) throw new Error(`${scope.node.path} needs ${what}, which this stack did not provide`);
  return value;
}

export function environmentFor(needs: readonly Need[], r: AccessResources, scope: Construct): Record<string, string> {
  const env: Record<string, string> = {};
  for (const need of needs) {
    switch (need) {
      case 'cases:read':
      case 'cases:write':
        env.CASES_TABLE = r.casesTable.tableName;
        break;
      case 'audit:read':
      case 'audit:append':
        env.AUDIT_TABLE = r.auditTable.tableName;
        break;
      case 'consultations:record':
      case 'consultations:read':
        env.CONSULTATIONS_TABLE = required(r.consultationsTable, 'the consultations table', scope).tableName;
        break;
      case 'audit:digest':
        env.AUDIT_DIGEST_KEY_SECRET_ID = required(r.auditDigestKey, 'the audit digest key secret', scope).secretArn;
        break;
      case 'documents:read':
      case 'documents:write':
      case 'returns:write':
        env.DOCUMENTS_BUCKET = r.documents.bucket.bucketName;
        break;
      case 'events:publish':
        env.EVENT_BUS_NAME = required(r.eventBus, 'the event bus', scope).eventBusName;
        break;
      case 'notify:send':
        env.NOTIFY_API_KEY_SECRET_ID = required(r.notifyApiKey, 'the Notify API key secret', scope).secretArn;
        env.NOTIFY_SMS_TEMPLATE_ID = required(r.notifySmsTemplateId, 'the Notify SMS template id', scope);
        break;
      case 'notify:callback':
        env.NOTIFY_CALLBACK_SECRET_ID = required(
          r.notifyCallbackToken,
          'the Notify callback token secret',
          scope,
        ).secretArn;
        break;
      case 'tokens:seal':
        env.TASK_TOKEN_KEY_SECRET_ID = required(r.taskTokenKey, 'the task token key secret', scope).secretArn;
        break;
      case 'cursors:seal':
        env.CURSOR_KEY_SECRET_ID = required(r.cursorKey, 'the cursor key secret', scope).secretArn;
        break;
      case 'workflow:start':
        env.STATE_MACHINE_ARN = required(r.stateMachine, 'the state machine', scope).stateMachineArn;
        break;
      case 'idempotency:use':
        env.IDEMPOTENCY_TABLE = required(r.idempotencyTable, 'the idempotency table', scope).tableName;
        break;
      case 'people:read':
        env.USER_POOL_ID = required(r.userPool, 'the user pool', scope).userPoolId;
        break;
      case 'workflow:continue':
      case 'workflow:signal':
        break;
    }
  }
  return env;
}

/** Grants written out action by action, never with wildcards or a resource of `*`. */
export function grantNeeds(fn: RightToKnowFunction, needs: readonly Need[], r: AccessResources): void {
  const has = (n: Need) => needs.includes(n);
  const role = fn.serviceRole;
  const region = Stack.of(fn).region;
  const kmsActions = new Set<string>();
  const kmsVia = new Set<string>();
  const useKey = (service: string, ...actions: string[]) => {
    kmsVia.add(`${service}.${region}.amazonaws.com`);
    for (const a of actions) kmsActions.add(a);
  };
  const allow = (actions: string[], resources: string[]) =>
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources }));

  if (has('cases:read') || has('cases:write')) {
    const table = r.casesTable.tableArn;
    const indexes = Object.values(INDEXES).map((name) => `${table}/index/${name}`);
    allow(['dynamodb:GetItem', 'dynamodb:Query'], [table, ...indexes]);
    allow(['dynamodb:BatchGetItem'], [table]);
    useKey('dynamodb', 'kms:Decrypt', 'kms:DescribeKey');
    if (has('cases:write')) {
      allow(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'], [table]);
      useKey('dynamodb', 'kms:Encrypt', 'kms:GenerateDataKey');
    }
  }
  if (has('audit:read') || has('audit:append')) {
    const reads = ['dynamodb:Query', 'dynamodb:BatchGetItem'];
    allow(has('audit:append') ? ['dynamodb:PutItem', ...reads] : reads, [r.auditTable.tableArn]);
    useKey('dynamodb', 'kms:Decrypt', 'kms:DescribeKey');
    if (has('audit:append')) useKey('dynamodb', 'kms:Encrypt', 'kms:GenerateDataKey');
  }
  if (has('consultations:record') || has('consultations:read')) {
    const table = required(r.consultationsTable, 'the consultations table', fn).tableArn;
    allow(has('consultations:record') ? ['dynamodb:PutItem'] : ['dynamodb:Query'], [table]);
    useKey('dynamodb', 'kms:Decrypt', 'kms:DescribeKey');
    if (has('consultations:record')) useKey('dynamodb', 'kms:Encrypt', 'kms:GenerateDataKey');
  }
  if (has('audit:digest')) {
    allow(['secretsmanager:GetSecretValue'], [required(r.auditDigestKey, 'the audit digest key secret', fn).secretArn]);
    useKey('secretsmanager', 'kms:Decrypt');
  }
  if (has('documents:read')) role.addManagedPolicy(r.documents.read);
  if (has('documents:write')) role.addManagedPolicy(r.documents.write);
  if (has('returns:write')) role.addManagedPolicy(required(r.documents.writeReturns, 'the returns write policy', fn));
  if (has('events:publish')) allow(['events:PutEvents'], [required(r.eventBus, 'the event bus', fn).eventBusArn]);
  if (has('notify:send')) {
    allow(['secretsmanager:GetSecretValue'], [required(r.notifyApiKey, 'the Notify API key secret', fn).secretArn]);
    useKey('secretsmanager', 'kms:Decrypt');
  }
  if (has('notify:callback')) {
    allow(
      ['secretsmanager:GetSecretValue'],
      [required(r.notifyCallbackToken, 'the Notify callback token secret', fn).secretArn],
    );
    useKey('secretsmanager', 'kms:Decrypt');
  }
  if (has('tokens:seal')) {
    allow(['secretsmanager:GetSecretValue'], [required(r.taskTokenKey, 'the task token key secret', fn).secretArn]);
    useKey('secretsmanager', 'kms:Decrypt');
  }
  if (has('cursors:seal')) {
    allow(['secretsmanager:GetSecretValue'], [required(r.cursorKey, 'the cursor key secret', fn).secretArn]);
    useKey('secretsmanager', 'kms:Decrypt');
  }
  if (has('idempotency:use')) {
    allow(
      ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
      [required(r.idempotencyTable, 'the idempotency table', fn).tableArn],
    );
    useKey('dynamodb', 'kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey');
  }
  if (has('people:read'))
    allow(
      ['cognito-idp:ListUsers', 'cognito-idp:AdminListGroupsForUser'],
      [required(r.userPool, 'the user pool', fn).userPoolArn],
    );
  if (has('workflow:start')) required(r.stateMachine, 'the state machine', fn).grantStartExecution(fn);
  if (has('workflow:continue')) {
    // Detached, like the signal grant: the state machine waits for this function, so the function must not wait for it.
    const stateMachine = required(r.stateMachine, 'the state machine', fn);
    const policy = new iam.Policy(fn.node.scope!, `${fn.node.id}Continue`, {
      roles: [role],
      statements: [
        new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [stateMachine.stateMachineArn] }),
        new iam.PolicyStatement({
          actions: ['states:StopExecution'],
          resources: [
            Stack.of(fn).formatArn({
              service: 'states',
              resource: 'execution',
              resourceName: `${required(r.stateMachineName, 'the state machine name', fn)}:*`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          ],
        }),
      ],
    });
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:aws:states:${Stack.of(fn).region}:<AWS::AccountId>:execution:${r.stateMachineName}:*]`,
      reason:
        "A case's fresh execution stops the one it continues, whose name is known only at run time: StopExecution is limited to this state machine's executions.",
    });
  }
  if (has('workflow:signal')) {
    const stateMachine = required(r.stateMachine, 'the state machine', fn);
    if (r.signalGrant === 'detached') {
      new iam.Policy(fn.node.scope!, `${fn.node.id}Signal`, {
        roles: [role],
        statements: [
          new iam.PolicyStatement({
            actions: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
            resources: [stateMachine.stateMachineArn],
          }),
        ],
      });
    } else {
      stateMachine.grantTaskResponse(fn);
    }
  }
  if (kmsActions.size > 0) {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [...kmsActions].sort(),
        resources: [r.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': [...kmsVia].sort() } },
      }),
    );
  }
}
