import { sampleReport } from '../../simulation/reports.ts';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import type { Server } from 'node:http';
import type { Role } from '../../machines/schemas/common.ts';
import { ManualClock } from '../../server/clock.ts';
import type { Config } from '../../server/config.ts';
import { createUser } from '../../server/cases/createUser.ts';
import type { UserRecord } from '../../server/db/users.ts';
import { Scheduler, type MachineRules } from '../../server/engine/index.ts';
import { createApp } from '../../server/http/app.ts';
import { createLogger } from '../../server/logger.ts';
import { createTestDb, type Provider, type TestDb } from '../support/db.ts';

// The server under test runs for real: an Express app on an ephemeral port, a real database per
// test file, the manual clock and the real scheduler. Tests talk to it with fetch only.

export const PASSWORD = 'correct horse battery staple';
export const START = new Date('2025-03-03T09:00:00.000Z'); // a Monday

export type Fixture = {
  vt: UserRecord;
  /** A VT worker of another region: sees none of this region's families. */
  vtOther: UserRecord;
  director: UserRecord;
  director2: UserRecord;
  auditor: UserRecord;
  admin: UserRecord;
};

export const fixtureUsers: Record<keyof Fixture, { roles: Role[]; region?: string; displayName: string }> = {
  vt: { roles: ['vt'], region: 'zuid-limburg', displayName: 'Vera Veilig' },
  vtOther: { roles: ['vt'], region: 'noord-holland', displayName: 'Otto Elders' },
  director: { roles: ['director'], displayName: 'Rita Regisseur' },
  director2: { roles: ['director'], displayName: 'Rob Regisseur' },
  auditor: { roles: ['auditor'], displayName: 'Anna Audit' },
  admin: { roles: ['admin'], displayName: 'Bart Beheer' },
};

export type Reply<T = unknown> = { status: number; headers: Headers; body: T; text: string };

export type RequestOptions = {
  headers?: Record<string, string>;
  /** Raw body text (with its own Content-Type header), instead of JSON. */
  raw?: string;
};

export class Client {
  readonly base: string;
  token: string | null = null;
  csrfToken: string | null = null;
  cookie: string | null = null;
  /** bearer: Authorization header; cookie: the session cookie plus X-CSRF-Token on writes. */
  mode: 'bearer' | 'cookie' = 'bearer';
  username: string | null = null;

  constructor(base: string) {
    this.base = base;
  }

