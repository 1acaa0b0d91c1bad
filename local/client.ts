/** A small client of the HTTP API, used by the demo, the e2e tests and the bench: it speaks only API.md. */
export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
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
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = {};
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

  /** Poll until `check` returns a value: the workflow moves on asynchronously (202s). */
  async until<T>(
    what: string,
    check: () => Promise<T | undefined | false>,
    timeoutMs = 30_000,
    everyMs = 100,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = await check();
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  }
}
