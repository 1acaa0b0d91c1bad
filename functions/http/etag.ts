import { canonical, sha256 } from '../domain/audit.js';
import { policy } from '../domain/policy.js';
import type { User } from '../domain/users.js';
import { type ApiEvent, type ApiResult, header } from './route.js';

/**
 * Conditional reads (docs/api.md, "Lists are pages"): a list or a case answers with an
 * ETag made from a version read (a counter, a case's version, a chain's
 * length), the caller and what was asked; `If-None-Match` with that tag is a
 * 304 with no body, and nothing is built, read or recorded beyond the version.
 * A tag also names the span of policy.listTagSeconds it was made in, so a
 * deadline passing (overdue is worked out at read time) shows within it.
 */
export function entityTag(parts: readonly unknown[], user: User, now: string): string {
  const span = tagSpan(now);
  const who = { sub: user.sub, force: user.force, rank: user.rank, groups: [...user.groups].sort() };
  return `"${sha256(canonical({ parts, who, span })).slice(0, 40)}"`;
}

/** Which span of policy.listTagSeconds `now` falls in: a tag made in one does not hold in the next. */
export const tagSpan = (now: string): number => Math.floor(Date.parse(now) / 1000 / policy.listTagSeconds);

/** Whether the request's If-None-Match names this tag (weak or strong, in a list, or `*`). */
export function matches(event: ApiEvent, tag: string): boolean {
  const sent = header(event, 'if-none-match');
  if (!sent) return false;
  return sent
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === '*' || t === tag);
}

export const notModified = (tag: string): ApiResult => ({
  statusCode: 304,
  headers: { etag: tag, 'cache-control': 'no-store' },
});

/** The answer with its tag. */
export const tagged = (result: ApiResult, tag: string): ApiResult => ({
  ...result,
  headers: { ...result.headers, etag: tag },
});

/** 304 when the caller holds the current tag; otherwise the answer `build` makes, tagged. */
export async function conditional(event: ApiEvent, tag: string, build: () => Promise<ApiResult>): Promise<ApiResult> {
  if (matches(event, tag)) return notModified(tag);
  return tagged(await build(), tag);
}
