import { keptSecret } from '../constructs/secret.js';
import { Aws, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { HEADS_INDEX } from '../../functions/adapters/audit.js';
import { CONSULTATIONS_INDEX } from '../../functions/adapters/consultations.js';
import { INDEX_DEFINITIONS } from '../../functions/adapters/casesTable.js';

/** Letters are the only documents so far; another kind of document gets its own prefix and policy. */
export const LETTER_OBJECTS = 'letters/*';

export type TableRole = 'cases' | 'audit' | 'consultations' | 'idempotency';

/** What Powertools idempotency records expire on (epoch seconds). */
export const IDEMPOTENCY_TTL_ATTRIBUTE = 'expiration';

/** How long the audit trail's daily digests are locked against change or deletion. */
export const AUDIT_DIGEST_RETENTION = Duration.days(7 * 365);

/**
 * Customer-managed key, tables and buckets: everything that holds case data.
 * Stateful resources are retained on stack deletion and protected against it.
 */
export class DataStack extends Stack {
  /**
   * Fixed CloudFormation logical ids of the tables, by role. Fixed so that a
   * refactor of this file can never replace a table, and so the local stack
   * can find each table in the synthesized template (infra/local-tables.ts).
   */
  static readonly TABLE_LOGICAL_IDS = {
    CasesTable: 'cases',
    AuditTable: 'audit',
    ConsultationsTable: 'consultations',
    IdempotencyTable: 'idempotency',
  } as const satisfies Record<string, TableRole>;

  readonly key: kms.Key;
  readonly casesTable: dynamodb.Table;
  readonly auditTable: dynamodb.Table;
  /** The consultation log: who viewed which case, once per person per window (adapters/consultations.ts). */
  readonly consultationsTable: dynamodb.Table;
  readonly idempotencyTable: dynamodb.Table;
  readonly accessLogsBucket: s3.Bucket;
  readonly documentsBucket: s3.Bucket;
  readonly auditDigestBucket: s3.Bucket;
  /** The key of the trail's data digests (HMAC-SHA-256): only the functions that append to the trail read it. */
  readonly auditDigestKey: secretsmanager.Secret;
  /** Read the letters in the documents bucket. */
  readonly lettersReadPolicy: iam.ManagedPolicy;
  /** Store letters in the documents bucket. */
  readonly lettersWritePolicy: iam.ManagedPolicy;
  readonly digestsWritePolicy: iam.ManagedPolicy;
  readonly returnsWritePolicy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    this.key = new kms.Key(this, 'Key', {
      description: 'Right to know: case data at rest (tables, documents, secrets, workflow history, logs)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch Logs encrypts log groups of this account and region with the key; nothing else gets it through this statement.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*`,
          },
        },
      }),
    );

    const S = dynamodb.AttributeType.STRING;
    this.casesTable = this.table('CasesTable', {
      partitionKey: { name: 'pk', type: S },
      sortKey: { name: 'sk', type: S },
    });
    // Each list's index, from the adapter's definitions: its keys, and a projection of what the list shows.
    for (const [indexName, d] of Object.entries(INDEX_DEFINITIONS) as [
      string,
      { pk: string; sk?: string; projection: 'ALL' | 'KEYS_ONLY' | readonly string[] },
    ][]) {
      this.casesTable.addGlobalSecondaryIndex({
        indexName,
        partitionKey: { name: d.pk, type: S },
        ...(d.sk ? { sortKey: { name: d.sk, type: S } } : {}),
        ...(d.projection === 'ALL'
          ? { projectionType: dynamodb.ProjectionType.ALL }
          : d.projection === 'KEYS_ONLY'
            ? { projectionType: dynamodb.ProjectionType.KEYS_ONLY }
            : { projectionType: dynamodb.ProjectionType.INCLUDE, nonKeyAttributes: [...d.projection] }),
      });
    }

    this.auditTable = this.table('AuditTable', {
      partitionKey: { name: 'caseId', type: S },
      sortKey: { name: 'seq', type: dynamodb.AttributeType.NUMBER },
    });
    // The chains' heads by when they moved (sparse: only head items carry the keys), for the daily digest.
    this.auditTable.addGlobalSecondaryIndex({
      indexName: HEADS_INDEX,
      partitionKey: { name: 'headShard', type: S },
      sortKey: { name: 'headAt', type: S },
      projectionType: dynamodb.ProjectionType.INCLUDE,
      nonKeyAttributes: ['chain', 'headSeq', 'headHash'],
    });

    this.consultationsTable = this.table('ConsultationsTable', {
      partitionKey: { name: 'caseId', type: S },
      sortKey: { name: 'viewKey', type: S },
    });
    // The consultations by when they were recorded, for the daily digest that seals them.
    this.consultationsTable.addGlobalSecondaryIndex({
      indexName: CONSULTATIONS_INDEX,
      partitionKey: { name: 'viewShard', type: S },
      sortKey: { name: 'at', type: S },
      projectionType: dynamodb.ProjectionType.INCLUDE,
      nonKeyAttributes: ['actor'],
    });

    this.idempotencyTable = this.table('IdempotencyTable', {
      partitionKey: { name: 'id', type: S },
      timeToLiveAttribute: IDEMPOTENCY_TTL_ATTRIBUTE,
    });

    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogsBucket', {
      // S3 server access logs can only be delivered to a bucket encrypted with S3-managed keys.
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.documentsBucket = new s3.Bucket(this, 'DocumentsBucket', {
      ...this.protectedBucket('documents/'),
      versioned: true,
    });

    // Object access is defined here, beside the bucket, and attached to the
    // roles that need it: an object ARN needs a wildcard, and this way the one
    // acknowledgement for it sits on the one policy that has it.
    const kmsViaS3 = { StringEquals: { 'kms:ViaService': `s3.${Aws.REGION}.amazonaws.com` } };
    this.lettersReadPolicy = new iam.ManagedPolicy(this, 'LettersReadPolicy', {
      description: 'Read the disclosure letters',
      statements: [
        new iam.PolicyStatement({
          actions: ['s3:GetObject'],
          resources: [this.documentsBucket.arnForObjects(LETTER_OBJECTS)],
        }),
        // Without ListBucket a missing object answers AccessDenied instead of NoSuchKey, which the adapter turns into "not found".
        new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.documentsBucket.bucketArn] }),
        new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: [this.key.keyArn], conditions: kmsViaS3 }),
      ],
    });
    this.lettersWritePolicy = new iam.ManagedPolicy(this, 'LettersWritePolicy', {
      description: 'Store the disclosure letters',
      statements: [
        new iam.PolicyStatement({
          actions: ['s3:PutObject'],
          resources: [this.documentsBucket.arnForObjects(LETTER_OBJECTS)],
        }),
        new iam.PolicyStatement({
          actions: ['kms:GenerateDataKey'],
          resources: [this.key.keyArn],
          conditions: kmsViaS3,
        }),
      ],
    });
    this.returnsWritePolicy = new iam.ManagedPolicy(this, 'ReturnsWritePolicy', {
      description: 'Keep the raw platform and ISP returns as uploaded',
      statements: [
        new iam.PolicyStatement({
          actions: ['s3:PutObject'],
          resources: [this.documentsBucket.arnForObjects('returns/*')],
        }),
        new iam.PolicyStatement({
          actions: ['kms:GenerateDataKey'],
          resources: [this.key.keyArn],
          conditions: kmsViaS3,
        }),
      ],
    });
    Validations.of(this.returnsWritePolicy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(this.documentsBucket.node.defaultChild as s3.CfnBucket)}.Arn>/returns/*]`,
      reason:
        'Raw returns are keyed by case, request and hash (returns/<caseId>/<requestId>/<sha256>): access is to the returns/ prefix of the documents bucket and nothing else in it.',
    });
    for (const policy of [this.lettersReadPolicy, this.lettersWritePolicy]) {
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(this.documentsBucket.node.defaultChild as s3.CfnBucket)}.Arn>/${LETTER_OBJECTS}]`,
        reason:
          'Letters are keyed by case and version (letters/<caseId>/v<n>.pdf), so access is to the letters/ prefix of the documents bucket and nothing else in it.',
      });
    }

    this.auditDigestBucket = new s3.Bucket(this, 'AuditDigestBucket', {
      ...this.protectedBucket('audit-digest/'),
      versioned: true,
      objectLockEnabled: true,
      objectLockDefaultRetention: s3.ObjectLockRetention.compliance(AUDIT_DIGEST_RETENTION),
    });
    this.digestsWritePolicy = new iam.ManagedPolicy(this, 'DigestsWritePolicy', {
      description: 'Write and read the daily audit digests',
      statements: [
        new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.auditDigestBucket.bucketArn] }),
        new iam.PolicyStatement({
          actions: ['s3:GetObject', 's3:PutObject'],
          resources: [this.auditDigestBucket.arnForObjects('digests/*')],
        }),
        new iam.PolicyStatement({
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [this.key.keyArn],
          conditions: kmsViaS3,
        }),
      ],
    });
    Validations.of(this.digestsWritePolicy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(this.auditDigestBucket.node.defaultChild as s3.CfnBucket)}.Arn>/digests/*]`,
      reason: 'One digest a day, keyed by date under digests/: access is to that prefix of the digest bucket only.',
    });

    this.auditDigestKey = keptSecret(this, 'AuditDigestKey', {
      description:
        "Key material (through HKDF-SHA256) for the audit trail's data digests (HMAC-SHA-256), so a digest gives nothing away to a reader who guesses and hashes",
      key: this.key,
      generated: true,
      notRotatedBecause:
        'The force proves data against digests made years before (court disclosure): a rotated key could no longer show them, so the key is kept, like the trail, for as long as the trail is.',
    });
  }

  private table(
    logicalId: keyof typeof DataStack.TABLE_LOGICAL_IDS,
    keys: Pick<dynamodb.TableProps, 'partitionKey' | 'sortKey' | 'timeToLiveAttribute'>,
  ): dynamodb.Table {
    const table = new dynamodb.Table(this, logicalId, {
      ...keys,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    (table.node.defaultChild as dynamodb.CfnTable).overrideLogicalId(logicalId);
    return table;
  }

  private protectedBucket(logPrefix: string): s3.BucketProps {
    return {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: logPrefix,
      removalPolicy: RemovalPolicy.RETAIN,
    };
  }
}
