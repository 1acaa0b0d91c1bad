/** A small client of the HTTP API, used by the demo, the e2e tests and the bench: it speaks only docs/api.md. */
export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** A page of a list (docs/api.md, "Lists are pages"). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Every item of a list: its pages of 200 fetched one after another, each from the cursor of the one before. */
export async function walkPages<T>(path: string, fetchPage: (url: string) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page: Page<T> = await fetchPage(
      `${path}${sep}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

export class ApiClient {
  private readonly tokens = new Map<string, string>();
  constructor(readonly baseUrl: string) {}

  async token(username: string): Promise<string> {
    let t = this.tokens.get(username);
    if (!t) {
      const r = await this.request<{ token: string }>('POST', '/local/token', undefined, { username });
      if (r.status !== 200) throw new Error(`no token for ${username}: ${r.status}`);
      t = r.body.token;
      this.tokens.set(username, t);
    }
    return t;
  }

  async request<T = unknown>(
    method: string,
    path: string,
    as?: string,
    body?: unknown,
    contentType = 'application/json',
    extraHeaders: Record<string, string> = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...extraHeaders };
    if (as) headers.authorization = `Bearer ${await this.token(as)}`;
    if (body !== undefined) headers['content-type'] = contentType;
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const type = res.headers.get('content-type') ?? '';
    const parsed = type.includes('json')
      ? await res.json()
      : type.includes('pdf')
        ? new Uint8Array(await res.arrayBuffer())
        : await res.text();
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  get = <T = unknown>(path: string, as?: string) => this.request<T>('GET', path, as);
  post = <T = unknown>(path: string, as: string | undefined, body: unknown, contentType?: string) =>
    this.request<T>('POST', path, as, body, contentType);

  /** A GET with headers of the caller's choosing (If-None-Match). */
  getWith = <T = unknown>(path: string, as: string | undefined, headers: Record<string, string>) =>
    this.request<T>('GET', path, as, undefined, undefined, headers);

  /** Every item of a list, walked page by page (docs/api.md, "Lists are pages"); a page that is not a 200 throws. */
  all = <T = unknown>(path: string, as?: string): Promise<T[]> =>
    walkPages<T>(path, async (url) => {
      const page = await this.get<Page<T>>(url, as);
      if (page.status !== 200) throw new Error(`GET ${path} as ${as}: ${page.status} ${JSON.stringify(page.body)}`);
      return page.body;
    });

  /**
   * Poll until `check` returns a value: the workflow moves on asynchronously (202s). The pause starts at
   * `everyMs` and grows to half a second, as a person's refresh would: a step that is quick is seen at once, and a
   * long wait does not keep the server busy answering the same question.
   */
  async until<T>(
    what: string,
    check: () => Promise<T | undefined | false>,
    timeoutMs = 60_000,
    everyMs = 100,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (let pause = everyMs; ; pause = Math.min(Math.max(everyMs, 500), pause * 1.25)) {
      const v = await check();
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, pause));
    }
  }
}
