// A small HTTP client for the reliability suites: bearer sessions that sign in again when the server
// says 401 (a restarted server keeps sessions, but the manual clock can idle them out), and a tally
// of every status and every 5xx, which the suites assert on.

export type Reply<T = unknown> = { status: number; headers: Headers; body: T; text: string };

export class Tally {
  readonly byStatus = new Map<number, number>();
  readonly serverErrors: string[] = [];
  /** Requests that got no answer at all (connection refused or reset: the server was killed). */
  networkErrors = 0;

  count(status: number, what: string, text: string): void {
    this.byStatus.set(status, (this.byStatus.get(status) ?? 0) + 1);
    if (status >= 500) this.serverErrors.push(`${status} ${what}: ${text.slice(0, 500)}`);
  }

  get(status: number): number {
    return this.byStatus.get(status) ?? 0;
  }

  summary(): Record<string, number> {
    return Object.fromEntries(
      [...this.byStatus.entries()].sort((a, b) => a[0] - b[0]).map(([k, v]) => [String(k), v]),
    );
  }
}

export class NetworkError extends Error {}

export class ApiClient {
  base: string;
  readonly username: string | null;
  readonly password: string | null;
  readonly tally: Tally;
  token: string | null = null;
  userId: string | null = null;
  logins = 0;

  constructor(base: string, tally: Tally, credentials?: { username: string; password: string }) {
    this.base = base;
    this.tally = tally;
    this.username = credentials?.username ?? null;
    this.password = credentials?.password ?? null;
  }

  async login(): Promise<void> {
    if (!this.username || !this.password) throw new Error('anonymous client cannot sign in');
    const res = await this.raw<{ token: string; user: { id: string } }>('POST', '/api/v1/session', {
      username: this.username,
      password: this.password,
    });
    if (res.status !== 200) throw new Error(`sign-in of ${this.username} failed: ${res.status} ${res.text}`);
    this.token = res.body.token;
    this.userId = res.body.user.id;
    this.logins++;
  }

  /** One request, no retries; counted in the tally. Throws NetworkError when nothing answered. */
  async raw<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Reply<T>> {
    const h: Record<string, string> = { Accept: 'application/json', ...headers };
    if (this.token) h.Authorization = `Bearer ${this.token}`;
    let payload: string | undefined;
    if (body !== undefined) {
      payload = JSON.stringify(body);
      h['Content-Type'] ??= 'application/json';
    }
    let res: Response;
    let text: string;
    try {
      res = await fetch(`${this.base}${path}`, { method, headers: h, body: payload, redirect: 'manual' });
      text = await res.text();
    } catch (e) {
      this.tally.networkErrors++;
      throw new NetworkError(`${method} ${path}: ${(e as Error).message}`, { cause: e });
    }
    this.tally.count(res.status, `${method} ${path}`, text);
    let parsed: unknown;
    if (text && /json/.test(res.headers.get('content-type') ?? '')) parsed = JSON.parse(text);
    return { status: res.status, headers: res.headers, body: parsed as T, text };
  }

  /** Like raw, but signs in again once on 401 (never for the sign-in route itself). */
  async request<T = unknown>(method: string, path: string, body?: unknown): Promise<Reply<T>> {
    const res = await this.raw<T>(method, path, body);
    if (res.status === 401 && this.username && path !== '/api/v1/session') {
      await this.login();
      return this.raw<T>(method, path, body);
    }
    return res;
  }

  get<T = unknown>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T = unknown>(path: string, body?: unknown) {
    return this.request<T>('POST', path, body);
  }
}

export async function signedIn(
  base: string,
  tally: Tally,
  username: string,
  password: string,
): Promise<ApiClient> {
  const c = new ApiClient(base, tally, { username, password });
  await c.login();
  return c;
}
