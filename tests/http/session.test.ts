import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoginResponse, Problem } from '../../contract/index.ts';
import { ADDRESS_FAILURE_LIMIT, LOGIN_FAILURE_LIMIT } from '../../server/auth/throttle.ts';
import { sha256 } from '../../server/auth/tokens.ts';
import { disableUser } from '../../server/db/users.ts';
import { invalidateNorms } from '../../server/engine/index.ts';
import { backends } from '../support/db.ts';
import { Client, PASSWORD, startHarness, type Harness } from './harness.ts';

// Sign-in, session lifetime (on the wall clock, here a manual one of its own), rotation, sign-out,
// throttling and CSRF.

const MINUTE = 60_000;

describe.each(backends())('sessions (%s)', (provider) => {
  let h: Harness;
  beforeAll(async () => {
    // Behind a (loopback) proxy: X-Forwarded-For then names the client address, per request.
    h = await startHarness(provider, { config: { trustProxy: 'loopback' } });
  });
  afterAll(async () => {
    await h?.close();
  });

  async function login(username: string, password = PASSWORD, headers: Record<string, string> = {}) {
    return h.anonymous().post<LoginResponse & Problem>('/api/v1/session', { username, password }, { headers });
  }

  it('signs in with a token, a CSRF token and a strict HttpOnly cookie; the database keeps only the hash', async () => {
    const res = await login('Director'); // usernames are case-insensitive
    expect(res.status).toBe(200);
    expect(res.body.user).toEqual({
      id: h.users.director.id,
      username: 'director',
      displayName: 'Rita Regisseur',
      roles: ['director'],
      region: null,
    });
    expect(res.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 bytes, base64url
    expect(res.body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(new RegExp(`^vp_session=${res.body.token};`));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/); // plain HTTP in this test
    const stored = await h.db.prisma.session.findMany({ where: { userId: h.users.director.id } });
    expect(stored.some((s) => s.tokenHash === sha256(res.body.token))).toBe(true);
    expect(stored.some((s) => s.tokenHash === res.body.token)).toBe(false);
  });

  it('marks the cookie Secure when the request came over HTTPS through a trusted proxy', async () => {
    const proxied = await startHarness(provider, { config: { trustProxy: 'loopback' } });
    try {
      const res = await proxied.anonymous().post('/api/v1/session', { username: 'vt', password: PASSWORD }, {
        headers: { 'X-Forwarded-Proto': 'https' },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('set-cookie')).toMatch(/Secure/);
    } finally {
      await proxied.close();
    }
  });

  it('answers an unknown user and a wrong password identically', async () => {
    const unknown = await login('nobody-here', 'whatever-password');
    const wrong = await login('auditor', 'wrong-password');
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    const strip = (b: unknown) => ({ ...(b as object), instance: undefined });
    expect(strip(unknown.body)).toEqual(strip(wrong.body));
    expect(unknown.headers.get('www-authenticate')).toBe(wrong.headers.get('www-authenticate'));
  });

  it('authenticates with the bearer token and with the cookie; /me returns the user', async () => {
    const vt = await h.login('vt');
    const bearer = await vt.get<{ username: string; csrfToken: string }>('/api/v1/me');
    expect(bearer.status).toBe(200);
    expect(bearer.body.username).toBe('vt');
    vt.mode = 'cookie';
    const viaCookie = await vt.get<{ username: string; csrfToken: string }>('/api/v1/me');
    expect(viaCookie.status).toBe(200);
    expect(viaCookie.body.csrfToken).toBe(vt.csrfToken);
    expect((await h.anonymous().get('/api/v1/me')).status).toBe(401);
    const bogus = new Client(h.base);
    bogus.token = 'x'.repeat(43);
    expect((await bogus.get('/api/v1/me')).status).toBe(401);
  });

  it('issues a new token at every sign-in and revokes the session a sign-in request carried', async () => {
    const first = await h.login('auditor');
    const second = await h.login('auditor');
    expect(second.token).not.toBe(first.token);
    expect((await first.get('/api/v1/me')).status).toBe(200);
    // Signing in again with the first session attached replaces it.
    const res = await first.post<LoginResponse>('/api/v1/session', { username: 'auditor', password: PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body.token).not.toBe(first.token);
    expect((await first.get('/api/v1/me')).status).toBe(401);
    expect((await second.get('/api/v1/me')).status).toBe(200);
  });

  it('sets a readable "signed in" hint beside the session cookie, clears both at sign-out and when the session is gone; says which clock runs', async () => {
    const res = await login('vt');
    expect(res.body.clock).toBe('manual'); // this harness runs CLOCK=manual
    const cookies = res.headers.getSetCookie();
    const hint = cookies.find((c) => c.startsWith('vp_signed_in='));
    expect(hint).toMatch(/^vp_signed_in=1;/);
    expect(hint).not.toMatch(/HttpOnly/); // the page reads it; it holds no secret
    expect(hint).toMatch(/SameSite=Strict/);
    const session = cookies.find((c) => c.startsWith('vp_session='))!.split(';')[0]!;
    const me = await h.anonymous().get<{ clock: string }>('/api/v1/me', { headers: { Cookie: session } });
    expect(me.status).toBe(200);
    expect(me.body.clock).toBe('manual');

    const out = await h.anonymous().delete('/api/v1/session', {
      headers: { Cookie: session, 'X-CSRF-Token': res.body.csrfToken },
    });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie().map((c) => c.split(';')[0])).toEqual(['vp_session=', 'vp_signed_in=']);
    // A page that still sends the ended session's cookie is told to forget both.
    const stale = await h.anonymous().get('/api/v1/me', { headers: { Cookie: session } });
    expect(stale.status).toBe(401);
    expect(stale.headers.getSetCookie().map((c) => c.split(';')[0])).toEqual(['vp_session=', 'vp_signed_in=']);
    // A bearer token that no longer works clears no cookie (it never came from one).
    const bearer = await h.anonymous().get('/api/v1/me', { headers: { Authorization: `Bearer ${res.body.token}` } });
    expect(bearer.status).toBe(401);
    expect(bearer.headers.getSetCookie()).toEqual([]);
  });

  it('signs out: the token stops working and the cookie is cleared', async () => {
    const vt = await h.login('vt');
    const out = await vt.delete('/api/v1/session');
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/vp_session=;/);
    expect((await vt.get('/api/v1/me')).status).toBe(401);
  });

  it('ends a session after 30 idle minutes (manual clock)', async () => {
    const vt = await h.login('vt');
    h.wallClock.advance(29 * MINUTE);
    expect((await vt.get('/api/v1/me')).status).toBe(200); // activity restarts the idle period
    h.wallClock.advance(29 * MINUTE);
    expect((await vt.get('/api/v1/me')).status).toBe(200);
    h.wallClock.advance(31 * MINUTE);
    expect((await vt.get('/api/v1/me')).status).toBe(401);
    // And it stays ended.
    h.wallClock.advance(-31 * MINUTE);
    expect((await vt.get('/api/v1/me')).status).toBe(401);
    h.wallClock.advance(31 * MINUTE);
  });

  it('ends a session 10 hours after sign-in however active it is', async () => {
    const vt = await h.login('vt');
    for (let elapsed = 0; elapsed < 9 * 60 + 40; elapsed += 20) {
      h.wallClock.advance(20 * MINUTE);
      expect((await vt.get('/api/v1/me')).status, `after ${elapsed + 20} minutes`).toBe(200);
    }
    h.wallClock.advance(21 * MINUTE); // 10 h 01 min after sign-in, 21 minutes after the last request
    expect((await vt.get('/api/v1/me')).status).toBe(401);
  });

  it('reads the timeouts from the norms table', async () => {
    await h.db.prisma.norm.create({ data: { key: 'session.idleMinutes', value: '5', updatedAt: new Date() } });
    invalidateNorms(h.db); // the norms cache would see it within 5 s; this process wrote it, so at once
    try {
      const vt = await h.login('vt');
      h.wallClock.advance(6 * MINUTE);
      expect((await vt.get('/api/v1/me')).status).toBe(401);
    } finally {
      await h.db.prisma.norm.delete({ where: { key: 'session.idleMinutes' } });
      invalidateNorms(h.db);
    }
  });

  it('throttles an account after 10 failures in 15 minutes with 429 and Retry-After', async () => {
    // Ten addresses, one failure each: only the account's count reaches the limit.
    for (let i = 0; i < 10; i++) {
      expect((await login('director2', `wrong-${i}`, { 'X-Forwarded-For': `10.0.0.${i + 1}` })).status).toBe(401);
    }
    const blocked = await login('director2', PASSWORD, { 'X-Forwarded-For': '10.0.1.1' });
    expect(blocked.status).toBe(429);
    const retry = Number(blocked.headers.get('retry-after'));
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(15 * 60);
    expect(blocked.body.retryAfter).toBe(retry);
    expect((await login('director', PASSWORD, { 'X-Forwarded-For': '10.0.1.1' })).status).toBe(200);
    h.wallClock.advance(16 * MINUTE); // the sliding window has passed
    expect((await login('director2', PASSWORD, { 'X-Forwarded-For': '10.0.1.1' })).status).toBe(200);
  });

  it(`throttles an address after ${ADDRESS_FAILURE_LIMIT} failures across accounts`, async () => {
    const throttled = await startHarness(provider, { config: { trustProxy: 'loopback' } });
    try {
      const from = (ip: string, username: string, password: string) =>
        throttled.anonymous().post('/api/v1/session', { username, password }, { headers: { 'X-Forwarded-For': ip } });
      // Spraying guesses over many accounts (a few each, under the account's own limit), ten at a time.
      for (let round = 0; round < ADDRESS_FAILURE_LIMIT / 10; round++) {
        const replies = await Promise.all(
          Array.from({ length: 10 }, (_, i) => from('203.0.113.9', `user${i}`, `guess${round}-${i}`)),
        );
        expect(replies.map((r) => r.status)).toEqual(replies.map(() => 401));
      }
      expect((await from('203.0.113.9', 'vt', PASSWORD)).status).toBe(429);
      expect((await from('203.0.113.10', 'vt', PASSWORD)).status).toBe(200);
      // No username or address is stored in clear.
      const keys = (await throttled.db.prisma.loginFailure.findMany()).map((r) => r.key);
      expect(keys.every((k) => /^[0-9a-f]{64}$/.test(k))).toBe(true);
    } finally {
      await throttled.close();
    }
  }, 120_000);

  it('issue 11 item 5: guesses at one account never lock its colleagues behind the same address out', async () => {
    const office = await startHarness(provider, { config: { trustProxy: 'loopback' } });
    try {
      const from = (username: string, password: string) =>
        office.anonymous().post('/api/v1/session', { username, password }, { headers: { 'X-Forwarded-For': '198.51.100.7' } });
      for (let i = 0; i < LOGIN_FAILURE_LIMIT; i++) expect((await from('director2', `wrong-${i}`)).status).toBe(401);
      // The guessed account is locked, from this address and any other …
      expect((await from('director2', PASSWORD)).status).toBe(429);
      // … but every colleague in the office still signs in (before the fix: 429 for 15 minutes).
      for (const colleague of ['vt', 'director', 'auditor', 'admin']) expect((await from(colleague, PASSWORD)).status).toBe(200);
    } finally {
      await office.close();
    }
  });

  it('issue 11 item 7: moving the manual clock six months signs no one out', async () => {
    const vt = await h.login('vt');
    const auditor = await h.login('auditor');
    for (let i = 0; i < 6; i++) expect((await vt.post('/api/v1/clock', { advanceDays: 30 })).status).toBe(200);
    expect((await vt.get('/api/v1/me')).status).toBe(200);
    expect((await auditor.get('/api/v1/me')).status).toBe(200);
    // The wall clock still ends them.
    h.wallClock.advance(31 * MINUTE);
    expect((await vt.get('/api/v1/me')).status).toBe(401);
  });

  it('revokes every session of a disabled user', async () => {
    const a = await h.login('admin');
    const b = await h.login('admin');
    await disableUser(h.db, 'admin', h.clock.now());
    expect((await a.get('/api/v1/me')).status).toBe(401);
    expect((await b.get('/api/v1/me')).status).toBe(401);
    expect((await login('admin')).status).toBe(401);
  });

  describe('CSRF', () => {
    it('refuses a cookie-authenticated write without token or same-origin proof', async () => {
      const vt = await h.login('vt');
      vt.mode = 'cookie';
      const res = await vt.post('/api/v1/families', {}, { headers: { 'X-CSRF-Token': '' } });
      expect(res.status).toBe(403);
      const cross = await vt.delete('/api/v1/session', { headers: { 'X-CSRF-Token': '', Origin: 'https://evil.example' } });
      expect(cross.status).toBe(403);
      const wrongToken = await vt.delete('/api/v1/session', { headers: { 'X-CSRF-Token': 'not-the-token' } });
      expect(wrongToken.status).toBe(403);
      const crossSite = await vt.delete('/api/v1/session', { headers: { 'X-CSRF-Token': '', 'Sec-Fetch-Site': 'cross-site' } });
      expect(crossSite.status).toBe(403);
      expect((await vt.get('/api/v1/me')).status).toBe(200); // still signed in
    });

    it('accepts the synchronizer token, a same-origin Origin or Sec-Fetch-Site: same-origin', async () => {
      const a = await h.login('vt');
      a.mode = 'cookie';
      expect((await a.delete('/api/v1/session')).status).toBe(204); // X-CSRF-Token from sign-in
      const b = await h.login('vt');
      b.mode = 'cookie';
      expect((await b.delete('/api/v1/session', { headers: { 'X-CSRF-Token': '', Origin: h.base } })).status).toBe(204);
      const c = await h.login('vt');
      c.mode = 'cookie';
      expect((await c.delete('/api/v1/session', { headers: { 'X-CSRF-Token': '', 'Sec-Fetch-Site': 'same-origin' } })).status).toBe(204);
    });

    it('exempts bearer requests, whose token no other site can attach', async () => {
      const vt = await h.login('vt');
      expect((await vt.delete('/api/v1/session', { headers: { Origin: 'https://evil.example' } })).status).toBe(204);
    });

    it('refuses a sign-in posted from another origin', async () => {
      expect((await login('vt', PASSWORD, { Origin: 'https://evil.example' })).status).toBe(403);
      expect((await login('vt', PASSWORD, { 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
      expect((await login('vt', PASSWORD, { Origin: h.base })).status).toBe(200);
    });
  });
});
