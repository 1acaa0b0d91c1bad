import { createHash } from 'node:crypto';
import { AwsServiceError, configuredEndpoint, escapeUri, region, sendSigned } from './signedRequest.js';

/**
 * S3, as the product calls it: put an object, get one, list the keys under a
 * prefix, each one signed request of S3's REST API
 * (functions/adapters/clients/signedRequest.ts) rather than the SDK's client,
 * which with its XML protocol and checksums is about 175 kB of every bundle
 * that stores a letter, a return or a digest. An object is put with its
 * Content-MD5, as a bucket under Object Lock (the audit digests') requires,
 * and S3 checks the payload against the signed SHA-256 besides. The bucket
 * is in the host name, as the SDK addresses it, or in the path when
 * AWS_S3_FORCE_PATH_STYLE is `true` (the local stack's s3rver).
 */

export function objectUrl(bucket: string, key = '', query: Record<string, string | undefined> = {}): URL {
  const path = key
    .split('/')
    .map((segment) => escapeUri(segment))
    .join('/');
  const configured = configuredEndpoint('S3');
  const base = new URL(configured ?? `https://s3.${region()}.amazonaws.com`);
  const pathStyle = process.env.AWS_S3_FORCE_PATH_STYLE === 'true';
  const url = new URL(base.origin);
  if (pathStyle) url.pathname = `${base.pathname.replace(/\/$/, '')}/${bucket}${key ? `/${path}` : ''}`;
  else {
    url.hostname = `${bucket}.${base.hostname}`;
    url.pathname = `/${path}`;
  }
  const search = Object.entries(query)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${escapeUri(k)}=${escapeUri(v)}`)
    .join('&');
  if (search) url.search = `?${search}`;
  return url;
}

/** The text of the first `<tag>` in an XML answer, its five entities read. */
function xmlText(xml: string, tag: string): string | undefined {
  return xmlTexts(xml, tag)[0];
}

function xmlTexts(xml: string, tag: string): string[] {
  return [...xml.matchAll(new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g'))].map((m) =>
    m[1]!.replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => XML_ENTITIES[e]!),
  );
}
const XML_ENTITIES: Record<string, string> = { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' };

/** S3's refusal as the SDK names it (`NoSuchKey`, `AccessDenied`...), from its XML error document. */
async function refusal(res: Response, operation: string): Promise<AwsServiceError> {
  const xml = await res.text();
  return new AwsServiceError(
    xmlText(xml, 'Code') ?? (res.status === 404 ? 'NotFound' : `Http${res.status}`),
    xmlText(xml, 'Message') ?? `S3 ${operation} refused (HTTP ${res.status})`,
    res.status,
    res.headers.get('x-amz-request-id') ?? undefined,
  );
}

const s3Call = (operation: string) => ({ service: 'S3', operation });

export async function putObject(
  bucket: string,
  key: string,
  body: Uint8Array | string,
  contentType: string,
  metadata: Record<string, string> = {},
): Promise<void> {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const headers: Record<string, string> = {
    'content-type': contentType,
    'content-md5': createHash('md5').update(bytes).digest('base64'),
  };
  for (const [name, value] of Object.entries(metadata)) headers[`x-amz-meta-${name}`] = value;
  const res = await sendSigned({
    service: 's3',
    traceAs: s3Call('PutObject'),
    url: objectUrl(bucket, key),
    method: 'PUT',
    headers,
    body: bytes,
  });
  if (!res.ok) throw await refusal(res, 'PutObject');
  await res.arrayBuffer();
}

/** An object's bytes, or undefined when there is no object under the key. */
export async function getObject(bucket: string, key: string): Promise<Uint8Array | undefined> {
  const res = await sendSigned({
    service: 's3',
    traceAs: s3Call('GetObject'),
    url: objectUrl(bucket, key),
    method: 'GET',
    headers: {},
  });
  if (res.ok) return new Uint8Array(await res.arrayBuffer());
  const e = await refusal(res, 'GetObject');
  if (e.name === 'NoSuchKey') return undefined;
  throw e;
}

/** Every key under `prefix` (after `startAfter`, when given), a page of the listing at a time. */
export async function listKeys(bucket: string, prefix: string, startAfter?: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const query = { 'list-type': '2', prefix, 'start-after': startAfter, 'continuation-token': token };
    const res = await sendSigned({
      service: 's3',
      traceAs: s3Call('ListObjectsV2'),
      url: objectUrl(bucket, '', query),
      method: 'GET',
      headers: {},
    });
    if (!res.ok) throw await refusal(res, 'ListObjectsV2');
    const xml = await res.text();
    keys.push(...xmlTexts(xml, 'Key'));
    token = xmlText(xml, 'IsTruncated') === 'true' ? xmlText(xml, 'NextContinuationToken') : undefined;
  } while (token);
  return keys;
}
