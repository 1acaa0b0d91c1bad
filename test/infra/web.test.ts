import { Stack, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build.js';
import { CALLBACK_PATH } from '../../infra/stacks/web.js';
import { synthesize, type Synthesized } from './template.js';

/** The console's stack: a private bucket behind CloudFront with origin access control, strict headers, the runtime config, Cognito's sign-in domain. */
let s: Synthesized;
let web: Template;
let resources: Record<string, { Type: string; Properties?: Record<string, any> }>;
beforeAll(() => {
  s = synthesize();
  web = Template.fromStack(s.web);
  resources = web.toJSON().Resources;
});

const logicalId = (c: IConstruct) => {
  const element = (c.node.defaultChild ?? c) as CfnElement;
  return Stack.of(element).getLogicalId(element);
};
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

describe('web stack', () => {
  it('keeps the site bucket private, TLS-only, versioned, encrypted and access-logged', () => {
    const site = resources[logicalId(s.web.bucket)]!.Properties!;
    expect(site.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(site.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(site.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe(
      'AES256',
    );
    expect(site.LoggingConfiguration.DestinationBucketName).toEqual({ Ref: logicalId(s.web.logsBucket) });
    for (const [id, b] of ofType('AWS::S3::Bucket'))
      expect(b.Properties!.PublicAccessBlockConfiguration, id).toMatchObject({
        BlockPublicAcls: true,
        RestrictPublicBuckets: true,
      });
    for (const [, p] of ofType('AWS::S3::BucketPolicy')) {
      expect(p.Properties!.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    }
  });

  it('lets only this distribution read the site bucket, through origin access control', () => {
    const [[oacId]] = ofType('AWS::CloudFront::OriginAccessControl') as [[string, unknown]];
    web.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: {
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      },
    });
    const dist = resources[logicalId(s.web.distribution)]!.Properties!.DistributionConfig;
    expect(dist.Origins[0].OriginAccessControlId).toEqual({ 'Fn::GetAtt': [oacId, 'Id'] });
    expect(dist.Origins[0].S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
    const policy = ofType('AWS::S3::BucketPolicy').find(
      ([, p]) => JSON.stringify(p.Properties!.Bucket) === JSON.stringify({ Ref: logicalId(s.web.bucket) }),
    )!;
    const read = (policy[1].Properties!.PolicyDocument.Statement as any[]).find((st) => st.Effect === 'Allow');
    expect(read).toMatchObject({ Action: 's3:GetObject', Principal: { Service: 'cloudfront.amazonaws.com' } });
    expect(JSON.stringify(read.Condition)).toContain(logicalId(s.web.distribution));
  });

  it('serves index.html at the root and for every console route, over HTTPS only, logged, with the security headers', () => {
    const dist = resources[logicalId(s.web.distribution)]!.Properties!.DistributionConfig;
    expect(dist.DefaultRootObject).toBe('index.html');
    expect(dist.CustomErrorResponses).toEqual(
      expect.arrayContaining(
        [403, 404].map((code) =>
          expect.objectContaining({ ErrorCode: code, ResponseCode: 200, ResponsePagePath: '/index.html' }),
        ),
      ),
    );
    expect(dist.DefaultCacheBehavior).toMatchObject({
      ViewerProtocolPolicy: 'redirect-to-https',
      AllowedMethods: ['GET', 'HEAD'],
      ResponseHeadersPolicyId: { Ref: logicalId(s.web.headers) },
    });
    expect(dist.Logging.Bucket).toEqual({ 'Fn::GetAtt': [logicalId(s.web.logsBucket), 'RegionalDomainName'] });
  });

  it('allows scripts, styles and connections only to itself, the API and the sign-in domain; no framing, no referrer, HSTS', () => {
    const config = resources[logicalId(s.web.headers)]!.Properties!.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    const csp = JSON.stringify(config.ContentSecurityPolicy.ContentSecurityPolicy);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    // connect-src: the API's endpoint (from the API stack) and the Cognito domain of this stack, nothing else.
    expect(csp).toMatch(/connect-src 'self' ".*ApiEndpoint|connect-src 'self' ",\{"Fn::ImportValue/);
    expect(csp).toContain(logicalId(s.web.signInDomain));
    expect(config).toMatchObject({
      StrictTransportSecurity: { AccessControlMaxAgeSec: 730 * 86400, IncludeSubdomains: true, Override: true },
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: 'DENY' },
      ReferrerPolicy: { ReferrerPolicy: 'no-referrer' },
    });
  });

  it('puts the hosted sign-in domain on the API stack’s user pool', () => {
    const [[, domain]] = ofType('AWS::Cognito::UserPoolDomain') as unknown as [
      [string, { Properties: Record<string, unknown> }],
    ];
    // A cross-stack reference to the API stack's pool (an export, or a stack output lookup, as CDK chooses).
    expect(JSON.stringify(domain.Properties.UserPoolId)).toContain(logicalId(s.api.userPool));
    expect(JSON.stringify(domain.Properties.UserPoolId)).toContain(s.api.stackName);
  });

  it('deploys the built console and a config.json naming the API, the sign-in domain, the client and the callback', () => {
    const [[, deployment]] = ofType('Custom::CDKBucketDeployment') as unknown as [
      [string, { Properties: Record<string, any> }],
    ];
    expect(deployment.Properties.SourceObjectKeys).toHaveLength(2);
    expect(deployment.Properties.DestinationBucketName).toEqual({ Ref: logicalId(s.web.bucket) });
    expect(deployment.Properties.DistributionPaths).toEqual(expect.arrayContaining(['/index.html', '/config.json']));
    const markers = JSON.stringify(deployment.Properties.SourceMarkers);
    expect(markers).toContain('ApiEndpoint');
    expect(markers).toContain('ConsoleClient'.slice(0, 7));
    expect(markers).toContain(logicalId(s.web.signInDomain));
    expect(markers).toContain(logicalId(s.web.distribution));
  });

  it('leaves no CDK warning on the web stack', () => {
    const messages = s.assembly.getStackArtifact(s.web.artifactId).messages.filter((m) => m.level !== 'info');
    expect(messages.map((m) => `${m.level} ${m.id}: ${String(m.entry.data)}`)).toEqual([]);
  });
});

describe('console origin', () => {
  it('once the console has its domain, the sign-in returns there and CORS lets that origin, and only it, call the API', () => {
    const before = process.env.CDK_CONTEXT_JSON;
    process.env.CDK_CONTEXT_JSON = JSON.stringify({
      consoleCallbackUrls: `https://d111111abcdef8.cloudfront.net${CALLBACK_PATH}`,
      consoleLogoutUrls: 'https://d111111abcdef8.cloudfront.net/',
    });
    try {
      const { api } = buildApp({ bundle: false });
      const t = Template.fromStack(api);
      t.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        CallbackURLs: [`https://d111111abcdef8.cloudfront.net${CALLBACK_PATH}`],
        LogoutURLs: ['https://d111111abcdef8.cloudfront.net/'],
      });
      t.hasResourceProperties('AWS::ApiGatewayV2::Api', {
        CorsConfiguration: {
          AllowOrigins: ['https://d111111abcdef8.cloudfront.net'],
          AllowMethods: ['GET', 'POST', 'PUT'],
          AllowHeaders: ['authorization', 'content-type'],
        },
      });
      expect(JSON.stringify(t.toJSON())).not.toContain('AllowCredentials');
    } finally {
      if (before === undefined) delete process.env.CDK_CONTEXT_JSON;
      else process.env.CDK_CONTEXT_JSON = before;
    }
  });

  it('without it, the API answers no browser from another origin', () => {
    expect(JSON.stringify(s.templates.api.toJSON())).not.toContain('CorsConfiguration');
  });
});
