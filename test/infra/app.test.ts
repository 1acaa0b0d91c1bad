import { Stack, type CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { CfnStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { INDEXES } from '../../functions/adapters/casesTable.js';
import {
  BANK_HOLIDAY_DAYS_LEFT_METRIC,
  METRICS_NAMESPACE,
  METRICS_SERVICE,
} from '../../functions/domain/monitoring.js';
import { policy as domainPolicy } from '../../functions/domain/policy.js';
import { ROLES } from '../../functions/domain/users.js';
import { deployedRoutes, routes } from '../../functions/routes.js';
import { functionPlaceholder, placeholdersIn, WORKFLOW_FUNCTIONS } from '../../statemachines/bindings.js';
import { aslText } from '../../statemachines/definition.js';
import { API_NEEDS, WORKFLOW_NEEDS, type Need } from '../../infra/access.js';
import type { RightToKnowFunction } from '../../infra/constructs/function.js';
import { localTableDefinitions } from '../../infra/local-tables.js';
import { LAMBDA_TIMEOUT_MS } from '../../local/handlers.js';
import { DataStack } from '../../infra/stacks/data.js';
import {
  actionsOf,
  identityStatements,
  ofType,
  synthesize,
  type Resource,
  type Statement,
  type Synthesized,
} from './template.js';

let s: Synthesized;
beforeAll(() => {
  s = synthesize();
});

const logicalId = (c: IConstruct) => {
  const element = (c.node.defaultChild ?? c) as CfnElement;
  return Stack.of(element).getLogicalId(element);
};
const tableLogicalId = (role: string) => Object.entries(DataStack.TABLE_LOGICAL_IDS).find(([, r]) => r === role)![0];
const table = (role: string) => s.resources[`data/${tableLogicalId(role)}`]!;

describe('data stack', () => {
  it.each(['cases', 'audit', 'consultations', 'idempotency'])(
    'the %s table is on demand, recoverable, encrypted with the customer-managed key, protected and retained',
    (role) => {
      const t = table(role);
      expect(t.Type).toBe('AWS::DynamoDB::Table');
      expect(t.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: {
          SSEEnabled: true,
          SSEType: 'KMS',
          KMSMasterKeyId: { 'Fn::GetAtt': [logicalId(s.data.key), 'Arn'] },
        },
        DeletionProtectionEnabled: true,
      });
      expect(t.DeletionPolicy).toBe('Retain');
      expect(t.UpdateReplacePolicy).toBe('Retain');
    },
  );

  it('has exactly the four tables', () => {
    expect(
      ofType(s.resources, 'AWS::DynamoDB::Table')
        .map(([id]) => id)
        .sort(),
    ).toEqual(['data/AuditTable', 'data/CasesTable', 'data/ConsultationsTable', 'data/IdempotencyTable']);
  });

  it('keys the cases table and its indexes as the cases adapter reads them', () => {
    const p = table('cases').Properties!;
    expect(p.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    const gsi = Object.fromEntries((p.GlobalSecondaryIndexes as { IndexName: string }[]).map((g) => [g.IndexName, g]));
    expect(Object.keys(gsi).sort()).toEqual(Object.values(INDEXES).sort());
    // No index copies whole items: each projects what its list shows.
    for (const g of Object.values(gsi)) expect(g).not.toMatchObject({ Projection: { ProjectionType: 'ALL' } });
    expect(gsi[INDEXES.pendingApprovals]).toMatchObject({
      KeySchema: [
        { AttributeName: 'gsi2pk', KeyType: 'HASH' },
        { AttributeName: 'gsi2sk', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'INCLUDE' },
    });
    expect(gsi[INDEXES.approvalsById]).toMatchObject({
      KeySchema: [{ AttributeName: 'gsi3pk', KeyType: 'HASH' }],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    });
    expect(gsi[INDEXES.casesByOwnerStatus]).toMatchObject({
      KeySchema: [
        { AttributeName: 'listOwnerStatus', KeyType: 'HASH' },
        { AttributeName: 'listCreated', KeyType: 'RANGE' },
      ],
      Projection: {
        ProjectionType: 'INCLUDE',
        NonKeyAttributes: ['caseId', 'crimeReference', 'stage', 'openTasks', 'nextDeadline', 'createdBy', 'owner'],
      },
    });
    // The lists' indexes carry what their list shows: never a sealed task token, never a return's contents.
    const projected = Object.values(gsi).flatMap(
      (g) => (g as unknown as { Projection: { NonKeyAttributes?: string[] } }).Projection.NonKeyAttributes ?? [],
    );
    expect(projected).not.toContain('taskToken');
    expect(projected).not.toContain('returned');
    expect(projected).not.toContain('victim');
    // DynamoDB allows 100 projected attributes across a table's indexes.
    expect(projected.length).toBeLessThanOrEqual(100);
    for (const a of p.AttributeDefinitions as { AttributeType: string }[]) expect(a.AttributeType).toBe('S');
  });

  it('keys the audit table by case and sequence number, and idempotency records by id with a time to live', () => {
    expect(table('audit').Properties!.KeySchema).toEqual([
      { AttributeName: 'caseId', KeyType: 'HASH' },
      { AttributeName: 'seq', KeyType: 'RANGE' },
    ]);
    expect(table('audit').Properties!.AttributeDefinitions).toEqual([
      { AttributeName: 'caseId', AttributeType: 'S' },
      { AttributeName: 'seq', AttributeType: 'N' },
      { AttributeName: 'headShard', AttributeType: 'S' },
      { AttributeName: 'headAt', AttributeType: 'S' },
    ]);
    // Heads only, by when they moved, with what a digest holds: never the entries.
    expect(table('audit').Properties!.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: 'headsByTime',
        KeySchema: [
          { AttributeName: 'headShard', KeyType: 'HASH' },
          { AttributeName: 'headAt', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['chain', 'headSeq', 'headHash'] },
      },
    ]);
    // The consultation log: one item per case, window and person; by when it was recorded for the digest, with what
    // the digest seals, never more.
    expect(table('consultations').Properties!.KeySchema).toEqual([
      { AttributeName: 'caseId', KeyType: 'HASH' },
      { AttributeName: 'viewKey', KeyType: 'RANGE' },
    ]);
    expect(table('consultations').Properties!.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: 'consultationsByTime',
        KeySchema: [
          { AttributeName: 'viewShard', KeyType: 'HASH' },
          { AttributeName: 'at', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['actor'] },
      },
    ]);
    expect(table('idempotency').Properties).toMatchObject({
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
    });
  });

  it('rotates the key', () => {
    s.templates.data.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('keeps every bucket private, TLS-only and access-logged; documents and digests under the key; digests locked for seven years', () => {
    const buckets = ofType(s.resources, 'AWS::S3::Bucket');
    expect(buckets).toHaveLength(3);
    for (const [, b] of buckets) {
      expect(b.Properties!.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(b.DeletionPolicy).toBe('Retain');
    }
    const keyArn = { 'Fn::GetAtt': [logicalId(s.data.key), 'Arn'] };
    for (const bucket of [s.data.documentsBucket, s.data.auditDigestBucket]) {
      const p = s.resources[`data/${logicalId(bucket)}`]!.Properties!;
      expect(p.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault).toEqual({
        SSEAlgorithm: 'aws:kms',
        KMSMasterKeyID: keyArn,
      });
      expect(p.VersioningConfiguration).toEqual({ Status: 'Enabled' });
      expect(p.LoggingConfiguration.DestinationBucketName).toEqual({ Ref: logicalId(s.data.accessLogsBucket) });
    }
    expect(s.resources[`data/${logicalId(s.data.auditDigestBucket)}`]!.Properties).toMatchObject({
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 7 * 365 } },
      },
    });
    const policies = ofType(s.resources, 'AWS::S3::BucketPolicy');
    expect(policies).toHaveLength(3);
    for (const [, p] of policies) {
      expect(p.Properties!.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    }
  });
});

describe('least privilege', () => {
  const statements = () => identityStatements(s.resources);

  it('lets nothing update, delete or overwrite in bulk an audit entry', () => {
    const onAudit = statements().filter(({ statement }) => JSON.stringify(statement.Resource).includes('AuditTable'));
    expect(onAudit.length).toBeGreaterThan(0);
    for (const { where, statement } of onAudit) {
      // The daily digest queries the heads' index, and only it; nothing may update or delete.
      const digest = where.includes('AuditDigestFunction');
      const allowed = digest ? ['dynamodb:Query'] : ['dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:BatchGetItem'];
      for (const action of actionsOf(statement)) {
        expect(allowed, `${where} grants ${action} on the audit table`).toContain(action);
      }
      if (digest) expect(JSON.stringify(statement.Resource)).toContain('/index/headsByTime');
    }
  });

  it('lets nothing update or delete a consultation: a view is put once, the views page and the digest query', () => {
    const onLog = statements().filter(({ statement }) =>
      JSON.stringify(statement.Resource).includes('ConsultationsTable'),
    );
    expect(onLog.length).toBeGreaterThan(0);
    for (const { where, statement } of onLog)
      for (const action of actionsOf(statement))
        expect(['dynamodb:PutItem', 'dynamodb:Query'], `${where} grants ${action} on the consultation log`).toContain(
          action,
        );
  });

  it('grants no wildcard DynamoDB, S3, Step Functions or KMS actions, and nothing on every resource but X-Ray and log delivery', () => {
    for (const { where, statement } of statements()) {
      for (const action of actionsOf(statement))
        expect(action, where).not.toMatch(/^(\*|dynamodb:\*|s3:\*|states:\*|kms:\*|lambda:\*)$/);
      if (statement.Resource === '*') {
        for (const action of actionsOf(statement))
          expect(action, `${where} grants ${action} on *`).toMatch(/^(xray|logs):/);
      }
    }
  });

  const functions = () => [
    ...Object.entries(s.api.functions).map(([name, fn]) => ({
      stack: 'api',
      name,
      fn,
      needs: API_NEEDS[name as keyof typeof API_NEEDS] as readonly Need[],
    })),
    ...Object.entries(s.workflow.functions).map(([name, fn]) => ({
      stack: 'workflow',
      name,
      fn,
      needs: WORKFLOW_NEEDS[name as keyof typeof WORKFLOW_NEEDS] as readonly Need[],
    })),
  ];

  /** Statements that reach a function: its role's policies and the managed policies attached to the role. */
  function statementsOf(stack: string, fn: RightToKnowFunction): Statement[] {
    const role = logicalId(fn.serviceRole);
    const out: Statement[] = [];
    for (const [id, r] of Object.entries(s.resources)) {
      if (!id.startsWith(`${stack}/`) || r.Type !== 'AWS::IAM::Policy') continue;
      if ((r.Properties!.Roles as { Ref: string }[]).some((x) => x.Ref === role))
        out.push(...(r.Properties!.PolicyDocument.Statement as Statement[]));
    }
    const managed = JSON.stringify(s.resources[`${stack}/${role}`]!.Properties!.ManagedPolicyArns ?? []);
    for (const [id, policy] of [
      ['LettersReadPolicy', s.data.lettersReadPolicy],
      ['LettersWritePolicy', s.data.lettersWritePolicy],
      ['ReturnsWritePolicy', s.data.returnsWritePolicy],
    ] as const) {
      if (managed.includes(id))
        out.push(...(s.resources[`data/${logicalId(policy)}`]!.Properties!.PolicyDocument.Statement as Statement[]));
    }
    return out;
  }

  const NEED_ENV: Record<Need, string[]> = {
    'cases:read': ['CASES_TABLE'],
    'cases:write': ['CASES_TABLE'],
    'audit:read': ['AUDIT_TABLE'],
    'audit:append': ['AUDIT_TABLE'],
    'audit:digest': ['AUDIT_DIGEST_KEY_SECRET_ID'],
    'consultations:record': ['CONSULTATIONS_TABLE'],
    'consultations:read': ['CONSULTATIONS_TABLE'],
    'documents:read': ['DOCUMENTS_BUCKET'],
    'documents:write': ['DOCUMENTS_BUCKET'],
    'returns:write': ['DOCUMENTS_BUCKET'],
    'events:publish': ['EVENT_BUS_NAME'],
    'notify:send': ['NOTIFY_API_KEY_SECRET_ID', 'NOTIFY_SMS_TEMPLATE_ID'],
    'notify:callback': ['NOTIFY_CALLBACK_SECRET_ID'],
    'tokens:seal': ['TASK_TOKEN_KEY_SECRET_ID'],
    'cursors:seal': ['CURSOR_KEY_SECRET_ID'],
    'workflow:start': ['STATE_MACHINE_ARN'],
    'workflow:continue': [],
    'idempotency:use': ['IDEMPOTENCY_TABLE'],
    'people:read': ['USER_POOL_ID'],
    'workflow:signal': [],
  };

  const SECRETS_EXTENSION_ENV = [
    'PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED',
    'PARAMETERS_SECRETS_EXTENSION_CACHE_SIZE',
    'PARAMETERS_SECRETS_EXTENSION_HTTP_PORT',
    'PARAMETERS_SECRETS_EXTENSION_LOG_LEVEL',
    'PARAMETERS_SECRETS_EXTENSION_MAX_CONNECTIONS',
    'SECRETS_MANAGER_TIMEOUT_MILLIS',
    'SECRETS_MANAGER_TTL',
    'SSM_PARAMETER_STORE_TIMEOUT_MILLIS',
    'SSM_PARAMETER_STORE_TTL',
  ];

  it("gives every function its stack's Powertools layer, and the secrets extension to each that reads a secret", () => {
    for (const { stack, name, fn, needs } of functions()) {
      const layers = JSON.stringify(s.resources[`${stack}/${logicalId(fn)}`]!.Properties!.Layers ?? []);
      const powertools = Object.entries(s.resources).filter(
        ([id, r]) => id.startsWith(`${stack}/PowertoolsLayer`) && r.Type === 'AWS::Lambda::LayerVersion',
      );
      expect(powertools, stack).toHaveLength(1);
      expect(layers, name).toContain(powertools[0]![0].slice(stack.length + 1));
      const readsSecret = needs.some((n) => NEED_ENV[n].some((v) => v.endsWith('_SECRET_ID')));
      expect(layers.includes('AWS-Parameters-and-Secrets-Lambda-Extension'), name).toBe(readsSecret);
    }
  });

  it('gives each function the settings of its needs and no others', () => {
    for (const { stack, name, fn, needs } of functions()) {
      const variables = (s.resources[`${stack}/${logicalId(fn)}`]!.Properties!.Environment.Variables ?? {}) as Record<
        string,
        unknown
      >;
      const own = needs.flatMap((n) => NEED_ENV[n]);
      // A function that reads a secret has the secrets extension, configured by CDK (its port, cache and timeouts).
      const extension = own.some((v) => v.endsWith('_SECRET_ID')) ? SECRETS_EXTENSION_ENV : [];
      const expected = new Set([
        'NODE_OPTIONS',
        'POWERTOOLS_SERVICE_NAME',
        'POWERTOOLS_METRICS_NAMESPACE',
        'POWERTOOLS_TRACE_ENABLED',
        ...own,
        ...extension,
      ]);
      expect(Object.keys(variables).sort(), name).toEqual([...expected].sort());
      // The Tracer costs every cold start about 68 ms: off unless the app is synthesized with it.
      expect(variables.POWERTOOLS_TRACE_ENABLED, name).toBe('false');
    }
  });

  it('gives each function the actions of its needs and no others', () => {
    const capability: [RegExp, (needs: readonly Need[]) => boolean][] = [
      [
        /^dynamodb:(PutItem|UpdateItem|DeleteItem)$/,
        (n) =>
          n.includes('cases:write') ||
          n.includes('audit:append') ||
          n.includes('idempotency:use') ||
          n.includes('consultations:record'),
      ],
      [/^dynamodb:(UpdateItem|DeleteItem)$/, (n) => n.includes('cases:write') || n.includes('idempotency:use')],
      [/^dynamodb:(GetItem|Query)$/, (n) => n.some((x) => /^(cases|audit|idempotency|consultations):/.test(x))],
      [/^dynamodb:BatchGetItem$/, (n) => n.some((x) => /^(cases|audit):/.test(x))],
      [/^s3:GetObject$/, (n) => n.includes('documents:read')],
      [/^s3:PutObject$/, (n) => n.includes('documents:write') || n.includes('returns:write')],
      [/^events:PutEvents$/, (n) => n.includes('events:publish')],
      [
        /^secretsmanager:GetSecretValue$/,
        (n) =>
          n.includes('notify:send') ||
          n.includes('notify:callback') ||
          n.includes('tokens:seal') ||
          n.includes('audit:digest') ||
          n.includes('cursors:seal'),
      ],
      [/^states:StartExecution$/, (n) => n.includes('workflow:start') || n.includes('workflow:continue')],
      [/^states:StopExecution$/, (n) => n.includes('workflow:continue')],
      [/^states:SendTask(Success|Failure|Heartbeat)$/, (n) => n.includes('workflow:signal')],
      [/^cognito-idp:(ListUsers|AdminListGroupsForUser)$/, (n) => n.includes('people:read')],
    ];
    for (const { stack, name, fn, needs } of functions()) {
      const actions = new Set(statementsOf(stack, fn).flatMap(actionsOf));
      for (const [pattern, allowed] of capability) {
        const has = [...actions].some((a) => pattern.test(a));
        expect(has, `${name}: ${pattern} is ${has ? '' : 'not '}granted`).toBe(allowed(needs));
      }
    }
  });

  it('lets the state machine invoke exactly the workflow functions', () => {
    const role = logicalId(s.workflow.stateMachine.role);
    const invoke = identityStatements(s.resources).filter(
      ({ where, statement }) =>
        where.startsWith('workflow/') &&
        actionsOf(statement).includes('lambda:InvokeFunction') &&
        JSON.stringify(s.resources[where]!.Properties!.Roles).includes(role),
    );
    expect(invoke).toHaveLength(1);
    const targets = (invoke[0]!.statement.Resource as { 'Fn::GetAtt': [string, string] }[]).map(
      (r) => r['Fn::GetAtt'][0],
    );
    expect(targets.sort()).toEqual(WORKFLOW_FUNCTIONS.map((name) => logicalId(s.workflow.functions[name])).sort());
  });
});

describe('workflow stack', () => {
  it('binds every placeholder of the workflow definition and nothing else', () => {
    const cfn = s.workflow.stateMachine.node.defaultChild as CfnStateMachine;
    expect(Object.keys(cfn.definitionSubstitutions as Record<string, string>).sort()).toEqual(
      placeholdersIn(aslText()),
    );
    const [[, sm]] = ofType(s.resources, 'AWS::StepFunctions::StateMachine') as [[string, Resource]];
    expect(Object.keys(sm.Properties!.DefinitionSubstitutions).sort()).toEqual(placeholdersIn(aslText()));
    for (const name of WORKFLOW_FUNCTIONS) {
      expect(sm.Properties!.DefinitionSubstitutions[functionPlaceholder(name)]).toEqual({
        'Fn::GetAtt': [logicalId(s.workflow.functions[name]), 'Arn'],
      });
    }
  });

  it('runs a Standard state machine from the workflow definition, logged, traced and encrypted with the key', () => {
    s.templates.workflow.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      DefinitionS3Location: Match.anyValue(),
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
      EncryptionConfiguration: { Type: 'CUSTOMER_MANAGED_KMS_KEY' },
    });
  });

  it('has the event bus, the two Notify secrets, the task token key and the audit digest key, encrypted with the key', () => {
    s.templates.workflow.hasResourceProperties('AWS::Events::EventBus', { Name: 'right-to-know' });
    expect(ofType(s.resources, 'AWS::SecretsManager::Secret')).toHaveLength(5);
    expect(s.resources[`data/${logicalId(s.data.auditDigestKey)}`]!.Properties!.GenerateSecretString).toMatchObject({
      PasswordLength: 64,
      ExcludePunctuation: true,
    });
    // The API's own: the cursor key.
    expect(ofType(s.resources, 'AWS::SecretsManager::Secret').filter(([id]) => id.startsWith('api/'))).toHaveLength(1);
    expect(
      s.resources[`workflow/${logicalId(s.workflow.taskTokenKey)}`]!.Properties!.GenerateSecretString,
    ).toMatchObject({ PasswordLength: 64, ExcludePunctuation: true });
    for (const [, secret] of ofType(s.resources, 'AWS::SecretsManager::Secret'))
      expect(secret.Properties!.KmsKeyId).toBeDefined();
  });
});

