// A client of a Corkboard server over real HTTP, as an application calls it: every request bounded in
// time, and an answer for every request (a network failure is status 0 with its error code), so a
// fault test can count what was acknowledged, refused and lost.
export interface Reply {
  status: number;
  /** Parsed JSON body, or the text when it is not JSON. */
  body: unknown;
  retryAfter: string | null;
  /** Idempotent-Replayed: true (the answer of an earlier request with the same Idempotency-Key). */
  replayed: boolean;
  /** The network error (ECONNREFUSED, timeout, ...) when status is 0. */
  error?: string;
  ms: number;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export interface ApiUser {
  id: string;
  username: string;
  token: string;
}

export class ApiClient {
  constructor(readonly baseUrl: string) {}

  async request(method: string, path: string, options: RequestOptions = {}): Promise<Reply> {
    const started = performance.now();
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let payload: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      payload = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    }
    try {
      const response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        body: payload,
        signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
      });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        // Not JSON: keep the text.
      }
      return {
        status: response.status,
        body,
        retryAfter: response.headers.get('retry-after'),
        replayed: response.headers.get('idempotent-replayed') === 'true',
        ms: performance.now() - started,
      };
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause;
      const name = (error as Error).name === 'TimeoutError' ? 'timeout' : (cause?.code ?? (error as Error).message);
      return { status: 0, body: null, retryAfter: null, replayed: false, error: name, ms: performance.now() - started };
    }
  }

  /** Signs up and gets a token with every scope (before any fault: it must succeed). */
  async signUp(username: string): Promise<ApiUser> {
    const password = `pw-${username}-secret`;
    const created = await this.request('POST', '/v5/accounts', { body: { username, email: `${username}@example.test`, password } });
    if (created.status !== 201) throw new Error(`sign-up of ${username} answered ${created.status}: ${JSON.stringify(created.body)}`);
    const form = new URLSearchParams({ grant_type: 'password', username, password });
    const token = await this.request('POST', '/v5/oauth/token', {
      body: form.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    if (token.status !== 200) throw new Error(`token for ${username} answered ${token.status}: ${JSON.stringify(token.body)}`);
    return { id: (created.body as { id: string }).id, username, token: (token.body as { access_token: string }).access_token };
  }

  /** Creates a board (before any fault: it must succeed); answers its id. */
  async createBoard(user: ApiUser, name: string, privacy = 'PUBLIC'): Promise<string> {
    const reply = await this.request('POST', '/v5/boards', { token: user.token, body: { name, privacy } });
    if (reply.status !== 201) throw new Error(`board ${name} answered ${reply.status}: ${JSON.stringify(reply.body)}`);
    return (reply.body as { id: string }).id;
  }

  /** Every pin id in the viewer's home feed, all pages, in feed order (a pin shown twice appears twice). */
  async homeFeedIds(viewer: ApiUser): Promise<string[]> {
    const ids: string[] = [];
    let bookmark: string | null = null;
    do {
      const query: string = bookmark ? `&bookmark=${encodeURIComponent(bookmark)}` : '';
      const page = await this.request('GET', `/v5/feeds/home?page_size=250${query}`, { token: viewer.token });
      if (page.status !== 200) throw new Error(`home feed answered ${page.status}`);
      const body = page.body as { items: Array<{ id: string }>; bookmark: string | null };
      ids.push(...body.items.map((item) => item.id));
      bookmark = body.bookmark;
    } while (bookmark);
    return ids;
  }
}
