import { S3Client } from '@aws-sdk/client-s3';

let s3: S3Client | undefined;
export const objects = () => (s3 ??= new S3Client({ forcePathStyle: process.env.AWS_S3_FORCE_PATH_STYLE === 'true' }));