describe('api stack', () => {
  const routeResources = () => ofType(s.resources, 'AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties!);

  it('has a route for every deployed route and none for the local-only token route', () => {
    const keys = routeResources()
      .map((r) => r.RouteKey as string)
      .sort();
    expect(keys).toEqual(deployedRoutes.map(([, r]) => `${r.method} ${r.path}`).sort());
    expect(keys.some((k) => k.includes(routes.localToken.path))).toBe(false);
  });

  it('puts the Cognito JWT authorizer on every route that is not public', () => {
    const authorizers = ofType(s.resources, 'AWS::ApiGatewayV2::Authorizer');
    expect(authorizers).toHaveLength(1);
    const authorizer = { Ref: authorizers[0]![0].replace('api/', '') };
    s.templates.api.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: logicalId(s.api.userPoolClient) }],
        Issuer: {
          'Fn::Join': ['', ['https://cognito-idp.eu-west-2.amazonaws.com/', { Ref: logicalId(s.api.userPool) }]],
        },
      },
    });
    const byKey = new Map(routeResources().map((r) => [r.RouteKey as string, r]));
    for (const [name, route] of deployedRoutes) {
      const r = byKey.get(`${route.method} ${route.path}`)!;
      if (route.access === 'public') {
        expect(r.AuthorizationType, name).toBe('NONE');
      } else {
        expect(r.AuthorizationType, name).toBe('JWT');
        expect(r.AuthorizerId, name).toEqual(authorizer);
      }
    }
    expect(
      deployedRoutes
        .filter(([, r]) => r.access === 'public')
        .map(([n]) => n)
        .sort(),
    ).toEqual(['health', 'notifyCallback', 'openapi']);
  });

  it('throttles the default stage and writes JSON access logs', () => {
    const [[, stage]] = ofType(s.resources, 'AWS::ApiGatewayV2::Stage') as [[string, Resource]];
    expect(stage.Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingBurstLimit: 100, ThrottlingRateLimit: 50 },
    });
    expect(JSON.parse(stage.Properties!.AccessLogSettings.Format)).toMatchObject({
      requestId: '$context.requestId',
      status: '$context.status',
    });
  });

  it('requires MFA (authenticator app) in a pool nobody can sign up to, with the four groups', () => {
    s.templates.api.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      UserPoolTier: 'PLUS',
    });
    const groups = ofType(s.resources, 'AWS::Cognito::UserPoolGroup').map(([, g]) => g.Properties!.GroupName as string);
    expect(groups.sort()).toEqual([...ROLES].sort());
    const schema = s.resources[`api/${logicalId(s.api.userPool)}`]!.Properties!.Schema as {
      Name: string;
      Mutable: boolean;
    }[];
    expect(schema).toContainEqual(expect.objectContaining({ Name: 'rank', Mutable: true }));
    expect(schema).toContainEqual(expect.objectContaining({ Name: 'force', Mutable: false }));
  });

  it('signs the console in with the code flow and PKCE, no client secret, and lets no user write their own attributes', () => {
    s.templates.api.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      WriteAttributes: [],
    });
  });

  it('guards the sign-in endpoints with WAF (HTTP APIs cannot have one): common rule set and a rate limit, on the user pool', () => {
    const [[, acl]] = ofType(s.resources, 'AWS::WAFv2::WebACL') as [[string, Resource]];
    expect(acl.Properties!.Scope).toBe('REGIONAL');
    const rules = acl.Properties!.Rules as { Statement: Record<string, any> }[];
    expect(rules.some((r) => r.Statement.ManagedRuleGroupStatement?.Name === 'AWSManagedRulesCommonRuleSet')).toBe(
      true,
    );
    expect(rules.some((r) => r.Statement.RateBasedStatement?.AggregateKeyType === 'IP')).toBe(true);
    const associations = ofType(s.resources, 'AWS::WAFv2::WebACLAssociation');
    expect(associations).toHaveLength(1);
    expect(associations[0]![1].Properties!.ResourceArn).toEqual({ 'Fn::GetAtt': [logicalId(s.api.userPool), 'Arn'] });
  });
});

