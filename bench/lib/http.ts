import http from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';

// A minimal keep-alive JSON client on node:http: no fetch/undici pool in the way, so what the load
// generator times is one request on one open connection.

export type Reply = { status: number; body: unknown; ms: number };

export class HttpClient {
  readonly #agent: http.Agent;
  readonly #url: URL;
  token: string | null = null;

  constructor(base: string, opts: { maxSockets?: number } = {}) {
    this.#url = new URL(base);
    this.#agent = new http.Agent({ keepAlive: true, maxSockets: opts.maxSockets ?? 1 });
  }

  request(method: string, path: string, body?: unknown, extra: Record<string, string> = {}): Promise<Reply> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: Record<string, string | number> = { Accept: 'application/json', ...extra };
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    if (payload) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = payload.length;
    }
    return new Promise((resolve, reject) => {
      const started = process.hrtime.bigint();
      const req = http.request(
        { host: this.#url.hostname, port: this.#url.port, method, path, headers, agent: this.#agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const ms = Number(process.hrtime.bigint() - started) / 1e6;
            // A compressed answer (asked for with Accept-Encoding) is decoded as a browser would.
            const coding = res.headers['content-encoding'];
            const raw = Buffer.concat(chunks);
            const text = (coding === 'br' ? brotliDecompressSync(raw) : coding === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
            let parsed: unknown = text;
            if (/json/.test(String(res.headers['content-type'] ?? ''))) {
              try {
                parsed = JSON.parse(text);
              } catch {
                parsed = text;
              }
            }
            resolve({ status: res.statusCode ?? 0, body: parsed, ms });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
  }

  get(path: string, headers?: Record<string, string>): Promise<Reply> {
    return this.request('GET', path, undefined, headers);
  }

  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Reply> {
    return this.request('POST', path, body, headers);
  }

  async login(username: string, password: string): Promise<void> {
    const res = await this.post('/api/v1/session', { username, password });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
    this.token = (res.body as { token: string }).token;
  }

  close(): void {
    this.#agent.destroy();
  }
}

/** Throws with the problem body when the status is not the expected one. */
export function expectStatus(res: Reply, status: number, what: string): Reply {
  if (res.status !== status) throw new Error(`${what}: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
  return res;
}
