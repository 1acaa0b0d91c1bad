import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { serveStatic } from '../../local/static.js';
import { authorizeUrl, challengeFor } from '../../web/src/auth/pkce-core.js';
import { statsCsv } from '../../web/src/stats-csv.js';

/** The console's parts that need no browser: static serving, PKCE, the CSV export. */
describe('static serving of web/dist', () => {
  let root: string;
  let server: Server;
  let port: number;
  beforeAll(async () => {
    const base = mkdtempSync(join(process.cwd(), '.tmp', 'static-'));
    root = join(base, 'dist');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(root, 'assets', 'index-AbCdEf12.js'), 'console.log(1)');
    writeFileSync(join(base, 'secret.txt'), 'outside the folder');
    server = createServer(async (req, res) => {
      if (!(await serveStatic(req, res, new URL(req.url!, 'http://x').pathname, root))) {
        res.writeHead(404);
        res.end('api 404');
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => {
    server.close();
    rmSync(join(root, '..'), { recursive: true, force: true });
  });

  // Raw requests: fetch would normalise the dot segments away before they reach the server.
  const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
    new Promise<{ status: number; type: string; body: string; cache: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () =>
          resolve({
            status: res.statusCode!,
            type: String(res.headers['content-type']),
            body,
            cache: String(res.headers['cache-control']),
          }),
        );
      });
      req.on('error', reject);
      req.end();
    });

  test('serves files with their content type; hashed assets cached for good, pages revalidated', async () => {
    expect(await get('/')).toMatchObject({ status: 200, type: 'text/html; charset=utf-8', cache: 'no-cache' });
    expect(await get('/assets/index-AbCdEf12.js')).toMatchObject({
      status: 200,
      type: 'text/javascript; charset=utf-8',
      cache: 'public, max-age=31536000, immutable',
    });
  });

  test('answers a browser asking for a console page with index.html, and leaves anything else to the API', async () => {
    expect(await get('/case/123', { accept: 'text/html,application/xhtml+xml' })).toMatchObject({
      status: 200,
      body: '<!doctype html><title>console</title>',
    });
    expect((await get('/case/123', { accept: 'application/json' })).body).toBe('api 404');
    expect((await get('/missing.js', { accept: 'text/html' })).body).toBe('api 404');
    expect((await get('/', {}, 'POST')).body).toBe('api 404');
  });

  test.each([
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/..%5csecret.txt',
    '/%00index.html',
    '/%E0%A4%A',
  ])('never serves outside the folder: %s', async (path) => {
    const r = await get(path, { accept: 'text/html' });
    expect(r.body).not.toContain('outside the folder');
  });
});

describe('PKCE', () => {
  test('derives the S256 challenge of RFC 7636 appendix B', async () => {
    expect(await challengeFor('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  test('asks Cognito for a code with the challenge, the state and the registered redirect', async () => {
    const url = new URL(
      await authorizeUrl(
        {
          cognitoDomain: 'https://rtk.auth.eu-west-2.amazoncognito.com',
          clientId: 'client1',
          redirectUri: 'https://d1.cloudfront.net/auth/callback',
          logoutUri: 'https://d1.cloudfront.net/',
        },
        'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
        'st4te',
      ),
    );
    expect(url.origin + url.pathname).toBe('https://rtk.auth.eu-west-2.amazoncognito.com/oauth2/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'client1',
      redirect_uri: 'https://d1.cloudfront.net/auth/callback',
      scope: 'openid email profile',
      state: 'st4te',
      code_challenge_method: 'S256',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    });
  });
});

describe('statistics CSV', () => {
  test('has one row per figure and nothing but aggregates', () => {
    const csv = statsCsv({
      generatedAt: '2026-11-28T10:00:00.000Z',
      cases: 3,
      byStage: { CLOSED: 2, DELAYED: 1 },
      timeToIdentification: { count: 2, medianHours: 30.5, p90Hours: 40 },
      timeToDisclosure: { count: 0 },
      delaysByGround: { '=HYPERLINK("x")': 1 },
    });
    expect(csv.split('\r\n')).toEqual([
      'measure,key,value',
      'generated_at,,2026-11-28T10:00:00.000Z',
      'cases,total,3',
      'cases_by_stage,CLOSED,2',
      'cases_by_stage,DELAYED,1',
      'time_to_identification_hours,count,2',
      'time_to_identification_hours,median,30.5',
      'time_to_identification_hours,p90,40',
      'time_to_disclosure_hours,count,0',
      `delays_by_ground,"'=HYPERLINK(""x"")",1`,
      '',
    ]);
  });
});
