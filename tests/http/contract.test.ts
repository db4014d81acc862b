import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiVersion, type Problem } from '../../contract/index.ts';
import { backends } from '../support/db.ts';
import { newReport, PASSWORD, startHarness, type Client, type Harness } from './harness.ts';
import { createFamily } from './flows.ts';

// The HTTP contract's general rules: problem+json for every failure, the headers on every response,
// the OpenAPI document and its docs page, health, the manual clock and the metrics endpoint.

describe.each(backends())('HTTP contract (%s)', (provider) => {
  let h: Harness;
  let vt: Client;
  beforeAll(async () => {
    h = await startHarness(provider);
    vt = await h.login('vt');
  });
  afterAll(async () => {
    await h?.close();
  });

  function expectProblem(res: { status: number; headers: Headers; body: unknown }, status: number): Problem {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const p = res.body as Problem;
    expect(p.status).toBe(status);
    expect(typeof p.type).toBe('string');
    expect(typeof p.title).toBe('string');
    expect(JSON.stringify(p)).not.toMatch(/at .*\.ts:\d+/); // no stack traces
    return p;
  }

  it('lists every validation error at once, with paths', async () => {
    const res = await vt.post('/api/v1/families', { ...newReport(), municipality: 'Amsterdam', acute: 'yes', members: [{ alias: '', kind: 'pet', birthYear: 1800 }] });
    const p = expectProblem(res, 400);
    const paths = p.errors!.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['municipality', 'acute', 'members.0.alias', 'members.0.kind', 'members.0.birthYear']));
    expect(p.errors!.every((e) => typeof e.message === 'string' && e.message.length > 0)).toBe(true);
  });

  it('gives 400 problems for malformed JSON, a missing body and bad query parameters', async () => {
    const malformed = await vt.post('/api/v1/families', undefined, { raw: '{"reference": ', headers: { 'Content-Type': 'application/json' } });
    expect(expectProblem(malformed, 400).errors).toHaveLength(1);
    expectProblem(await vt.post('/api/v1/families'), 400);
    const query = await vt.get('/api/v1/families?page=0&pageSize=1000&overdue=maybe&unknown=1');
    const paths = expectProblem(query, 400).errors!.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['query.page', 'query.pageSize', 'query.overdue']));
    expectProblem(await vt.get('/api/v1/families?page=1&page=2'), 400);
    // Empty values mean "no filter", as an HTML form sends them.
    // An empty query value is a value the schema refuses (issue 18; it used to mean "no filter").
    expectProblem(await vt.get('/api/v1/families?phase=&municipality=&q='), 400);
    const f = await createFamily(vt);
    expectProblem(await vt.get(`/api/v1/families/${f.id}/replay?seq=abc`), 400);
    expectProblem(await vt.get(`/api/v1/families/${f.id}/replay?seq=99`), 400);
    expectProblem(await vt.get('/api/v1/kpis?from=2025-05-01&to=2025-04-01'), 400);
    expectProblem(await vt.get('/api/v1/families/not%20an%20id'), 400);
  });

  it('gives 413 above 64 KiB and 415 for a body that is not JSON', async () => {
    const big = { ...newReport(), summary: 'x'.repeat(70 * 1024) };
    expectProblem(await vt.post('/api/v1/families', big), 413);
    expectProblem(await vt.post('/api/v1/families', undefined, { raw: 'reference=x', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }), 415);
    expectProblem(await vt.post('/api/v1/families', undefined, { raw: '{}', headers: { 'Content-Type': 'text/plain' } }), 415);
    // The sign-in route is no exception.
    expectProblem(await h.anonymous().post('/api/v1/session', undefined, { raw: `username=vt&password=${PASSWORD}`, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }), 415);
  });

  it('answers unknown routes with a 404 problem', async () => {
    expectProblem(await vt.get('/api/v1/nope'), 404);
    expectProblem(await vt.request('PUT', '/api/v1/nope'), 404);
    // A known path with a method it does not answer is a 405 (issue 18), not a 404.
    expectProblem(await vt.request('PUT', '/api/v1/families'), 405);
    expectProblem(await h.anonymous().get('/not-the-api'), 404);
  });

  it('puts API-Version, no-store and the security headers on responses', async () => {
    for (const res of [await h.anonymous().get('/api/v1/health'), await vt.get('/api/v1/nope'), await h.anonymous().get('/elsewhere')]) {
      expect(res.headers.get('api-version')).toBe(apiVersion); // info.version of the document
      expect(res.headers.get('x-powered-by')).toBeNull();
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toMatch(/default-src 'self'/);
      expect(csp).toMatch(/frame-ancestors 'none'/);
    }
    expect((await vt.get('/api/v1/me')).headers.get('cache-control')).toBe('no-store');
  });

  it('reports health', async () => {
    const res = await h.anonymous().get('/api/v1/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', database: 'ok' });
  });

  it('serves the OpenAPI document publicly, for any origin, describing every route with problem responses', async () => {
    const res = await h.anonymous().get<{ openapi: string; servers: { url: string }[]; paths: Record<string, Record<string, { responses: Record<string, unknown> }>>; components: { schemas: Record<string, unknown> } }>('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.components.schemas)).toEqual(
      expect.arrayContaining(['FamilyView', 'FamilySummary', 'CreateFamily', 'EventRequest', 'Problem', 'User', 'History', 'Replay', 'Verify', 'Monitoring', 'Kpis', 'AccessLogRow']),
    );
    expect(res.body.servers[0]!.url).toBe('/api/v1');
    const events = res.body.paths['/families/{id}/events']!.post!;
    expect(Object.keys(events.responses)).toEqual(expect.arrayContaining(['200', '400', '403', '404', '409', '413', '422']));
  });

  it('serves a browsable docs page with its own script and style (no CDN)', async () => {
    const page = await h.anonymous().get('/api/v1/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const sources = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(sources.length).toBeGreaterThan(0);
    expect(sources.every((s) => s.startsWith('/') || s === 'data:,')).toBe(true);
    const script = await h.anonymous().get('/api/v1/docs/docs.js');
    expect(script.status).toBe(200);
    expect(script.text).toContain('/api/v1/openapi.json');
  });

  it('moves the manual clock and fires due timers before answering', async () => {
    const f = await createFamily(vt, { acute: true });
    const before = await h.anonymous().get<{ now: string }>('/api/v1/clock');
    expect(before.status).toBe(200);
    const moved = await vt.post<{ now: string }>('/api/v1/clock', { advanceDays: 2 });
    expect(moved.status).toBe(200);
    expect(Date.parse(moved.body.now) - Date.parse(before.body.now)).toBe(2 * 86_400_000);
    const history = await vt.get<{ events: { type: string; recordedAt: string; payload: { kind?: string; dueAt?: string } }[] }>(
      `/api/v1/families/${f.id}/history`,
    );
    const missed = history.body.events.find((e) => e.type === 'deadline.missed' && e.payload.kind === 'assessment');
    expect(missed).toBeDefined();
    // Stepped through due times: the 24-hour deadline is recorded when it fell due, not at the end of the jump.
    expect(Date.parse(missed!.recordedAt)).toBe(Date.parse(missed!.payload.dueAt!));
    expect(Date.parse(missed!.recordedAt)).toBeLessThan(Date.parse(moved.body.now));
    const target = new Date(Date.parse(moved.body.now) + 86_400_000).toISOString();
    const set = await vt.post<{ now: string }>('/api/v1/clock', { set: target });
    expect(set.body.now).toBe(target);
    expectProblem(await vt.post('/api/v1/clock', { advanceDays: -1 }), 400);
    const page = await h.login('vt'); // a browser page: the cookie, and no token from another site
    page.mode = 'cookie';
    const crossSite = { 'X-CSRF-Token': '', Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' };
    expectProblem(await page.post('/api/v1/clock', { advanceDays: 1 }, { headers: crossSite }), 403);
  });

  it('issue 11 item 7: the clock needs a signed-in user, moves forward only and is access-logged', async () => {
    const now = (await h.anonymous().get<{ now: string }>('/api/v1/clock')).body.now;
    expectProblem(await h.anonymous().post('/api/v1/clock', { advanceDays: 1 }), 401);
    const back = await vt.post('/api/v1/clock', { set: new Date(Date.parse(now) - 365 * 86_400_000).toISOString() });
    expectProblem(back, 422);
    expectProblem(await vt.post('/api/v1/clock', { set: '2100-01-01T00:00:00Z' }), 400);
    expect((await h.anonymous().get<{ now: string }>('/api/v1/clock')).body.now).toBe(now);
    const logged = () => h.db.prisma.accessLog.count({ where: { action: 'clock', userId: h.users.vt.id } });
    const rows = await logged();
    expect((await vt.post('/api/v1/clock', { advanceMinutes: 5 })).status).toBe(200);
    expect(await logged()).toBe(rows + 1);
  });

  it('has no clock routes without CLOCK=manual', async () => {
    const system = await startHarness(provider, { clockMode: 'system' });
    try {
      expectProblem(await system.anonymous().get('/api/v1/clock'), 404);
      expectProblem(await (await system.login('vt')).post('/api/v1/clock', { advanceDays: 1 }), 404);
    } finally {
      await system.close();
    }
  });

  it('serves metrics to the local host only', async () => {
    await vt.get('/api/v1/families'); // a list read, and its access-log row written and committed
    const local = await h.anonymous().get('/metrics');
    expect(local.status).toBe(200);
    expect(local.text).toMatch(/veiligpad_http_requests_total/);
    // The time the direct runner spent in SQL, by kind: this harness has read and written by now.
    const seconds = (kind: string) => Number(new RegExp(`^veiligpad_db_statement_seconds_total\\{kind="${kind}"\\} (\\S+)$`, 'm').exec(local.text)?.[1]);
    const count = (kind: string) => Number(new RegExp(`^veiligpad_db_statements_total\\{kind="${kind}"\\} (\\S+)$`, 'm').exec(local.text)?.[1]);
    expect(local.text).toMatch(/^veiligpad_db_commit_cpu_seconds_total \S+$/m);
    for (const kind of ['read', 'write', 'commit']) {
      expect(count(kind)).toBeGreaterThan(0);
      expect(seconds(kind)).toBeGreaterThan(0);
    }
    expect(local.text).not.toMatch(/\/api\/v1\/families\/[0-9a-f-]{36}/); // route templates, not ids
    const proxied = await h.anonymous().get('/metrics', { headers: { 'X-Forwarded-For': '198.51.100.7' } });
    expect(proxied.status).toBe(403);
  });

  it('turns a real fault into a 500 with an errorId that is in the server log, and logs no secrets', async () => {
    const broken = await startHarness(provider);
    try {
      await broken.db.prisma.$executeRawUnsafe('DROP TABLE "LoginFailure"');
      const res = await broken.anonymous().post('/api/v1/session', { username: 'vt', password: PASSWORD });
      const p = expectProblem(res, 500);
      expect(p.errorId).toMatch(/^[0-9a-f-]{36}$/);
      expect(p.detail).not.toMatch(/LoginFailure|prisma|sql/i);
      expect(broken.logs.some((l) => l.includes(p.errorId!) && l.includes('"level":50'))).toBe(true);
      expect(broken.logs.join('\n')).not.toContain(PASSWORD);
    } finally {
      await broken.close();
    }
  });

  it('logs method, path, status and duration, never tokens, passwords, bodies or query strings', async () => {
    const secretQuery = 'q=Jansen';
    await vt.get(`/api/v1/families?${secretQuery}`);
    await h.anonymous().post('/api/v1/session', { username: 'vt', password: 'a-wrong-password-here' });
    const lines = h.logs.map((l) => JSON.parse(l) as Record<string, unknown>);
    const request = lines.filter((l) => l.msg === 'request' && l.path === '/api/v1/families' && l.method === 'GET').at(-1);
    expect(request).toMatchObject({ method: 'GET', status: 200 });
    expect(typeof request!.durationMs).toBe('number');
    expect(typeof request!.reqId).toBe('string');
    const all = h.logs.join('\n');
    expect(all).not.toContain('Jansen');
    expect(all).not.toContain('a-wrong-password-here');
    expect(all).not.toContain(vt.token!);
  });
});
