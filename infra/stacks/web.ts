import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import { PROJECT_ROOT } from '../project.js';
import type { ApiStack } from './api.js';

export interface WebStackProps extends StackProps {
  api: ApiStack;
  /** Build web/dist if it is missing (a real synth); tests leave it and deploy a placeholder page instead. */
  buildConsole?: boolean;
  /** Prefix of the Cognito hosted sign-in domain (<prefix>.auth.<region>.amazoncognito.com); defaults to one made from the account id. */
  signInDomainPrefix?: string;
}

export const WEB_DIST = join(PROJECT_ROOT, 'web', 'dist');
/** Where the console comes back after Cognito's sign-in (web/src/pages/SignIn.tsx). */
export const CALLBACK_PATH = '/auth/callback';

/** The folder to deploy: web/dist, built here when asked; else a placeholder page generated under .tmp, so a synth never needs a web build. */
export function consoleFolder(build: boolean): string {
  if (build && !existsSync(join(WEB_DIST, 'index.html')))
    execFileSync('npx', ['tsx', 'web/build.ts'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
  if (existsSync(join(WEB_DIST, 'index.html'))) return WEB_DIST;
  const placeholder = join(PROJECT_ROOT, '.tmp', 'web-placeholder');
  mkdirSync(placeholder, { recursive: true });
  writeFileSync(
    join(placeholder, 'index.html'),
    '<!doctype html><title>Right to know</title><p>The console was not built: run <code>npm run build:web</code> and deploy again.</p>\n',
  );
  return placeholder;
}

/**
 * The console: the built web/dist in a private bucket, served by CloudFront
 * through origin access control with strict security headers, and the
 * runtime config.json it reads (the API's URL, the Cognito sign-in domain,
 * the client id). Cognito's hosted sign-in domain belongs to the console, so
 * it is made here on the user pool of the API stack.
 */
export class WebStack extends Stack {
  readonly bucket: s3.Bucket;
  readonly logsBucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly headers: cloudfront.ResponseHeadersPolicy;
  readonly signInDomain: cognito.UserPoolDomain;
  readonly deployment: BucketDeployment;

  constructor(scope: Construct, id: string, props: WebStackProps) {
    super(scope, id, props);
    const { api } = props;

    this.signInDomain = new cognito.UserPoolDomain(this, 'SignInDomain', {
      userPool: api.userPool,
      cognitoDomain: { domainPrefix: props.signInDomainPrefix ?? `right-to-know-${Aws.ACCOUNT_ID}` },
    });
    const signInOrigin = this.signInDomain.baseUrl();

    this.logsBucket = new s3.Bucket(this, 'LogsBucket', {
      // S3 server access logs and CloudFront standard logs both need S3-managed keys; CloudFront's logs also need ACLs.
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.bucket = new s3.Bucket(this, 'SiteBucket', {
      // Static code and styles only, public in effect through CloudFront: no case data is ever stored here.
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logsBucket,
      serverAccessLogsPrefix: 'site/',
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const csp = [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:",
      "font-src 'self'",
      `connect-src 'self' ${api.httpApi.apiEndpoint} ${signInOrigin}`,
      `form-action 'self' ${signInOrigin}`,
      "frame-ancestors 'none'",
      "base-uri 'self'",
      "object-src 'none'",
    ].join('; ');
    this.headers = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Right to know console: CSP (self, the API, the sign-in domain), HSTS, no framing, no referrer',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: csp, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          preload: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
      customHeadersBehavior: {
        customHeaders: [
          {
            header: 'Permissions-Policy',
            value: 'camera=(), microphone=(), geolocation=(), payment=()',
            override: true,
          },
        ],
      },
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Right to know console',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.headers,
        compress: true,
      },
      // The console routes itself (/case/<id> ...): a path with no object is the app's, so answer with index.html.
      errorResponses: [403, 404].map((httpStatus) => ({
        httpStatus,
        responseHttpStatus: 200,
        responsePagePath: '/index.html',
        ttl: Duration.seconds(0),
      })),
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: this.logsBucket,
      logFilePrefix: 'cloudfront/',
    });
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'No geo restriction: officers also work from abroad (liaison, extradition); every request for data needs a Cognito sign-in with MFA, and the distribution serves only static code.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'A web ACL for CloudFront must be created in us-east-1 and this app deploys to eu-west-2 only; the distribution serves static files with no data, and the sign-in endpoints have their own regional web ACL.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'The default *.cloudfront.net certificate allows TLSv1 whatever the policy says; a force domain with an ACM certificate (us-east-1) and minimumProtocolVersion TLSv1.2_2021 closes it.',
      },
    );

    const origin = `https://${this.distribution.distributionDomainName}`;
    this.deployment = new BucketDeployment(this, 'Console', {
      sources: [
        Source.asset(consoleFolder(props.buildConsole ?? false), { exclude: ['.built'] }),
        Source.jsonData('config.json', {
          mode: 'cognito',
          apiUrl: api.httpApi.apiEndpoint,
          cognitoDomain: signInOrigin,
          clientId: api.userPoolClient.userPoolClientId,
          redirectUri: `${origin}${CALLBACK_PATH}`,
          logoutUri: `${origin}/`,
        }),
      ],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/index.html', '/config.json'],
      memoryLimit: 512,
    });

    // BucketDeployment's copier is a CDK singleton provider: its role, runtime and settings are CDK's, not ours to shape.
    const copier = this.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (copier) {
      Validations.of(copier).acknowledge(
        {
          id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
          reason:
            "CDK's BucketDeployment provider role carries the AWS managed basic execution policy (writing its own logs) and offers no way to replace it.",
        },
        {
          id: 'AwsSolutions-IAM5[Action::s3:GetBucket*]',
          reason:
            "BucketDeployment's read grant on the CDK asset bucket and the site bucket, to copy web/dist in and prune what is gone.",
        },
        {
          id: 'AwsSolutions-IAM5[Action::s3:GetObject*]',
          reason:
            "BucketDeployment's read grant on the CDK asset bucket and the site bucket, to copy web/dist in and prune what is gone.",
        },
        {
          id: 'AwsSolutions-IAM5[Action::s3:List*]',
          reason:
            "BucketDeployment's read grant on the CDK asset bucket and the site bucket, to copy web/dist in and prune what is gone.",
        },
        {
          id: 'AwsSolutions-IAM5[Action::s3:Abort*]',
          reason: "BucketDeployment's write grant on the site bucket only: multipart uploads of the console's files.",
        },
        {
          id: 'AwsSolutions-IAM5[Action::s3:DeleteObject*]',
          reason: "BucketDeployment's write grant on the site bucket only: pruning files a new build no longer has.",
        },
        {
          id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket)}.Arn>/*]`,
          reason:
            'Every object of the site bucket is a file of the built console: the copier writes and prunes them all.',
        },
        {
          id: 'AwsSolutions-IAM5[Resource::arn:aws:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-eu-west-2/*]',
          reason:
            'The CDK bootstrap asset bucket, where cdk deploy uploads the zipped web/dist; asset keys are content hashes, so the grant is to its objects.',
        },
        {
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason:
            'CloudFront invalidation actions (CreateInvalidation, GetInvalidation) that BucketDeployment grants for the distribution it refreshes after a deployment.',
        },
        {
          id: 'AwsSolutions-L1',
          reason:
            "The copier's runtime is chosen and updated by aws-cdk-lib (a Python provider with the AWS CLI layer); upgrading CDK moves it.",
        },
        {
          id: 'Serverless-LambdaLatestVersion',
          reason:
            "The copier's runtime is chosen and updated by aws-cdk-lib (a Python provider with the AWS CLI layer); upgrading CDK moves it.",
        },
        {
          id: 'Serverless-LambdaDLQ',
          reason:
            'Invoked only by CloudFormation as a custom resource, synchronously: a failure fails the deployment and rolls it back, so nothing would reach a queue.',
        },
        {
          id: 'Serverless-LambdaTracing',
          reason:
            'A deploy-time copy run by CloudFormation, on no request path; its settings are the CDK provider’s and traces would show nothing of the product.',
        },
      );
    }

    new CfnOutput(this, 'ConsoleUrl', { value: origin, description: 'The console' });
    new CfnOutput(this, 'SignInCallbackUrl', {
      value: `${origin}${CALLBACK_PATH}`,
      description:
        'Give it to the API stack once: -c consoleCallbackUrls=<this> -c consoleLogoutUrls=<ConsoleUrl>/ (sign-in callback and CORS origin)',
    });
  }
}
