import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FamilyView } from '../../contract/index.ts';
import { startSession } from '../../server/auth/sessions.ts';
import { backends } from '../support/db.ts';
import { findLeaks } from '../support/logs.ts';
import { newReport, PASSWORD, startHarness, START, type Client, type Harness } from '../http/harness.ts';
import { contentTypes, hostileString, malformedBodies } from './fuzz/hostile.ts';
import { fromSchema, mutated, type Components, type JsonSchema } from './fuzz/schema-arbitrary.ts';
import { fuzzSeeds, runsPerSeed } from './fuzz/seeds.ts';
import { sizes, timeouts } from './sizes.ts';

// Hostile input against every operation of the served OpenAPI document: bodies derived from the
// zod schemas and then mutated (wrong types, huge and odd strings, deep nesting, prototype keys,
// injection strings), malformed JSON, wrong content types, huge and streamed bodies, odd ids,
// queries and headers, by every kind of caller. Whatever arrives: never a 5xx, every 4xx is
// application/problem+json with type, title and status, and what was accepted comes back as sent.

type Operation = {
  method: string;
  path: string;
  operationId: string;
  params: { name: string; in: string; schema: JsonSchema; required?: boolean }[];
  body?: JsonSchema;
};

type Caller = 'anonymous' | 'vt' | 'vtOther' | 'director' | 'auditor' | 'admin';
type Mode = 'bearer' | 'cookie' | 'cookie+csrf' | 'garbage';

type Body =
  | { kind: 'none' }
  | { kind: 'json'; value: unknown; contentType: string | null }
  | { kind: 'raw'; text: string; contentType: string | null }
  | { kind: 'bytes'; bytes: number[]; contentType: string }
  | { kind: 'huge'; size: number; streamed: boolean };

type Case = {
  op: Operation;
  caller: Caller;
  mode: Mode;
  id: string;
  query: [string, string][];
  body: Body;
  currentVersion: boolean;
  headers: Record<string, string>;
};

/** Header values must be ByteStrings without control characters, or fetch refuses to send them. */
function headerSafe(s: string): string {
  return s.replace(/[^\x20-\x7e\x80-\xff]/g, '?').slice(0, 2000);
}

function describeCase(c: Case): string {
  const body =
    c.body.kind === 'json'
      ? JSON.stringify(c.body.value)?.slice(0, 400)
      : c.body.kind === 'raw'
        ? JSON.stringify(c.body.text.slice(0, 200))
        : c.body.kind;
  return `${c.op.method} ${c.op.path} as ${c.caller}/${c.mode} id=${JSON.stringify(c.id.slice(0, 80))} query=${JSON.stringify(c.query).slice(0, 200)} body(${c.body.kind}${'contentType' in c.body ? `, ${c.body.contentType}` : ''})=${body}`;
}

/**
 * Percent-encoding that, unlike encodeURIComponent, does not refuse lone surrogates: it sends their
 * WTF-8 bytes, which are invalid UTF-8, as a hostile client would.
 */
function encode(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    const isHigh = code >= 0xd800 && code <= 0xdbff;
    const next = s.charCodeAt(i + 1);
    if (isHigh && next >= 0xdc00 && next <= 0xdfff) {
      out += encodeURIComponent(s.slice(i, i + 2));
      i++;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    } else out += encodeURIComponent(s[i]!);
  }
  return out;
}

function stringLeaves(value: unknown, prefix = ''): [string, string][] {
  if (typeof value === 'string') return [[prefix, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringLeaves(v, `${prefix}.${i}`));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, `${prefix}.${k}`));
  return [];
}

function at(value: unknown, path: string): unknown {
  let v = value;
  for (const k of path.split('.').filter(Boolean)) v = (v as Record<string, unknown> | undefined)?.[k];
  return v;
}

const seeds = fuzzSeeds();
const requestRuns = runsPerSeed(sizes.hostile.runs, seeds);
const stringRuns = runsPerSeed(Math.max(100, Math.floor(sizes.hostile.runs / 10)), seeds);
const loginRuns = runsPerSeed(Math.max(25, Math.floor(sizes.hostile.runs / 40)), seeds);

