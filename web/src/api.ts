import type { ConsoleConfig } from './config.js';
import type { Page, Problem } from './shapes.js';
import { clearSession, getSession } from './auth/session.js';

/** The one way the console talks to the outside: the HTTP API of docs/api.md, with the signed-in user's bearer token. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title);
  }
}

let base = '';
let onUnauthenticated: () => void = () => undefined;

export function configureApi(config: ConsoleConfig, unauthenticated: () => void): void {
  base = config.apiUrl;
  onUnauthenticated = unauthenticated;
}

/**
 * The last answer to each GET that came with an ETag, for this signed-in user: the next GET of the same path
 * sends If-None-Match, and a 304 (nothing changed, nothing sent) is answered from here. Kept in memory only.
 */
const lastSeen = new Map<string, { etag: string; body: unknown; token: string | undefined }>();

export async function request<T>(
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  const token = getSession()?.token;
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = contentType;
  const seen = method === 'GET' ? lastSeen.get(path) : undefined;
  if (seen && seen.token === token) headers['if-none-match'] = seen.etag;
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    cache: 'no-store',
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  if (res.status === 304 && seen) return seen.body as T;
  const type = res.headers.get('content-type') ?? '';
  const parsed: unknown = type.includes('json') ? await res.json() : undefined;
  const etag = res.headers.get('etag');
  if (method === 'GET' && res.ok && etag) lastSeen.set(path, { etag, body: parsed, token });
  if (!res.ok) {
    if (res.status === 401) {
      clearSession();
      onUnauthenticated();
    }
    const problem = (parsed as Problem | undefined) ?? {
      title: res.statusText || 'Request failed',
      status: res.status,
    };
    throw new ApiError(res.status, problem);
  }
  return parsed as T;
}

export const get = <T>(path: string) => request<T>('GET', path);

/** A list's path for the page after `cursor` (none: the first page). */
export const pagePath = (path: string, cursor: string | null | undefined, limit?: number) => {
  const q = new URLSearchParams();
  if (limit) q.set('limit', String(limit));
  if (cursor) q.set('cursor', cursor);
  const s = q.toString();
  return s ? `${path}${path.includes('?') ? '&' : '?'}${s}` : path;
};

/** Pages of a list one after another until `found` says stop or the list ends (a decision page finding its approval). */
export async function findInPages<T>(path: string, found: (item: T) => boolean): Promise<T | undefined> {
  let cursor: string | null = null;
  do {
    const page: Page<T> = await get<Page<T>>(pagePath(path, cursor, 200));
    const hit = page.items.find(found);
    if (hit) return hit;
    cursor = page.nextCursor;
  } while (cursor);
  return undefined;
}
export const post = <T>(path: string, body: unknown, contentType?: string) =>
  request<T>('POST', path, body, contentType);
export const put = <T>(path: string, body: unknown) => request<T>('PUT', path, body);

/** A file the API serves (the letter): fetched with the token, handed to the browser as a download, never put in a URL. */
export async function download(path: string, filename: string): Promise<void> {
  const token = getSession()?.token;
  const res = await fetch(`${base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!res.ok) {
    const problem = (res.headers.get('content-type') ?? '').includes('json')
      ? ((await res.json()) as Problem)
      : { title: 'Download failed', status: res.status };
    throw new ApiError(res.status, problem);
  }
  saveBlob(await res.blob(), filename);
}

export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export type * from './shapes.js';
