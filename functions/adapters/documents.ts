import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { objects } from './clients/s3.js';
import { env } from './env.js';

/** Letters and raw returns: private, encrypted at rest by the bucket's KMS key (infra), never public. */
export async function putDocument(
  key: string,
  body: Uint8Array,
  contentType: string,
  sha256Hex: string,
): Promise<void> {
  await objects().send(
    new PutObjectCommand({
      Bucket: env('DOCUMENTS_BUCKET'),
      Key: key,
      Body: body,
      ContentType: contentType,
      Metadata: { sha256: sha256Hex },
    }),
  );
}

export async function getDocument(key: string): Promise<Uint8Array | undefined> {
  try {
    const out = await objects().send(new GetObjectCommand({ Bucket: env('DOCUMENTS_BUCKET'), Key: key }));
    return await out.Body!.transformToByteArray();
  } catch (e) {
    if ((e as { name?: string }).name === 'NoSuchKey') return undefined;
    throw e;
  }
}
