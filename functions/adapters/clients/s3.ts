import { S3Client } from '@aws-sdk/client-s3';
import { tracer } from '#powertools';

let s3: S3Client | undefined;
export const objects = () =>
  (s3 ??= tracer.captureAWSv3Client(new S3Client({ forcePathStyle: process.env.AWS_S3_FORCE_PATH_STYLE === 'true' })));
