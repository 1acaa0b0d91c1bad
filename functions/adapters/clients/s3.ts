import { S3Client } from '@aws-sdk/client-s3';
import { traced } from '#powertools';

let s3: S3Client | undefined;
export const objects = () =>
  (s3 ??= traced(new S3Client({ forcePathStyle: process.env.AWS_S3_FORCE_PATH_STYLE === 'true' })));
