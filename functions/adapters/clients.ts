import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { S3Client } from '@aws-sdk/client-s3';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

// One client of each kind per process, made on first use. Endpoints come from
// the SDK's own AWS_ENDPOINT_URL_* variables, so the same code runs locally.
let ddb: DynamoDBClient | undefined;
let doc: DynamoDBDocumentClient | undefined;
let sfn: SFNClient | undefined;
let s3: S3Client | undefined;
let events: EventBridgeClient | undefined;
let secrets: SecretsManagerClient | undefined;

export const dynamo = () => (ddb ??= new DynamoDBClient({}));
export const documents = () =>
  (doc ??= DynamoDBDocumentClient.from(dynamo(), { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } }));
export const stepFunctions = () => (sfn ??= new SFNClient({}));
export const objects = () => (s3 ??= new S3Client({ forcePathStyle: process.env.AWS_S3_FORCE_PATH_STYLE === 'true' }));
export const eventBus = () => (events ??= new EventBridgeClient({}));
export const secretStore = () => (secrets ??= new SecretsManagerClient({}));
