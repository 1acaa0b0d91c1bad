import { getObject, putObject } from './clients/s3.js';
import { env } from './env.js';

/** Letters and raw returns: private, encrypted at rest by the bucket's KMS key (infra), never public. */
export async function putDocument(
  key: string,
  body: Uint8Array,
  contentType: string,
  sha256Hex: string,
): Promise<void> {
  await putObject(env('DOCUMENTS_BUCKET'), key, body, contentType, { sha256: sha256Hex });
}

/** A stored document, or undefined when there is none under the key. */
export const getDocument = (key: string): Promise<Uint8Array | undefined> => getObject(env('DOCUMENTS_BUCKET'), key);
