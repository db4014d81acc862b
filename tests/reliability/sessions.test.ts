import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FamilyView } from '../../contract/index.ts';
import { LOGIN_FAILURE_LIMIT } from '../../server/auth/throttle.ts';
import { backends } from '../support/db.ts';
import { runTsScript } from '../support/server-process.ts';
import { Client, newReport, PASSWORD, startHarness, type Harness } from '../http/harness.ts';

// What tests/http/session.test.ts does not cover: guessing in parallel (the throttle must count
// attempts that are still being verified), an account disabled from another process (the admin
// CLI) while its sessions are in use, a CSRF token that belongs to another session, and a refused
// cross-site write that must not have written anything.

const runCli = (args: string[], databaseUrl: string) => runTsScript('server/cli/user.ts', args, databaseUrl);

describe.each(backends())('sessions under attack (%s)', (provider) => {
  let h: Harness;
  beforeAll(async () => {
    // Behind a loopback proxy, so each attempt can come from its own address (X-Forwarded-For).
    h = await startHarness(provider, { config: { trustProxy: 'loopback' } });
  });
  afterAll(async () => {
    await h?.close();
  });

  const login = (username: string, password: string, ip: string) =>
    h
      .anonymous()
      .post<{ token: string }>(
        '/api/v1/session',
        { username, password },
        { headers: { 'X-Forwarded-For': ip } },
      );

  it(`stops parallel guessing at ${LOGIN_FAILURE_LIMIT} verified attempts per account`, async () => {
    // Thirty guesses at once, each from its own address, so that only the account's count can stop them.
    const attempts = 30;
    const replies = await Promise.all(
      Array.from({ length: attempts }, (_, i) => login('director2', `guess-${i}`, `198.51.100.${i + 1}`)),
    );
    const statuses = replies.map((r) => r.status);
    const verified = statuses.filter((s) => s === 401).length;
    const throttled = statuses.filter((s) => s === 429).length;
    console.log(
      `[sessions ${provider}] parallel guesses: ${JSON.stringify({ attempts, verified401: verified, throttled429: throttled })}`,
    );
    expect(verified + throttled).toBe(attempts);
    expect(verified).toBeLessThanOrEqual(LOGIN_FAILURE_LIMIT);
    for (const r of replies.filter((x) => x.status === 429))
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    // Concurrent attempts may refuse each other a little early (PostgreSQL sees all in-flight rows):
    // fill the account's count up to the limit, then even the right password waits.
    for (let i = verified; i < LOGIN_FAILURE_LIMIT; i++)
      expect((await login('director2', `late-${i}`, `198.51.101.${i + 1}`)).status).toBe(401);
    expect((await login('director2', PASSWORD, '198.51.100.200')).status).toBe(429);
  });

  it('lets colleagues behind one office address sign in at the same moment', async () => {
    const { createUser } = await import('../../server/cases/createUser.ts');
    const team = Array.from({ length: LOGIN_FAILURE_LIMIT + 4 }, (_, i) => `collega${i}`);
    for (const username of team)
      await createUser(h.db, { username, password: PASSWORD, roles: ['director'] });
    const replies = await Promise.all(team.map((u) => login(u, PASSWORD, '192.0.2.77')));
    expect(replies.map((r) => r.status)).toEqual(team.map(() => 200));
  });

  it('throttles a username that does not exist exactly like one that does (no account enumeration)', async () => {
    const statuses = async (username: string, net: string) => {
      const out: number[] = [];
      for (let i = 0; i < LOGIN_FAILURE_LIMIT + 2; i++)
        out.push((await login(username, 'wrong-password', `${net}.${i + 1}`)).status);
      return out;
    };
    const { createUser } = await import('../../server/cases/createUser.ts');
    await createUser(h.db, { username: 'bestaat', password: PASSWORD, roles: ['auditor'] });
    const real = await statuses('bestaat', '203.0.113');
    const ghost = await statuses('no-such-user-here', '192.0.2');
    expect(ghost).toEqual(real);
    expect(real.slice(-2)).toEqual([429, 429]);
  });

  it('revokes the sessions of a user disabled by the admin CLI from another process', async () => {
    const { createUser } = await import('../../server/cases/createUser.ts');
    await createUser(h.db, {
      username: 'vertrekker',
      password: PASSWORD,
      roles: ['vt'],
      region: 'zuid-limburg',
    });
    const a = await h.login('vertrekker');
    const b = await h.login('vertrekker');
    b.mode = 'cookie';
    expect((await a.get('/api/v1/me')).status).toBe(200);
    const cli = await runCli(['disable', '--username', 'vertrekker'], h.db.url);
    expect(cli.code, cli.out).toBe(0);
    expect(cli.out).toMatch(/revoked 2 session/);
    expect((await a.get('/api/v1/me')).status).toBe(401);
    expect((await b.get('/api/v1/me')).status).toBe(401);
    expect((await a.post('/api/v1/families', newReport())).status).toBe(401);
    expect(
      (await h.anonymous().post('/api/v1/session', { username: 'vertrekker', password: PASSWORD })).status,
    ).toBe(401);
  });

  it("refuses another session's CSRF token and writes nothing on a refused cross-site write", async () => {
    const vt = await h.login('vt');
    const created = await vt.post<FamilyView>('/api/v1/families', newReport());
    const id = created.body.id;
    const victim = await h.login('vt');
    const attacker = await h.login('vt'); // the attacker's own, valid session of some account
    victim.mode = 'cookie';
    const events = () => h.db.prisma.event.count({ where: { familyId: id } });
    const before = await events();
    const body = { type: 'assessment.started', expectedVersion: created.body.version, payload: {} };
    // The victim's cookie with the attacker's token: a forged page cannot know the victim's.
    const forged = await victim.post(`/api/v1/families/${id}/events`, body, {
      headers: { 'X-CSRF-Token': attacker.csrfToken! },
    });
    expect(forged.status).toBe(403);
    expect(forged.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const crossSite = await victim.post(`/api/v1/families/${id}/events`, body, {
      headers: { 'X-CSRF-Token': '', Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' },
    });
    expect(crossSite.status).toBe(403);
    // Same-origin statement with a cross-site Sec-Fetch-Site is still cross-site.
    const mixed = await victim.post(`/api/v1/families/${id}/events`, body, {
      headers: { 'X-CSRF-Token': '', Origin: h.base, 'Sec-Fetch-Site': 'cross-site' },
    });
    expect(mixed.status).toBe(403);
    expect(await events()).toBe(before);
    // The victim's own page (its token) still works.
    expect((await victim.post(`/api/v1/families/${id}/events`, body)).status).toBe(200);
  });

  it('ends a session for cookie and bearer alike when it signs out, and a new sign-in gets a new token', async () => {
    const first = await h.login('auditor');
    const token = first.token!;
    first.mode = 'cookie';
    expect((await first.delete('/api/v1/session')).status).toBe(204);
    const bearer = new Client(h.base);
    bearer.token = token;
    expect((await bearer.get('/api/v1/me')).status).toBe(401);
    expect((await first.get('/api/v1/me')).status).toBe(401);
    await h.relogin(first);
    expect(first.token).not.toBe(token);
    expect((await first.get('/api/v1/me')).status).toBe(200);
  });
});
