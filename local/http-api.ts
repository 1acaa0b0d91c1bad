import type { IncomingMessage, Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { policy } from '../functions/domain/policy.js';
import { matchRoute } from '../functions/routes.js';
import { UnsupportedMediaType, DomainError, notFound } from '../functions/domain/errors.js';
import { parseJsonBody } from '../functions/http/api.js';
import { fromDomainError, problem } from '../functions/http/problem.js';
import { LocalTokenInput } from '../functions/schemas/api.js';
import { lambdaContext, loadHandler } from './handlers.js';
import { serveStatic } from './static.js';
import type { LocalIdentity } from './auth.js';
import { InjectedFault, type FaultSeam } from './faults.js';
import { localServer } from './server.js';

/**
 * The HTTP API of docs/api.md served from routes.ts: each request becomes the API
 * Gateway v2 event the Lambda would get, with the JWT authorizer's claims,
 * and goes to the same handler module.
 */
export interface HttpApiOptions {
  identity: LocalIdentity;
  port: number;
  host?: string;
  onRequest?: (line: { method: string; path: string; status: number; ms: number }) => void;
  faults?: FaultSeam;
}

/** What API Gateway answers when the function behind a route fails or times out: its own body, not problem details. */
const gatewayAnswer = (e: InjectedFault): APIGatewayProxyStructuredResultV2 =>
  e.name === 'Sandbox.Timedout'
    ? {
        statusCode: 503,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message: 'Service Unavailable' }),
      }
    : {
        statusCode: 500,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message: 'Internal Server Error' }),
      };

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too_large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > limit) return 'too_large';
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function startHttpApi(
  opts: HttpApiOptions,
): Promise<{ url: string; server: Server; close: () => Promise<void> }> {
  let port = 0;
  const server = localServer(async (req, res) => {
    const started = Date.now();
    const url = new URL(req.url ?? '/', 'http://local');
    const send = (r: APIGatewayProxyStructuredResultV2) => {
      const body = r.body === undefined ? '' : r.isBase64Encoded ? Buffer.from(r.body, 'base64') : r.body;
      res.writeHead(r.statusCode ?? 200, {
        ...(r.headers as Record<string, string>),
        'x-content-type-options': 'nosniff',
      });
      res.end(body);
      opts.onRequest?.({
        method: req.method ?? '',
        path: url.pathname,
        status: r.statusCode ?? 200,
        ms: Date.now() - started,
      });
    };
    try {
      // A web page the developer visits could reach this server by DNS rebinding: its requests carry the page's host.
      if (!localHost(req.headers.host, port))
        return send(
          problem(403, 'Not allowed', 'this server answers only to 127.0.0.1, localhost or [::1] at its port'),
        );
      if (!decodable(url.pathname))
        return send(problem(400, 'Invalid input', 'the path is not valid percent-encoding'));
      const match = matchRoute(req.method ?? 'GET', url.pathname);
      if (!match) {
        // The console's files for what no API route claims (not API requests: onRequest is not told); the API's 404 for the rest.
        if (await serveStatic(req, res, url.pathname)) return;
        return send(problem(404, 'Not found', 'no such route'));
      }
      if ('allowed' in match)
        return send({
          ...problem(405, 'Method not allowed', `use ${match.allowed.join(' or ')}`),
          headers: { 'content-type': 'application/problem+json', allow: match.allowed.join(', ') },
        });
      const raw = await readBody(req, policy.maxBodyBytes);
      if (raw === 'too_large') {
        res.setHeader('connection', 'close');
        return send(problem(413, 'Body too large', 'the body is over 1 MiB'));
      }
      if (match.name === 'localToken')
        return send(await localToken(opts.identity, raw.toString('utf8'), String(req.headers['content-type'] ?? '')));
      let claims: Record<string, unknown> | undefined;
      if (match.route.access !== 'public') {
        claims = await opts.identity.verify(req.headers.authorization);
        if (!claims)
          return send({
            ...problem(401, 'Not authenticated', 'a valid bearer token is required'),
            headers: { 'content-type': 'application/problem+json', 'www-authenticate': 'Bearer' },
          });
      }
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)]),
      );
      const textual = /^(application\/(json|problem\+json)|text\/)/.test(String(req.headers['content-type'] ?? ''));
      const event = {
        version: '2.0',
        routeKey: `${match.route.method} ${match.route.path}`,
        rawPath: url.pathname,
        rawQueryString: url.search.slice(1),
        headers,
        queryStringParameters: Object.fromEntries(url.searchParams),
        pathParameters: match.params,
        body: raw.length ? (textual ? raw.toString('utf8') : raw.toString('base64')) : undefined,
        isBase64Encoded: raw.length > 0 && !textual,
        requestContext: {
          accountId: '000000000000',
          apiId: 'local',
          domainName: url.host,
          domainPrefix: 'local',
          http: {
            method: match.route.method,
            path: url.pathname,
            protocol: 'HTTP/1.1',
            sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
            userAgent: headers['user-agent'] ?? '',
          },
          requestId: randomUUID(),
          routeKey: `${match.route.method} ${match.route.path}`,
          stage: '$default',
          time: new Date().toUTCString(),
          timeEpoch: Date.now(),
          authorizer: {
            principalId: '',
            integrationLatency: 0,
            jwt: { claims: (claims ?? {}) as Record<string, string>, scopes: [] },
          },
        },
      } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
      const handler = await loadHandler('api', match.name);
      const run = () => handler(event, lambdaContext(match.name)) as Promise<APIGatewayProxyStructuredResultV2>;
      const caseId = match.params.caseId;
      send(
        await (opts.faults
          ? opts.faults.around({ kind: 'api', handler: match.name, ...(caseId ? { caseId } : {}) }, run)
          : run()),
      );
    } catch (e) {
      if (e instanceof InjectedFault) return send(gatewayAnswer(e));
      send(problem(500, 'Internal error', 'something went wrong on our side'));
      process.stderr.write(`local api: ${(e as Error).name}: ${(e as Error).message}\n`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', resolve);
  });
  const address = server.address() as { port: number };
  port = address.port;
  return {
    url: `http://127.0.0.1:${address.port}`,
    server,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The Host header of a request meant for this server: a loopback name at its own port, nothing else. */
export function localHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].includes(host.toLowerCase());
}

function decodable(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

async function localToken(
  identity: LocalIdentity,
  text: string,
  contentType: string,
): Promise<APIGatewayProxyStructuredResultV2> {
  try {
    if (!contentType.toLowerCase().startsWith('application/json'))
      throw new UnsupportedMediaType('send the body as application/json');
    const { username } = parseJsonBody(LocalTokenInput, text);
    const token = identity.tokenFor(username);
    if (!token) throw notFound('no seeded user has that username');
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
      body: JSON.stringify({ token }),
    };
  } catch (e) {
    if (e instanceof DomainError) return fromDomainError(e);
    throw e;
  }
}
