import { hkdfSync } from 'node:crypto';
import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { canonical } from '../domain/audit.js';
import { invalid } from '../domain/errors.js';
import { query } from './clients/dynamo.js';
import { env } from './env.js';
import { secret } from './secrets.js';
import { openWith, sealWith } from './tokenCipher.js';
import { Misconfigured } from './failures.js';

/**
 * Lists are pages (docs/api.md, "Lists are pages"): one Query on the list's own index,
 * and an opaque cursor to the next page. The cursor is the key of the last
 * item shown, sealed with AES-256-GCM whose additional data is what the page
 * was for (route, path and query parameters but the page's own, the caller's
 * force): a changed byte, or a cursor of another list, query or force, does
 * not open, and is a 400.
 */
export interface PageRequest {
  limit: number;
  cursor?: string;
  /** What the cursor is valid for. */
  binding: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** The page a request asks for, bound to its route, its parameters (page size and cursor aside) and the caller's force. */
export function pageRequest(
  route: string,
  force: string,
  query: { limit: number; cursor?: string | undefined },
  params: Record<string, string> = {},
): PageRequest {
  const { limit, cursor, ...rest } = query;
  return { limit, ...(cursor ? { cursor } : {}), binding: `page|${route}|${force}|${canonical({ params, rest })}` };
}

const cursorKey = async () => {
  const material = await secret(env('CURSOR_KEY_SECRET_ID'));
  if (material.length < 32) throw new Misconfigured('the cursor key secret is too short');
  return Buffer.from(hkdfSync('sha256', material, 'right-to-know', 'page-cursor/aes-256-gcm/v1', 32));
};

const badCursor = () =>
  invalid('the cursor is not one this list gave for this query, or it has been changed', [
    { path: 'cursor', message: 'not a cursor of this list; start again without one' },
  ]);

async function openCursor(page: PageRequest): Promise<Record<string, unknown> | undefined> {
  if (!page.cursor) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(openWith(await cursorKey(), page.cursor, page.binding));
  } catch {
    throw badCursor();
  }
  if (key === null || typeof key !== 'object' || Array.isArray(key)) throw badCursor();
  return key as Record<string, unknown>;
}

const sealCursor = async (key: Record<string, unknown>, page: PageRequest) =>
  sealWith(await cursorKey(), JSON.stringify(key), page.binding);

/** How many index entries one request reads at most while it filters (a page may then come back short, with a cursor). */
const FILTER_BUDGET = 2000;

/**
 * One page of a Query: `keys` are the attributes that make an item's position
 * (the table's key and the index's), `keep` an optional filter for what a key
 * condition cannot say. Without a filter it is one Query call; with one, the
 * Query goes on until the page is full, the index ends or the budget is spent,
 * and the cursor resumes just after the last item looked at.
 */
export async function queryPage<T>(
  input: Omit<QueryCommandInput, 'ExclusiveStartKey' | 'Limit'>,
  keys: readonly string[],
  page: PageRequest,
  view: (item: Record<string, unknown>) => T,
  keep?: (item: Record<string, unknown>) => boolean,
): Promise<Page<T>> {
  const positionOf = (item: Record<string, unknown>) => Object.fromEntries(keys.map((k) => [k, item[k]]));
  let start = await openCursor(page);
  const items: T[] = [];
  let looked = 0;
  for (;;) {
    const want = page.limit - items.length;
    const out = await query({
      ...input,
      ...(start ? { ExclusiveStartKey: start } : {}),
      // One more than is wanted: whether there is a next page is known without a call for an empty one.
      Limit: keep ? Math.min(1000, Math.max(want + 1, 100)) : want + 1,
    });
    for (const item of out.Items) {
      looked += 1;
      if (keep && !keep(item)) continue;
      // A next item exists: the page ends at the last item shown.
      if (items.length === page.limit) return { items, nextCursor: await sealCursor(start!, page) };
      items.push(view(item));
      start = positionOf(item);
    }
    if (!out.LastEvaluatedKey) return { items, nextCursor: null };
    // The Query stopped short of what was asked: the items it looked at and left out lie behind its own key.
    start = out.LastEvaluatedKey;
    if (!keep) {
      if (items.length === page.limit) return { items, nextCursor: await sealCursor(start, page) };
      continue;
    }
    if (items.length === page.limit || looked >= FILTER_BUDGET)
      return { items, nextCursor: await sealCursor(start, page) };
  }
}
