import { keptSecret } from '../constructs/secret.js';
import { Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpStage,
  LogGroupLogDestination,
  type IHttpRouteAuthorizer,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { ROLES } from '../../functions/domain/users.js';
import { deployedRoutes } from '../../functions/routes.js';
import { API_NEEDS, environmentFor, grantNeeds, type AccessResources, type DeployedRouteName } from '../access.js';
import { FUNCTION_DEFAULTS, RightToKnowFunction } from '../constructs/function.js';
import type { DataStack } from './data.js';
import type { WorkflowStack } from './workflow.js';

export interface ApiStackProps extends StackProps {
  data: DataStack;
  workflow: WorkflowStack;
  /** Where the console's sign-in returns to (OAuth code flow with PKCE). */
  consoleCallbackUrls?: string[];
  consoleLogoutUrls?: string[];
  /** Origins the console is served from (the CloudFront domain): the only ones CORS lets call the API from a browser. */
  consoleOrigins?: string[];
}

export const API_THROTTLE = { burstLimit: 100, rateLimit: 50 } as const;
/** Requests one address may make in 5 minutes before WAF blocks it (sign-in and token endpoints). */
export const SIGN_IN_RATE_LIMIT = 300;

/** Cognito users and groups, the HTTP API built from functions/routes.ts, one function per route. */
export class ApiStack extends Stack {
  readonly userPool: cognito.UserPool;
  readonly userPoolClient: cognito.UserPoolClient;
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly authorizer: HttpJwtAuthorizer;
  readonly functions: Record<DeployedRouteName, RightToKnowFunction>;
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { data, workflow } = props;

    this.userPool = new cognito.UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
        passwordHistorySize: 12,
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true }, fullname: { required: true, mutable: true } },
      customAttributes: {
        // Promotion changes a rank; a force does not change for an account (a transfer gets a new account in the new force).
        rank: new cognito.StringAttribute({ mutable: true, minLen: 1, maxLen: 32 }),
        force: new cognito.StringAttribute({ mutable: false, minLen: 1, maxLen: 64 }),
      },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const role of ROLES) {
      new cognito.CfnUserPoolGroup(this, `Group${role[0]!.toUpperCase()}${role.slice(1)}`, {
        userPoolId: this.userPool.userPoolId,
        groupName: role,
        description: `Right to know: ${role}`,
      });
    }

    this.userPoolClient = this.userPool.addClient('Console', {
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: props.consoleCallbackUrls ?? ['http://localhost:3000/auth/callback'],
        logoutUrls: props.consoleLogoutUrls ?? ['http://localhost:3000/'],
      },
      preventUserExistenceErrors: true,
      // Rank, force and groups decide what a user may do: only administrators may set them, never the user.
      readAttributes: new cognito.ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
        .withCustomAttributes('rank', 'force'),
      writeAttributes: new cognito.ClientAttributes(),
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      enableTokenRevocation: true,
    });

    // WAF cannot be associated with an API Gateway HTTP API (only REST APIs,
    // ALB, CloudFront, AppSync, Cognito and a few others). It guards the user
    // pool's sign-in endpoints instead; the API itself is protected by its
    // JWT authorizer and stage throttling.
    this.webAcl = new wafv2.CfnWebACL(this, 'SignInFirewall', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'rtk-sign-in', sampledRequestsEnabled: true },
      rules: [
        {
          name: 'AWSManagedRulesCommonRuleSet',
          priority: 0,
          overrideAction: { none: {} },
          statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesCommonRuleSet' } },
          visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'rtk-common', sampledRequestsEnabled: true },
        },
        {
          name: 'RateLimitPerAddress',
          priority: 1,
          action: { block: {} },
          statement: {
            rateBasedStatement: { limit: SIGN_IN_RATE_LIMIT, aggregateKeyType: 'IP', evaluationWindowSec: 300 },
          },
          visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'rtk-rate', sampledRequestsEnabled: true },
        },
      ],
    });
    new wafv2.CfnWebACLAssociation(this, 'SignInFirewallAssociation', {
      resourceArn: this.userPool.userPoolArn,
      webAclArn: this.webAcl.attrArn,
    });

    this.authorizer = new HttpJwtAuthorizer(
      'Cognito',
      `https://cognito-idp.${this.region}.amazonaws.com/${this.userPool.userPoolId}`,
      {
        jwtAudience: [this.userPoolClient.userPoolClientId],
      },
    );

    this.httpApi = new HttpApi(this, 'Api', {
      description: 'Stalking right-to-know disclosure API',
      createDefaultStage: false,
      // The console is on its own origin (CloudFront); bearer tokens, never cookies, so no credentials mode.
      ...(props.consoleOrigins?.length
        ? {
            corsPreflight: {
              allowOrigins: props.consoleOrigins,
              allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PUT],
              allowHeaders: ['authorization', 'content-type'],
              maxAge: Duration.hours(1),
            },
          }
        : {}),
    });
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', {
      retention: FUNCTION_DEFAULTS.logRetention,
      encryptionKey: data.key,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: API_THROTTLE,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // Ids and outcomes only: no bodies, no tokens.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            time: '$context.requestTime',
            routeKey: '$context.routeKey',
            path: '$context.path',
            status: '$context.status',
            latency: '$context.responseLatency',
            responseLength: '$context.responseLength',
            sub: '$context.authorizer.claims.sub',
            authorizerError: '$context.authorizer.error',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });

    const cursorKey = keptSecret(this, 'CursorKey', {
      description: 'Key material (through HKDF-SHA256) for sealing the cursors of list pages',
      key: data.key,
      generated: true,
      notRotatedBecause:
        'A cursor lives only as long as someone pages through a list; the key changes by hand between releases (a change only sends a person paging back to the first page), which needs no rotation function.',
    });

    const resources: AccessResources = {
      key: data.key,
      casesTable: data.casesTable,
      auditTable: data.auditTable,
      consultationsTable: data.consultationsTable,
      auditDigestKey: data.auditDigestKey,
      documents: {
        bucket: data.documentsBucket,
        read: data.lettersReadPolicy,
        write: data.lettersWritePolicy,
        writeReturns: data.returnsWritePolicy,
      },
      notifyCallbackToken: workflow.notifyCallbackToken,
      taskTokenKey: workflow.taskTokenKey,
      cursorKey,
      userPool: this.userPool,
      stateMachine: workflow.stateMachine,
      signalGrant: 'role',
    };
    const none = new HttpNoneAuthorizer();
    const functions = {} as Record<DeployedRouteName, RightToKnowFunction>;
    for (const [name, route] of deployedRoutes) {
      const routeName = name as DeployedRouteName;
      const needs = API_NEEDS[routeName];
      const fn = new RightToKnowFunction(this, `${name[0]!.toUpperCase()}${name.slice(1)}Function`, {
        kind: 'api',
        name,
        encryptionKey: data.key,
        environment: environmentFor(needs, resources, this),
        description: `${route.method} ${route.path}: ${route.summary}`,
      });
      grantNeeds(fn, needs, resources);
      functions[routeName] = fn;

      const isPublic = route.access === 'public';
      const authorizer: IHttpRouteAuthorizer = isPublic ? none : this.authorizer;
      const [routeConstruct] = this.httpApi.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(`${name}Integration`, fn),
        authorizer,
      });
      if (isPublic && routeConstruct) {
        Validations.of(routeConstruct).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            name === 'notifyCallback'
              ? 'GOV.UK Notify cannot present a Cognito token; the handler checks its bearer token against the secret in constant time and rejects anything else.'
              : 'Public by design (liveness, the OpenAPI document): no case data, no side effects.',
        });
      }
    }
    this.functions = functions;
  }
}