describe('functions', () => {
  const lambdas = (stack: string) =>
    ofType(s.resources, 'AWS::Lambda::Function').filter(([id]) => id.startsWith(`${stack}/`));

  it('has one function per deployed route and one per workflow function', () => {
    expect(lambdas('api')).toHaveLength(deployedRoutes.length);
    // The workflow stack also runs the daily audit digest and the daily bank holiday check, on schedules, and the
    // execution-failure dead-letter path.
    expect(lambdas('workflow')).toHaveLength(WORKFLOW_FUNCTIONS.length + 3);
    expect(lambdas('data')).toHaveLength(0);
  });

  it('opens a fault for every failed or timed-out execution, with a dead-letter queue and alarms behind it', () => {
    const rules = ofType(s.resources, 'AWS::Events::Rule').filter(([, r]) =>
      (r.Properties as { EventPattern?: { source?: string[] } }).EventPattern?.source?.includes('aws.states'),
    );
    expect(rules).toHaveLength(1);
    const [, rule] = rules[0]!;
    const props = rule.Properties as {
      EventPattern: { detail: { status: string[] } };
      Targets: { DeadLetterConfig?: unknown; RetryPolicy?: { MaximumRetryAttempts: number } }[];
    };
    expect(props.EventPattern.detail.status).toEqual(['FAILED', 'TIMED_OUT']);
    expect(props.Targets[0]!.DeadLetterConfig).toBeDefined();
    expect(props.Targets[0]!.RetryPolicy?.MaximumRetryAttempts).toBe(8);
    const alarms = ofType(s.resources, 'AWS::CloudWatch::Alarm').map(([id]) => id);
    expect(alarms.some((id) => id.includes('ExecutionsFailed'))).toBe(true);
    expect(alarms.some((id) => id.includes('ExecutionFailuresUndelivered'))).toBe(true);
  });

  it('alarms when the bank holidays listed end within the policy’s horizon, on the metric the daily check publishes', () => {
    const check = s.workflow.bankHolidayCheck;
    expect(check.handlerName).toBe('scheduled/bankHolidayCheck');
    const schedules = ofType(s.resources, 'AWS::Events::Rule').filter(([, r]) =>
      (r.Properties as { Targets: { Arn: unknown }[] }).Targets?.some(
        (t) => JSON.stringify(t.Arn) === JSON.stringify({ 'Fn::GetAtt': [logicalId(check), 'Arn'] }),
      ),
    );
    expect(schedules).toHaveLength(1);
    expect(schedules[0]![1].Properties).toMatchObject({
      ScheduleExpression: 'cron(0 6 * * ? *)',
      Targets: [{ DeadLetterConfig: { Arn: expect.anything() } }],
    });
    const alarms = ofType(s.resources, 'AWS::CloudWatch::Alarm').filter(([id]) => id.includes('BankHolidaysEnding'));
    expect(alarms).toHaveLength(1);
    expect(alarms[0]![1].Properties).toMatchObject({
      Namespace: METRICS_NAMESPACE,
      MetricName: BANK_HOLIDAY_DAYS_LEFT_METRIC,
      Dimensions: [{ Name: 'service', Value: METRICS_SERVICE }],
      Statistic: 'Minimum',
      Period: 86_400,
      Threshold: domainPolicy.bankHolidayWarningDays,
      ComparisonOperator: 'LessThanThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'breaching',
    });
  });

  it('runs every function on Node.js 22, arm64, 512 MB, 30 s (as the local stack does), traced, logging to its own group', () => {
    for (const [id, fn] of ofType(s.resources, 'AWS::Lambda::Function')) {
      expect(fn.Properties, id).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        MemorySize: 512,
        // The local stack bounds a workflow invocation by the same time (local/handlers.ts).
        Timeout: LAMBDA_TIMEOUT_MS / 1000,
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogGroup: { Ref: expect.any(String) } },
      });
      expect(fn.Properties!.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
    }
  });

  it('bundles each function from its handler file', () => {
    const entry = (fn: RightToKnowFunction) => (fn.node.defaultChild as CfnFunction).description;
    expect(entry(s.api.functions.openCase)).toBe('POST /cases: Open a case and start its workflow');
    expect(Object.keys(s.api.functions).sort()).toEqual(deployedRoutes.map(([n]) => n).sort());
    expect(Object.keys(s.workflow.functions).sort()).toEqual([...WORKFLOW_FUNCTIONS].sort());
  });

  it('keeps every log group for a year, encrypted with the key', () => {
    const groups = ofType(s.resources, 'AWS::Logs::LogGroup');
    // One a function (the digest, the bank holiday check and executionFailed beside the routes and steps), the state machine's, the API's.
    expect(groups.length).toBe(deployedRoutes.length + WORKFLOW_FUNCTIONS.length + 3 + 2);
    for (const [id, g] of groups)
      expect(g.Properties, id).toMatchObject({ RetentionInDays: 365, KmsKeyId: expect.anything() });
  });
});

describe('local tables', () => {
  it('creates locally the tables the data stack deploys', () => {
    const local = localTableDefinitions();
    expect(local.map((t) => t.role)).toEqual(['cases', 'audit', 'consultations', 'idempotency']);
    for (const { role, input, ttlAttribute } of local) {
      const p = table(role).Properties!;
      expect(input.TableName).toBe(role);
      expect(input.BillingMode).toBe('PAY_PER_REQUEST');
      expect(input.KeySchema).toEqual(p.KeySchema);
      expect(input.AttributeDefinitions).toEqual(p.AttributeDefinitions);
      expect(input.GlobalSecondaryIndexes).toEqual(p.GlobalSecondaryIndexes);
      expect(ttlAttribute).toBe(p.TimeToLiveSpecification?.AttributeName);
    }
  });
});