describe.each(backends())('hostile input against every documented operation (%s)', (provider) => {
  let h: Harness;
  let auditor: Client;
  let operations: Operation[];
  let components: Components;
  const tokens = new Map<Caller, { token: string; csrf: string }>();
  const familyIds: string[] = [];
  const issued: string[] = [];

  beforeAll(async () => {
    h = await startHarness(provider);
    // Session lifetimes long enough that a fuzzed clock move does not sign everyone out.
    const at = new Date();
    await h.db.prisma.norm.createMany({
      data: [
        { key: 'session.idleMinutes', value: '5256000', updatedAt: at },
        { key: 'session.absoluteHours', value: '87600', updatedAt: at },
      ],
    });
    const ids: Record<Exclude<Caller, 'anonymous'>, string> = {
      vt: h.users.vt.id,
      vtOther: h.users.vtOther.id,
      director: h.users.director.id,
      auditor: h.users.auditor.id,
      admin: h.users.admin.id,
    };
    for (const [caller, userId] of Object.entries(ids)) {
      const s = await startSession(h.db, userId, h.wallClock);
      tokens.set(caller as Caller, { token: s.token, csrf: s.csrfToken });
      issued.push(s.token, s.csrfToken);
    }
    const vt = await h.login('vt');
    issued.push(vt.token!, vt.csrfToken!);
    auditor = await h.login('auditor');
    issued.push(auditor.token!, auditor.csrfToken!);
    for (let i = 0; i < 3; i++) {
      const f = await vt.post<FamilyView>('/api/v1/families', newReport());
      familyIds.push(f.body.id);
    }
    // One handed over to the director, so the director's calls reach real data too.
    const f = familyIds[0]!;
    await vt.post(`/api/v1/families/${f}/events`, {
      type: 'assessment.started',
      expectedVersion: 1,
      payload: {},
    });
    await vt.post(`/api/v1/families/${f}/events`, {
      type: 'assessment.completed',
      expectedVersion: 2,
      payload: {
        decision: 'handover',
        acute: false,
        structural: true,
        directorId: h.users.director.id,
        conditions: [{ description: 'Veilig.' }],
      },
      reason: 'Overdracht.',
    });

    const doc = await h.anonymous().get<{
      servers: { url: string }[];
      paths: Record<
        string,
        Record<
          string,
          {
            operationId: string;
            parameters?: Operation['params'];
            requestBody?: { content: Record<string, { schema: JsonSchema }> };
          }
        >
      >;
      components: { schemas: Components };
    }>('/api/v1/openapi.json');
    components = doc.body.components.schemas;
    operations = Object.entries(doc.body.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({
        method: method.toUpperCase(),
        path: `${doc.body.servers[0]!.url}${path}`, // paths are relative to the server, /api/v1
        operationId: op.operationId,
        params: op.parameters ?? [],
        ...(op.requestBody ? { body: op.requestBody.content['application/json']!.schema } : {}),
      })),
    );
  });
  afterAll(async () => {
    await h?.close();
  });

  function caseArbitrary(): fc.Arbitrary<Case> {
    const hints = { familyIds: () => familyIds, userIds: () => Object.values(h.users).map((u) => u.id) };
    const perOp = operations.map((op) => {
      const queryParams = op.params.filter((p) => p.in === 'query');
      const query: fc.Arbitrary<[string, string][]> = fc
        .tuple(
          ...queryParams.map((p) =>
            fc.option(
              fc.oneof(
                { weight: 3, arbitrary: fromSchema(p.schema, components, hints).map((v) => String(v)) },
                { weight: 2, arbitrary: hostileString },
              ),
              { nil: undefined },
            ),
          ),
          fc.array(
            fc.tuple(
              fc.oneof(hostileString, fc.constantFrom(...queryParams.map((p) => p.name), 'page')),
              hostileString,
            ),
            { maxLength: 2 },
          ),
        )
        .map((parts) => {
          const extra = parts.at(-1) as [string, string][];
          const named = (parts.slice(0, -1) as (string | undefined)[]).flatMap((v, i) =>
            v === undefined ? [] : [[queryParams[i]!.name, v] as [string, string]],
          );
          return [...named, ...extra];
        });
      const id = fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...familyIds) },
        { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{1,100}$/) },
        { weight: 2, arbitrary: hostileString.map((s) => s.slice(0, 3000)) },
        {
          weight: 1,
          arbitrary: fc.constantFrom('%E0%A4%A', '%', '..%2F..%2Fetc', '%00', 'a%2Fb', '.', '..'),
        },
      );
      const validBody = op.body ? fromSchema(op.body, components, hints) : fc.constant(undefined);
      const body: fc.Arbitrary<Body> = op.body
        ? fc.oneof(
            {
              weight: 8,
              arbitrary: fc
                .tuple(
                  mutated(validBody),
                  fc.constantFrom<string | null>(
                    'application/json',
                    'application/json',
                    'application/json; charset=utf-8',
                  ),
                )
                .map(([value, contentType]) => ({ kind: 'json' as const, value, contentType })),
            },
            {
              weight: 2,
              arbitrary: fc
                .tuple(
                  fc.constantFrom(...malformedBodies),
                  fc.constantFrom<string | null>('application/json', ...contentTypes),
                )
                .map(([text, contentType]) => ({ kind: 'raw' as const, text, contentType })),
            },
            {
              weight: 1,
              arbitrary: fc
                .tuple(validBody, fc.constantFrom(...contentTypes))
                .map(([value, contentType]) => ({ kind: 'json' as const, value, contentType })),
            },
            {
              weight: 1,
              arbitrary: fc
                .array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 64 })
                .map((bytes) => ({
                  kind: 'bytes' as const,
                  bytes: [0x7b, 0x22, ...bytes, 0x22, 0x7d],
                  contentType: 'application/json',
                })),
            },
            {
              weight: 1,
              arbitrary: fc
                .tuple(fc.constantFrom(65 * 1024, 300 * 1024, 2 * 1024 * 1024), fc.boolean())
                .map(([size, streamed]) => ({ kind: 'huge' as const, size, streamed })),
            },
          )
        : fc.oneof(
            { weight: 8, arbitrary: fc.constant({ kind: 'none' as const }) },
            {
              weight: 1,
              arbitrary: fc
                .tuple(fc.constantFrom(...malformedBodies), fc.constantFrom(...contentTypes))
                .map(([text, contentType]) => ({ kind: 'raw' as const, text, contentType })),
            },
          );
      const headers = fc.record(
        {
          'X-Request-Id': hostileString.map(headerSafe),
          Origin: fc.constantFrom('null', 'https://evil.example', 'http://127.0.0.1', 'file://'),
          'Sec-Fetch-Site': fc.constantFrom('cross-site', 'same-origin', 'none', 'same-site', '???'),
          Accept: fc.constantFrom('*/*', 'text/html', 'application/xml', ''),
          'X-Forwarded-For': fc.constantFrom('1.2.3.4', 'garbage', '::1, 10.0.0.1'),
          'Accept-Language': hostileString.map(headerSafe),
        },
        { requiredKeys: [] },
      );
      return fc.record({
        op: fc.constant(op),
        caller: fc.constantFrom<Caller>('anonymous', 'vt', 'vt', 'vtOther', 'director', 'auditor', 'admin'),
        mode: fc.constantFrom<Mode>('bearer', 'bearer', 'bearer', 'cookie', 'cookie+csrf', 'garbage'),
        id,
        query,
        body,
        currentVersion: fc.boolean(),
        headers,
      });
    });
    return fc.oneof(...perOp);
  }

  const statuses = new Map<number, number>();

  async function execute(c: Case): Promise<string[]> {
    const problems: string[] = [];
    const headers: Record<string, string> = { ...c.headers };
    let auth = c.caller === 'anonymous' ? undefined : tokens.get(c.caller);
    if (c.op.operationId === 'logout' && auth) {
      // Signing out ends the session it is sent with: send a throwaway one.
      const userId = {
        vt: h.users.vt.id,
        vtOther: h.users.vtOther.id,
        director: h.users.director.id,
        auditor: h.users.auditor.id,
        admin: h.users.admin.id,
      }[c.caller as Exclude<Caller, 'anonymous'>];
      const s = await startSession(h.db, userId, h.clock);
      issued.push(s.token, s.csrfToken);
      auth = { token: s.token, csrf: s.csrfToken };
    }
    if (auth) {
      if (c.mode === 'bearer') headers.Authorization = `Bearer ${auth.token}`;
      else if (c.mode === 'garbage') headers.Authorization = `Bearer ${headerSafe(c.id)}`;
      else {
        headers.Cookie = `vp_session=${auth.token}; other=%E0%A4%A`;
        if (c.mode === 'cookie+csrf') headers['X-CSRF-Token'] = auth.csrf;
      }
    }
    // Some ids are sent as raw percent sequences on purpose (broken ones included).
    const rawId =
      c.id.startsWith('%') || c.id === '.' || c.id === '..' || c.id.startsWith('..%2F') ? c.id : encode(c.id);
    let path = c.op.path.replace('{id}', rawId);
    // Node's HTTP parser refuses request heads over 16 KiB before the app sees them: stay below
    // (tests/reliability/protocol-limits.test.ts covers what happens above).
    const cut = (v: string) =>
      c.query.length * 2 * v.length > 8000 ? v.slice(0, Math.floor(4000 / c.query.length)) : v;
    const qs = c.query.map(([k, v]) => `${encode(cut(k))}=${encode(cut(v))}`).join('&');
    if (qs) path += `?${qs}`;

    let body: BodyInit | undefined;
    let duplex: 'half' | undefined;
    let sentValue: unknown;
    switch (c.body.kind) {
      case 'none':
        break;
      case 'json': {
        let value = c.body.value;
        if (
          c.op.operationId === 'sendEvent' &&
          c.currentVersion &&
          familyIds.includes(c.id) &&
          value &&
          typeof value === 'object' &&
          !Array.isArray(value)
        ) {
          const row = await h.db.prisma.family.findUnique({ where: { id: c.id }, select: { version: true } });
          if (row) value = { ...(value as object), expectedVersion: row.version };
        }
        sentValue = value;
        body = JSON.stringify(value) ?? 'null';
        if (c.body.contentType) headers['Content-Type'] = c.body.contentType;
        break;
      }
      case 'raw':
        body = c.body.text;
        if (c.body.contentType) headers['Content-Type'] = c.body.contentType;
        break;
      case 'bytes':
        body = new Uint8Array(c.body.bytes);
        headers['Content-Type'] = c.body.contentType;
        break;
      case 'huge': {
        headers['Content-Type'] = 'application/json';
        const filler = JSON.stringify({ ...newReport(), summary: 'x'.repeat(c.body.size) });
        if (c.body.streamed) {
          // Chunked, without Content-Length: the limit must hold while reading, not only up front.
          const bytes = new TextEncoder().encode(filler);
          body = new ReadableStream({
            start(controller) {
              for (let i = 0; i < bytes.length; i += 16_384) controller.enqueue(bytes.slice(i, i + 16_384));
              controller.close();
            },
          });
          duplex = 'half';
        } else body = filler;
        break;
      }
    }
    if (c.op.method === 'GET' && body !== undefined && c.body.kind !== 'raw') body = undefined;

    let res: Response;
    let text: string;
    try {
      res = await fetch(`${h.base}/api/v1${path.replace(/^\/api\/v1/, '')}`, {
        method: c.op.method,
        headers,
        body: c.op.method === 'GET' || c.op.method === 'HEAD' ? undefined : body,
        redirect: 'manual',
        ...(duplex ? { duplex } : {}),
      } as RequestInit);
      text = await res.text();
    } catch (e) {
      // The server may cut off a body it refuses (413) before it is sent completely.
      if (c.body.kind === 'huge') return problems;
      return [`no answer (${(e as Error).message}) to ${describeCase(c)}`];
    } finally {
      if (c.op.operationId === 'moveClock') h.clock.set(START);
    }

    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    const where = describeCase(c);
    if (res.status >= 500) problems.push(`${res.status} for ${where}: ${text.slice(0, 300)}`);
    if (res.status >= 400) {
      const ct = res.headers.get('content-type') ?? '';
      if (!ct.startsWith('application/problem+json'))
        problems.push(`${res.status} without problem+json (${ct}) for ${where}`);
      else {
        let p: { type?: unknown; title?: unknown; status?: unknown } = {};
        try {
          p = JSON.parse(text) as typeof p;
        } catch {
          problems.push(`${res.status} with unparseable problem body for ${where}`);
        }
        if (typeof p.type !== 'string' || typeof p.title !== 'string' || p.status !== res.status) {
          problems.push(`${res.status} problem lacks type/title/status for ${where}: ${text.slice(0, 200)}`);
        }
      }
    }

    // Accepted writes: every string comes back exactly as sent (zod trims surrounding whitespace).
    const same = (stored: unknown, sent: string) => stored === sent || stored === sent.trim();
    if (
      res.status === 201 &&
      c.op.operationId === 'createFamily' &&
      sentValue &&
      typeof sentValue === 'object'
    ) {
      const view = JSON.parse(text) as FamilyView;
      familyIds.push(view.id);
      const sent = sentValue as {
        reference: string;
        summary: string;
        members: { alias: string }[];
        violenceForms: string[];
      };
      if (!same(view.reference, sent.reference))
        problems.push(
          `reference ${JSON.stringify(sent.reference)} came back as ${JSON.stringify(view.reference)}`,
        );
      sent.members.forEach((m, i) => {
        if (!same(view.members[i]?.alias, m.alias))
          problems.push(
            `alias ${JSON.stringify(m.alias)} came back as ${JSON.stringify(view.members[i]?.alias)}`,
          );
      });
      const history = await auditor.get<{ events: { payload: Record<string, unknown> }[] }>(
        `/api/v1/families/${view.id}/history`,
      );
      const first = history.body.events[0]!.payload;
      if (!same(first.summary, sent.summary))
        problems.push(
          `summary ${JSON.stringify(sent.summary)} came back as ${JSON.stringify(first.summary)}`,
        );
      sent.violenceForms.forEach((v, i) => {
        if (!same((first.violenceForms as unknown[])[i], v))
          problems.push(
            `violenceForm ${JSON.stringify(v)} came back as ${JSON.stringify((first.violenceForms as unknown[])[i])}`,
          );
      });
      const listed = await auditor.get<{ items: { id: string; reference: string }[] }>(
        `/api/v1/families?q=${encode(view.reference.slice(0, 100))}&pageSize=100`,
      );
      if (listed.status !== 200)
        problems.push(
          `searching for reference ${JSON.stringify(view.reference)}: ${listed.status} ${listed.text.slice(0, 200)}`,
        );
    }
    if (
      res.status === 200 &&
      c.op.operationId === 'sendEvent' &&
      sentValue &&
      typeof sentValue === 'object'
    ) {
      const view = JSON.parse(text) as FamilyView;
      const sent = sentValue as { payload: unknown; reason?: string };
      const history = await auditor.get<{
        events: { seq: number; payload: unknown; reason: string | null }[];
      }>(`/api/v1/families/${view.id}/history`);
      const stored = history.body.events.find((e) => e.seq === view.version)!;
      for (const [p, s] of stringLeaves(sent.payload)) {
        const back = at(stored.payload, p);
        if (back !== undefined && !same(back, s))
          problems.push(`payload${p} ${JSON.stringify(s)} came back as ${JSON.stringify(back)}`);
      }
      if (typeof sent.reason === 'string' && !same(stored.reason, sent.reason)) {
        problems.push(`reason ${JSON.stringify(sent.reason)} came back as ${JSON.stringify(stored.reason)}`);
      }
    }
    return problems;
  }

  it.each(seeds)(
    `answers ${requestRuns} generated hostile requests per seed without a 5xx, with problem+json for every 4xx (%o)`,
    async ({ name, seed }) => {
      expect(operations.length).toBeGreaterThan(15);
      console.log(`[hostile ${provider}] ${name} seed ${seed} (replay: FUZZ_SEED=${seed})`);
      statuses.clear();
      const problems: string[] = [];
      const perOperation = new Map<string, number>();
      await fc.assert(
        fc.asyncProperty(caseArbitrary(), async (c) => {
          let found: string[];
          try {
            found = await execute(c);
          } catch (e) {
            found = [
              `the test itself failed (${(e as Error).stack?.split('\n').slice(0, 3).join(' | ')}) on ${describeCase(c)}`,
            ];
          }
          problems.push(...found);
          perOperation.set(c.op.operationId, (perOperation.get(c.op.operationId) ?? 0) + 1);
          return true;
        }),
        { numRuns: requestRuns, seed },
      );
      const unique = [...new Set(problems)];
      console.log(
        `[hostile ${provider}] ${JSON.stringify({ seed, name, runs: requestRuns, problems: unique.length, operations: operations.length, statuses: Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])), perOperation: Object.fromEntries(perOperation) })}`,
      );
      expect(unique.slice(0, 40), `seed ${seed} (FUZZ_SEED=${seed} replays it): ${unique.length} problems`).toEqual([]);
      // Covered every documented operation at least once.
      expect(operations.filter((o) => !perOperation.has(o.operationId)).map((o) => o.operationId)).toEqual(
        [],
      );
      // Nothing sent in those requests (tokens, the password) reached the log.
      expect(findLeaks(h.logs, [...issued, PASSWORD])).toEqual([]);
    },
    timeouts.hostile,
  );

  it('pins the 5xx this suite found: broken percent-encoding, NUL and unpaired surrogates', async () => {
    const vt = tokens.get('vt')!.token;
    const call = async (method: string, path: string, body?: unknown) => {
      const r = await fetch(`${h.base}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${vt}`,
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await r.text();
      return {
        status: r.status,
        type: r.headers.get('content-type') ?? '',
        body: JSON.parse(text) as { errors?: { path: string }[] },
      };
    };
    const expect400 = (r: Awaited<ReturnType<typeof call>>, path?: string) => {
      expect(r.status).toBe(400);
      expect(r.type).toMatch(/^application\/problem\+json/);
      if (path !== undefined) expect(r.body.errors?.map((e) => e.path)).toContain(path);
    };
    // The router's URIError for a broken escape in the path was a 500.
    expect400(await call('GET', '/api/v1/families/%E0%A4%A'));
    expect400(await call('GET', '/api/v1/families/%/verify'));
    // A NUL reached PostgreSQL (text cannot hold it), an unpaired surrogate SQLite (not UTF-8): 500s.
    expect400(
      await call('POST', '/api/v1/families', { ...newReport(), reference: 'VT-\u0000-1' }),
      'reference',
    );
    expect400(
      await call('POST', '/api/v1/families', { ...newReport(), reference: 'VT-\ud800' }),
      'reference',
    );
    expect400(await call('GET', '/api/v1/families?q=a%00b'), 'query.q');
    const login = await fetch(`${h.base}/api/v1/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'x\udbff', password: 'whatever-password' }),
    });
    expect(login.status).toBe(400);
    const f = familyIds[1]!;
    const version = (await h.db.prisma.family.findUniqueOrThrow({ where: { id: f } })).version;
    expect400(
      await call('POST', `/api/v1/families/${f}/events`, {
        type: 'report.received',
        expectedVersion: version,
        payload: { source: 'other', acute: false, summary: 'Nog een.' },
        reason: 'Omdat\u0000',
      }),
      'reason',
    );
    expect400(
      await call('POST', `/api/v1/families/${f}/events`, {
        type: 'handover.offered',
        expectedVersion: version,
        payload: { directorId: '\udc00' },
        reason: 'Overdracht.',
      }),
      'payload.directorId',
    );
  });

  it('issue 11 items 2, 9 and 13: pins the out-of-range instants and spoofing text the audit and the fuzzer found', async () => {
    const as = (caller: Caller) => async (method: string, path: string, body?: unknown) => {
      const r = await fetch(`${h.base}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${tokens.get(caller)!.token}`,
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await r.text();
      return { status: r.status, type: r.headers.get('content-type') ?? '', text };
    };
    const vt = as('vt');
    const auditor = as('auditor');
    const refused = async (r: Promise<{ status: number; type: string; text: string }>, what: string) => {
      const res = await r;
      expect(res.status, `${what}: ${res.text.slice(0, 200)}`).toBe(400);
      expect(res.type).toMatch(/^application\/problem\+json/);
    };
    const families = () => h.db.prisma.family.count();
    const events = () => h.db.prisma.event.count();
    const [familiesBefore, eventsBefore] = [await families(), await events()];
    // FUZZ_SEED=651054009 on PostgreSQL: year 0 in a query was a 500.
    for (const from of ['0000-01-01T00:00:00Z', '0001-01-01', '1899-12-31T23:59:59Z', '2100-01-01T00:00:00Z', '+010000-01-01T00:00:00Z'])
      await refused(vt('GET', `/api/v1/kpis?from=${encodeURIComponent(from)}`), `kpis from ${from}`);
    await refused(vt('GET', `/api/v1/kpis?to=${encodeURIComponent('9999-12-31T23:59:59-01:00')}`), 'kpis to 9999');
    await refused(auditor('GET', `/api/v1/access-log?from=${encodeURIComponent('0000-01-01T00:00:00Z')}`), 'access-log from 0000');
    // Reports: received in year 0/1, a child born in 2099, a bidi override and a zero-width space.
    for (const receivedAt of ['0000-01-01T00:00:00Z', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59-01:00'])
      await refused(vt('POST', '/api/v1/families', { ...newReport(), receivedAt }), `receivedAt ${receivedAt}`);
    await refused(
      vt('POST', '/api/v1/families', { ...newReport(), members: [{ alias: 'Kind', kind: 'child', birthYear: 2099 }] }),
      'birthYear 2099',
    );
    await refused(vt('POST', '/api/v1/families', { ...newReport(), reference: 'SEC-\u202eTXT.EXE' }), 'reference with U+202E');
    await refused(
      vt('POST', '/api/v1/families', { ...newReport(), members: [{ alias: 'Moe\u200bder', kind: 'adult', birthYear: 1980 }] }),
      'alias with U+200B',
    );
    await refused(vt('POST', '/api/v1/families', { ...newReport(), summary: 'Melding \u2066verborgen\u2069' }), 'summary with isolates');
    // Events: a measure ending in year 10000 (answered 500 on SQLite *and committed*), a huisverbod
    // from 1900, a measure ending before it starts, an incident in year 0.
    const f = familyIds[2]!;
    const version = (await h.db.prisma.family.findUniqueOrThrow({ where: { id: f } })).version;
    const send = (type: string, payload: unknown) => vt('POST', `/api/v1/families/${f}/events`, { type, expectedVersion: version, payload });
    await refused(send('measure.imposed', { kind: 'huisverbod', startsAt: '2025-03-03T09:00:00Z', endsAt: '9999-12-31T23:59:59-01:00' }), 'measure to year 10000');
    await refused(send('measure.imposed', { kind: 'huisverbod', startsAt: '1899-06-01T00:00:00Z', endsAt: '1899-06-11T00:00:00Z' }), 'huisverbod in 1899');
    await refused(send('measure.imposed', { kind: 'huisverbod', startsAt: '2025-03-13T09:00:00Z', endsAt: '2025-03-03T09:00:00Z' }), 'measure ending before it starts');
    await refused(send('incident.reported', { occurredAt: '0000-01-01T00:00:00Z', severity: 'minor', description: 'Ruzie.' }), 'incident in year 0');
    // The manual clock cannot be sent to year 10000 (every sign-in then answered 500).
    await refused(vt('POST', '/api/v1/clock', { set: '9999-12-31T23:59:59-01:00' }), 'clock to year 10000');
    expect([await families(), await events()]).toEqual([familiesBefore, eventsBefore]);
    expect((await vt('GET', '/api/v1/kpis')).status).toBe(200);
  });

  /** Text that passes the length rules but is otherwise as odd as it gets. */
  const oddText = (max: number) =>
    fc
      .oneof(
        hostileString,
        fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }),
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }),
      )
      .filter((v) => v.trim().length >= 1 && v.length <= max);

  it.each(seeds)(
    'stores odd but valid strings byte for byte, or refuses them with a 400, never a 5xx (%o)',
    async ({ name, seed }) => {
      console.log(`[hostile strings ${provider}] ${name} seed ${seed} (replay: FUZZ_SEED=${seed})`);
      const vt = tokens.get('vt')!.token;
      const send = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
        fetch(`${h.base}${path}`, {
          method,
          headers: {
            Authorization: `Bearer ${vt}`,
            ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
            ...headers,
          },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        }).then(async (r) => ({
          status: r.status,
          text: await r.text(),
          type: r.headers.get('content-type') ?? '',
        }));
      const problems: string[] = [];
      const outcome = { stored: 0, refused: 0 };
      const check = (what: string, r: { status: number; text: string; type: string }) => {
        if (r.status >= 500) problems.push(`${what}: ${r.status} ${r.text.slice(0, 200)}`);
        else if (r.status >= 400 && !r.type.startsWith('application/problem+json'))
          problems.push(`${what}: ${r.status} without problem+json`);
      };
      const same = (stored: unknown, sent: string) => stored === sent || stored === sent.trim();
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            reference: oddText(64),
            summary: oddText(4000),
            alias: oddText(80),
            form: oddText(500),
            repeat: oddText(4000),
            reason: oddText(4000),
            directorId: oddText(100),
          }),
          async (t) => {
            const body = {
              ...newReport(),
              reference: t.reference,
              summary: t.summary,
              violenceForms: [t.form],
              members: [{ alias: t.alias, kind: 'adult', birthYear: 1980 }],
            };
            const created = await send('POST', '/api/v1/families', body);
            check(`create ${JSON.stringify(body)}`, created);
            if (created.status === 201) {
              outcome.stored++;
              const view = JSON.parse(created.text) as FamilyView;
              if (!same(view.reference, t.reference))
                problems.push(`reference ${JSON.stringify(t.reference)} → ${JSON.stringify(view.reference)}`);
              if (!same(view.members[0]!.alias, t.alias))
                problems.push(`alias ${JSON.stringify(t.alias)} → ${JSON.stringify(view.members[0]!.alias)}`);
              const history = await send('GET', `/api/v1/families/${view.id}/history`);
              check('history', history);
              const first = (
                JSON.parse(history.text) as {
                  events: { payload: { summary: string; violenceForms: string[] } }[];
                }
              ).events[0]!.payload;
              if (!same(first.summary, t.summary))
                problems.push(`summary ${JSON.stringify(t.summary)} → ${JSON.stringify(first.summary)}`);
              if (!same(first.violenceForms[0], t.form))
                problems.push(
                  `violenceForm ${JSON.stringify(t.form)} → ${JSON.stringify(first.violenceForms[0])}`,
                );
              const again = await send('POST', `/api/v1/families/${view.id}/events`, {
                type: 'report.received',
                expectedVersion: view.version,
                payload: { source: 'other', acute: false, summary: t.repeat },
                reason: t.reason,
              });
              check(`repeat report ${JSON.stringify(t.repeat)}`, again);
              if (again.status === 200) {
                const h2 = JSON.parse((await send('GET', `/api/v1/families/${view.id}/history`)).text) as {
                  events: { payload: { summary: string }; reason: string | null }[];
                };
                const last = h2.events.at(-1)!;
                if (!same(last.payload.summary, t.repeat))
                  problems.push(
                    `repeat summary ${JSON.stringify(t.repeat)} → ${JSON.stringify(last.payload.summary)}`,
                  );
                if (!same(last.reason, t.reason))
                  problems.push(`reason ${JSON.stringify(t.reason)} → ${JSON.stringify(last.reason)}`);
              }
              // A payload that names a user: the id is looked up in the database.
              const named = await send('POST', `/api/v1/families/${view.id}/events`, {
                type: 'assessment.completed',
                expectedVersion: view.version + (again.status === 200 ? 1 : 0),
                payload: {
                  decision: 'handover',
                  acute: false,
                  structural: true,
                  directorId: t.directorId,
                  conditions: [{ description: 'Veilig.' }],
                },
                reason: 'Overdracht.',
              });
              check(`directorId ${JSON.stringify(t.directorId)}`, named);
              const found = await send(
                'GET',
                `/api/v1/families?q=${encode(t.reference.trim().slice(0, 100))}&pageSize=100`,
              );
              check(`search ${JSON.stringify(t.reference)}`, found);
            } else outcome.refused++;
          },
        ),
        { numRuns: stringRuns, seed },
      );
      // Sign-in with an odd username: 401 (or 400), never a 5xx. Each attempt costs an argon2
      // verification, so fewer of them; the clock moves past the throttle window each time so that
      // every attempt reaches the user lookup instead of stopping at 429.
      let logins = 0;
      await fc.assert(
        fc.asyncProperty(oddText(100), async (username) => {
          h.wallClock.advance(16 * 60_000);
          logins++;
          check(
            `login ${JSON.stringify(username)}`,
            await send(
              'POST',
              '/api/v1/session',
              { username, password: 'not the password' },
              { Authorization: '' },
            ),
          );
        }),
        { numRuns: loginRuns, seed: seed + 1 },
      );
      console.log(
        `[hostile strings ${provider}] ${JSON.stringify({ name, seed, ...outcome, logins, problems: problems.length })}`,
      );
      expect([...new Set(problems)].slice(0, 30), `seed ${seed} (FUZZ_SEED=${seed} replays it)`).toEqual([]);
    },
    timeouts.hostile,
  );
});
