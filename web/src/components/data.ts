import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { get, pagePath } from '../api.js';
import type { Page } from '../shapes.js';

/** Load something from the API, and again every `everyMs` while the page is open and visible. */
export function useData<T>(load: () => Promise<T>, deps: unknown[], everyMs?: number) {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const loadRef = useRef(load);
  loadRef.current = load;
  const refresh = useCallback(async () => {
    try {
      setData(await loadRef.current());
      setError(undefined);
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  useEffect(() => {
    setData(undefined);
    void refresh();
    if (!everyMs) return;
    const t = setInterval(() => {
      if (document.visibilityState === 'visible') void refresh();
    }, everyMs);
    return () => clearInterval(t);
  }, deps);
  return { data, error, refresh, setData };
}

/**
 * A list a page at a time: the pages shown so far, fetched again (each a conditional GET, so one that has not
 * changed costs a 304) every `everyMs`, and `more` to show the next page.
 */
export function usePages<T>(path: string, everyMs?: number) {
  const shown = useRef(1);
  const pages = useData(
    async () => {
      const out: Page<T>[] = [];
      let cursor: string | null = null;
      for (let i = 0; i < shown.current; i++) {
        const page: Page<T> = await get<Page<T>>(pagePath(path, cursor));
        out.push(page);
        cursor = page.nextCursor;
        if (!cursor) break;
      }
      return out;
    },
    [path],
    everyMs,
  );
  return {
    items: pages.data?.flatMap((p) => p.items),
    error: pages.error,
    hasMore: !!pages.data?.at(-1)?.nextCursor,
    more: () => {
      shown.current += 1;
      return pages.refresh();
    },
    refresh: pages.refresh,
  };
}
