import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SEEDED_USERS } from './auth.js';

/**
 * The console's built files (web/dist) for paths no API route claims: GET and
 * HEAD only, never outside the folder, and index.html for a browser asking
 * for a page of the console's own routes (Accept: text/html), so a reload of
 * /case/<id> works. Anything else unknown stays the API's 404.
 */
export const WEB_DIST = fileURLToPath(new URL('../web/dist/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

async function fileAt(path: string): Promise<{ path: string; size: number } | undefined> {
  try {
    const s = await stat(path);
    return s.isFile() ? { path, size: s.size } : undefined;
  } catch {
    return undefined;
  }
}

/** Serve the request from `root` if it can be; false leaves it to the caller. */
export async function serveStatic(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  root = WEB_DIST,
): Promise<boolean> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (pathname === '/config.json') {
    // In AWS the web stack writes config.json; here the console signs in as a seeded user on this same origin.
    const body = JSON.stringify(localConsoleConfig());
    res.writeHead(200, {
      'content-type': 'application/json',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return false;
  }
  if (decoded.includes('\0')) return false;
  const base = resolve(root);
  const wanted = resolve(base, `.${decoded.endsWith('/') ? `${decoded}index.html` : decoded}`);
  const inside = wanted === base || wanted.startsWith(base + sep);
  let file = inside ? await fileAt(wanted) : undefined;
  const page = !file && inside && !extname(decoded) && String(req.headers.accept ?? '').includes('text/html');
  if (page) file = await fileAt(join(base, 'index.html'));
  if (!file) return false;
  const type = TYPES[extname(file.path).toLowerCase()] ?? 'application/octet-stream';
  // Hashed bundle names never change content; pages and config are always revalidated.
  const immutable = /\/assets\/[^/]+-[\w-]{8,}\.\w+$/.test(file.path.split(sep).join('/'));
  res.writeHead(200, {
    'content-type': type,
    'content-length': String(file.size),
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    ...(type.startsWith('text/html')
      ? {
          'content-security-policy':
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'",
        }
      : {}),
  });
  if (req.method === 'HEAD') {
    res.end();
    return true;
  }
  await new Promise<void>((done) => {
    const stream = createReadStream(file.path);
    stream.on('error', () => {
      res.destroy();
      done();
    });
    stream.on('end', done);
    stream.pipe(res);
  });
  return true;
}

export function localConsoleConfig() {
  return {
    mode: 'local' as const,
    apiUrl: '',
    users: SEEDED_USERS.map((u) => ({
      username: u.username,
      name: u.name,
      groups: u.groups,
      ...(u.rank ? { rank: u.rank } : {}),
    })),
  };
}
