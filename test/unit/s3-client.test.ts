import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getObject, listKeys, objectUrl, putObject } from '../../functions/adapters/clients/s3.js';
import { recordingServer, type Seen } from '../support/recordingServer.js';

/**
 * The S3 client (signed requests of S3's REST API, in place of the SDK's
 * client) against a server that records what it is sent and answers as it
 * is told; the e2e tests run it against s3rver, which checks the signature.
 */
let aws: Awaited<ReturnType<typeof recordingServer>>;
const saved = { ...process.env };

beforeAll(async () => {
  aws = await recordingServer({ status: 200, body: '' });
  Object.assign(process.env, {
    AWS_REGION: 'eu-west-2',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'secret',
    AWS_ENDPOINT_URL_S3: aws.url,
    AWS_S3_FORCE_PATH_STYLE: 'true',
  });
});
afterAll(async () => {
  process.env = saved;
  await aws.close();
});
beforeEach(() => aws.reset());

describe('the S3 client', () => {
  it('addresses the bucket in the host name, or in the path when forced, each key segment escaped once', () => {
    expect(objectUrl('docs', 'letters/c 1/v1+(a).pdf').pathname).toBe('/docs/letters/c%201/v1%2B%28a%29.pdf');
    expect(objectUrl('docs').pathname).toBe('/docs');
    const local = { ...process.env };
    delete process.env.AWS_S3_FORCE_PATH_STYLE;
    delete process.env.AWS_ENDPOINT_URL_S3;
    try {
      const hosted = objectUrl('docs', 'letters/a.pdf', { 'list-type': '2', prefix: 'a b', token: undefined });
      expect(hosted.href).toBe('https://docs.s3.eu-west-2.amazonaws.com/letters/a.pdf?list-type=2&prefix=a%20b');
    } finally {
      process.env = local;
    }
  });

  it('puts an object with its type, metadata, MD5 and signed payload hash', async () => {
    const body = new TextEncoder().encode('%PDF-1.7 letter');
    await putObject('docs', 'letters/c1/v1.pdf', body, 'application/pdf', { sha256: 'abc' });
    const [put] = aws.seen as [Seen];
    expect([put.method, put.url]).toEqual(['PUT', '/docs/letters/c1/v1.pdf']);
    expect(put.body.toString()).toBe('%PDF-1.7 letter');
    expect(put.headers['content-type']).toBe('application/pdf');
    expect(put.headers['x-amz-meta-sha256']).toBe('abc');
    expect(put.headers['content-md5']).toBe(createHash('md5').update(body).digest('base64'));
    expect(put.headers['x-amz-content-sha256']).toBe(createHash('sha256').update(body).digest('hex'));
    expect(put.headers.authorization).toMatch(/Credential=AKIDEXAMPLE\/\d{8}\/eu-west-2\/s3\/aws4_request/);
  });

  it('gets an object, none for NoSuchKey, and names any other refusal as S3 does', async () => {
    aws.answers.push(
      { status: 200, body: 'bytes' },
      { status: 404, body: '<Error><Code>NoSuchKey</Code><Message>gone</Message></Error>' },
      { status: 403, body: '<Error><Code>AccessDenied</Code><Message>no &amp; never</Message></Error>' },
    );
    expect(Buffer.from((await getObject('docs', 'a'))!).toString()).toBe('bytes');
    expect(await getObject('docs', 'b')).toBeUndefined();
    await expect(getObject('docs', 'c')).rejects.toMatchObject({
      name: 'AccessDenied',
      message: 'no & never',
      $metadata: { httpStatusCode: 403 },
    });
  });

  it('lists every key under a prefix, page after page', async () => {
    const page = (keys: string[], next?: string) =>
      `<ListBucketResult><IsTruncated>${next ? 'true' : 'false'}</IsTruncated>${keys.map((k) => `<Contents><Key>${k}</Key></Contents>`).join('')}${next ? `<NextContinuationToken>${next}</NextContinuationToken>` : ''}</ListBucketResult>`;
    aws.answers.push(
      { status: 200, body: page(['digests/2026-11-01.json'], 'tok+/=') },
      { status: 200, body: page(['digests/2026-11-02.json']) },
    );
    expect(await listKeys('audit', 'digests/', 'digests/2026-10-31.json')).toEqual([
      'digests/2026-11-01.json',
      'digests/2026-11-02.json',
    ]);
    expect(aws.seen.map((s) => s.url)).toEqual([
      '/audit?list-type=2&prefix=digests%2F&start-after=digests%2F2026-10-31.json',
      '/audit?list-type=2&prefix=digests%2F&start-after=digests%2F2026-10-31.json&continuation-token=tok%2B%2F%3D',
    ]);
  });
});
