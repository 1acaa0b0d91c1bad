import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

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