  async request<T = unknown>(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<Reply<T>> {
    const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
    if (this.token && this.mode === 'bearer') headers.Authorization = `Bearer ${this.token}`;
    if (this.cookie && this.mode === 'cookie') {
      headers.Cookie = this.cookie;
      if (method !== 'GET' && this.csrfToken && opts.headers?.['X-CSRF-Token'] === undefined) headers['X-CSRF-Token'] = this.csrfToken;
    }
    let payload: string | undefined;
    if (opts.raw !== undefined) payload = opts.raw;
    else if (body !== undefined) {
      payload = JSON.stringify(body);
      headers['Content-Type'] ??= 'application/json';
    }
    const res = await fetch(`${this.base}${path}`, { method, headers, body: payload, redirect: 'manual' });
    const text = await res.text();
    let parsed: unknown = undefined;
    if (text && /json/.test(res.headers.get('content-type') ?? '')) parsed = JSON.parse(text);
    return { status: res.status, headers: res.headers, body: parsed as T, text };
  }

  get<T = unknown>(path: string, opts?: RequestOptions) {
    return this.request<T>('GET', path, undefined, opts);
  }
  post<T = unknown>(path: string, body?: unknown, opts?: RequestOptions) {
    return this.request<T>('POST', path, body, opts);
  }
  delete<T = unknown>(path: string, opts?: RequestOptions) {
    return this.request<T>('DELETE', path, undefined, opts);
  }
}

async function signIn(client: Client, username: string, password: string): Promise<void> {
  const res = await new Client(client.base).post<{ token: string; csrfToken: string }>('/api/v1/session', { username, password });
  if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${res.text}`);
  client.username = username;
  client.token = res.body.token;
  client.csrfToken = res.body.csrfToken;
  client.cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? null;
}

export type Harness = {
  db: TestDb;
  clock: ManualClock;
  /** The wall clock sessions and the sign-in throttle run on (never the manual clock). */
  wallClock: ManualClock;
  scheduler: Scheduler;
  base: string;
  users: Fixture;
  /** Every log line the server wrote (JSON), to check what reaches the log and what does not. */
  logs: string[];
  anonymous(): Client;
  login(username: string, password?: string): Promise<Client>;
  /** Signs the client in again (a new session), e.g. after the clock moved past the idle timeout. */
  relogin(client: Client): Promise<void>;
  close(): Promise<void>;
};

export async function startHarness(
  provider: Provider,
  opts: { clockMode?: 'manual' | 'system'; config?: Partial<Config>; rules?: MachineRules } = {},
): Promise<Harness> {
  const db = await createTestDb(provider);
  const clock = new ManualClock(START);
  const wallClock = new ManualClock(new Date());
  const scheduler = new Scheduler(db, clock);
  const entries = await Promise.all(
    Object.entries(fixtureUsers).map(async ([key, u]) => {
      const user = await createUser(db, {
        username: key.toLowerCase(),
        password: PASSWORD,
        roles: u.roles,
        displayName: u.displayName,
        region: u.region ?? null,
      });
      return [key, user] as const;
    }),
  );
  const users = Object.fromEntries(entries) as Fixture;
  const logs: string[] = [];
  const app = createApp({
    db,
    clock,
    wallClock,
    scheduler,
    config: { trustProxy: false, nodeEnv: 'test', clock: opts.clockMode ?? 'manual', ...opts.config },
    logger: createLogger({ level: 'info' }, { write: (line: string) => void logs.push(line) }),
    ...(opts.rules ? { rules: opts.rules } : {}),
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;

  return {
    db,
    clock,
    wallClock,
    scheduler,
    base,
    users,
    logs,
    anonymous: () => new Client(base),
    async login(username: string, password = PASSWORD) {
      const client = new Client(base);
      await signIn(client, username, password);
      return client;
    },
    async relogin(client: Client) {
      await signIn(client, client.username!, PASSWORD);
    },
    async close() {
      await scheduler.stop();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await db.drop();
    },
  };
}

/**
 * One harness for the enclosing `describe` block: started before its tests, closed after them.
 * `signIn` names the users to sign in once it runs; the returned function gives the harness and them.
 */
export function harnessForBlock<U extends string>(
  provider: Provider,
  signIn: readonly U[],
  opts?: Parameters<typeof startHarness>[1],
): () => { h: Harness; as: Record<U, Client> } {
  let started: { h: Harness; as: Record<U, Client> } | undefined;
  beforeAll(async () => {
    const h = await startHarness(provider, opts);
    started = { h, as: {} as Record<U, Client> };
    for (const u of signIn) started.as[u] = await h.login(u);
  });
  afterAll(async () => {
    await started?.h.close();
  });
  return () => {
    if (!started) throw new Error('the harness has not started (use it inside a test)');
    return started;
  };
}

/** A valid report for POST /families. */
export function newReport(overrides: Record<string, unknown> = {}) {
  return sampleReport(`VT-${Math.random().toString(36).slice(2, 8).toUpperCase()}`, {
    violenceForms: ['huiselijk geweld'],
    summary: 'Melding van de politie na een incident in de nacht.',
    members: [
      { alias: 'Moeder', kind: 'adult', birthYear: 1988 },
      { alias: 'Vader', kind: 'adult', birthYear: 1985 },
      { alias: 'Kind A', kind: 'child', birthYear: 2016 },
    ],
    ...overrides,
  });
}
