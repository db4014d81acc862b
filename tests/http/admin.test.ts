import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminLog, AdminUser, FamilyView, NormList, Problem, UserActivation, UserList } from '../../contract/index.ts';
import { createUser } from '../../server/cases/createUser.ts';
import { backends } from '../support/db.ts';
import { createFamily } from './flows.ts';
import { PASSWORD, startHarness, type Client, type Harness } from './harness.ts';

// Issue 16: administration over real HTTP on each backend. Users get a one-time activation code and
// set their own password; disabling and role changes end sessions at once; norms change with a
// reason and only for deadlines started after; every change is one admin-log row without secrets.

const NEW_PASSWORD = 'Zeven zwanen zwemmen zeewaarts';
const DAY_MS = 86_400_000;

describe.each(backends())('administration (%s)', (provider) => {
  let h: Harness;
  let admin: Client;
  let auditor: Client;
  const secrets: string[] = [PASSWORD, NEW_PASSWORD];

  beforeAll(async () => {
    h = await startHarness(provider);
    admin = await h.login('admin');
    auditor = await h.login('auditor');
  });
  afterAll(async () => {
    await h?.close();
  });

  async function addUser(body: Record<string, unknown>): Promise<UserActivation> {
    const res = await admin.post<UserActivation>('/api/v1/users', body);
    expect(res.status, res.text).toBe(201);
    expect(res.headers.get('location')).toBe(`/api/v1/users/${res.body.user.id}`);
    secrets.push(res.body.activation.code);
    return res.body;
  }

  const patch = <T>(c: Client, id: string, body: unknown) => c.request<T>('PATCH', `/api/v1/users/${id}`, body);
  const activate = (username: string, code: string, password: string) =>
    h.anonymous().post<Problem>('/api/v1/session/activate', { username, code, password });

  async function canSignIn(username: string, password: string): Promise<number> {
    return (await h.anonymous().post('/api/v1/session', { username, password })).status;
  }

  it('adds a director who sets a password with the code once, signs in and sees an empty caseload', async () => {
    const { user, activation } = await addUser({ username: 'Nieuwe.Regisseur', displayName: 'Nina Nieuw', roles: ['director'] });
    expect(user).toMatchObject({ username: 'nieuwe.regisseur', roles: ['director'], region: null, disabled: false });
    expect(user.activationPendingUntil).toBe(activation.expiresAt);
    expect(activation.code).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
    expect(Date.parse(activation.expiresAt) - h.wallClock.now().getTime()).toBe(7 * DAY_MS);
    // No password works before activation.
    expect(await canSignIn('nieuwe.regisseur', '')).toBe(400);
    expect(await canSignIn('nieuwe.regisseur', PASSWORD)).toBe(401);

    // Another account's name, a short or a common password: refused, and the code is not used up.
    expect((await activate('regisseur2', activation.code, NEW_PASSWORD)).status).toBe(400);
    const short = await activate('nieuwe.regisseur', activation.code, 'kort-2025');
    expect(short.status).toBe(400);
    expect(short.body.errors?.map((e) => e.path)).toEqual(['password']);
    const common = await activate('nieuwe.regisseur', activation.code, 'PasswordPassword');
    expect(common.status).toBe(400);
    expect(common.body.errors?.map((e) => e.path)).toEqual(['password']);

    // Spaces and lower case in the typed code do not matter.
    const typed = activation.code.toLowerCase().replaceAll('-', ' ');
    expect((await activate('nieuwe.regisseur', typed, NEW_PASSWORD)).status).toBe(204);
    const again = await activate('nieuwe.regisseur', activation.code, `${NEW_PASSWORD} twee`);
    expect(again.status).toBe(400);
    expect(again.body.errors?.map((e) => e.path)).toEqual(['code']);

    const director = await h.login('nieuwe.regisseur', NEW_PASSWORD);
    const me = await director.get<{ roles: string[] }>('/api/v1/me');
    expect(me.body.roles).toEqual(['director']);
    const caseload = await director.get<{ items: unknown[]; total: number }>('/api/v1/families');
    expect(caseload.status).toBe(200);
    expect(caseload.body).toMatchObject({ items: [], total: 0 });
    const one = await admin.get<AdminUser>(`/api/v1/users/${user.id}`);
    expect(one.body).toMatchObject({ username: 'nieuwe.regisseur', activationPendingUntil: null });
    expect((await admin.get('/api/v1/users/onbekend')).status).toBe(404);
    const listed = await admin.get<UserList>('/api/v1/users?q=nieuwe');
    expect(listed.body.items.map((u) => [u.username, u.activationPendingUntil])).toEqual([['nieuwe.regisseur', null]]);
  });

  it('lets a code expire after 7 days, and a reset replaces the open code and ends the password', async () => {
    const first = await addUser({ username: 'traag', displayName: 'Tom Traag', roles: ['auditor'] });
    h.wallClock.advance(7 * DAY_MS + 60_000);
    expect((await activate('traag', first.activation.code, NEW_PASSWORD)).status).toBe(400);
    // A week on the wall clock ended every session too.
    await h.relogin(admin);
    await h.relogin(auditor);
    expect((await admin.get<UserList>('/api/v1/users?q=traag')).body.items[0]!.activationPendingUntil).toBeNull();

    const reset = await admin.post<UserActivation>(`/api/v1/users/${first.user.id}/reset`, { reason: 'Code verlopen' });
    expect(reset.status, reset.text).toBe(200);
    secrets.push(reset.body.activation.code);
    const second = await admin.post<UserActivation>(`/api/v1/users/${first.user.id}/reset`, {});
    secrets.push(second.body.activation.code);
    expect((await activate('traag', reset.body.activation.code, NEW_PASSWORD)).status).toBe(400);
    expect((await activate('traag', second.body.activation.code, NEW_PASSWORD)).status).toBe(204);
    const session = await h.login('traag', NEW_PASSWORD);
    expect((await session.get('/api/v1/me')).status).toBe(200);

    // A reset ends the sessions and the password; only the new code opens the account again.
    const third = await admin.post<UserActivation>(`/api/v1/users/${first.user.id}/reset`, {});
    secrets.push(third.body.activation.code);
    expect((await session.get('/api/v1/me')).status).toBe(401);
    expect(await canSignIn('traag', NEW_PASSWORD)).toBe(401);
  });

  it("stops a disabled user's token at once, and enabling does not revive it", async () => {
    const user = await createUser(h.db, { username: 'weg', password: PASSWORD, roles: ['director'], displayName: 'Wim Weg' });
    const session = await h.login('weg');
    session.mode = 'cookie';
    expect((await session.get('/api/v1/families')).status).toBe(200);
    const disabled = await patch<AdminUser>(admin, user.id, { disabled: true, reason: 'Uit dienst' });
    expect(disabled.status, disabled.text).toBe(200);
    expect(disabled.body).toMatchObject({ disabled: true });
    expect((await session.get('/api/v1/families')).status).toBe(401);
    session.mode = 'bearer';
    expect((await session.get('/api/v1/me')).status).toBe(401);
    expect(await canSignIn('weg', PASSWORD)).toBe(401);

    expect((await admin.get<UserList>('/api/v1/users?disabled=true')).body.items.map((u) => u.username)).toEqual(['weg']);
    expect((await patch<AdminUser>(admin, user.id, { disabled: false })).body.disabled).toBe(false);
    expect((await session.get('/api/v1/me')).status).toBe(401);
    expect(await canSignIn('weg', PASSWORD)).toBe(200);
  });

  it('makes a role change count from the next request: the sessions end, a new one has the new role', async () => {
    const user = await createUser(h.db, { username: 'wissel', password: PASSWORD, roles: ['director'], displayName: 'Wendy Wissel' });
    const before = await h.login('wissel');
    expect((await before.get('/api/v1/kpis')).status).toBe(403);
    const changed = await patch<AdminUser>(admin, user.id, { roles: ['vt'], region: 'zuid-limburg' });
    expect(changed.body).toMatchObject({ roles: ['vt'], region: 'zuid-limburg' });
    expect((await before.get('/api/v1/kpis')).status).toBe(401);
    const after = await h.login('wissel');
    expect((await after.get('/api/v1/kpis')).status).toBe(200);
    expect((await after.get<{ roles: string[] }>('/api/v1/me')).body.roles).toEqual(['vt']);
    // A display name changes no session.
    expect((await patch<AdminUser>(admin, user.id, { displayName: 'Wendy W.' })).status).toBe(200);
    expect((await after.get('/api/v1/me')).status).toBe(200);
  });

  it('refuses to let an administrator lock themselves out', async () => {
    for (const body of [{ disabled: true }, { roles: ['auditor'] }]) {
      const res = await patch<Problem>(admin, h.users.admin.id, body);
      expect(res.status).toBe(422);
      expect(res.body.guard).toBe('selfLockout');
    }
    expect((await admin.get('/api/v1/me')).status).toBe(200);
  });

  it("ends the user's other sessions when they change their own password", async () => {
    await createUser(h.db, { username: 'wisselwoord', password: PASSWORD, roles: ['auditor'], displayName: 'Piet Wachtwoord' });
    const here = await h.login('wisselwoord');
    const there = await h.login('wisselwoord');
    const wrong = await here.post<Problem>('/api/v1/me/password', { currentPassword: 'niet goed genoeg', newPassword: NEW_PASSWORD });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors?.map((e) => e.path)).toEqual(['currentPassword']);
    const weak = await here.post<Problem>('/api/v1/me/password', { currentPassword: PASSWORD, newPassword: 'welkom2025' });
    expect(weak.body.errors?.map((e) => e.path)).toEqual(['newPassword']);
    expect((await there.get('/api/v1/me')).status).toBe(200);
    expect((await here.post('/api/v1/me/password', { currentPassword: PASSWORD, newPassword: NEW_PASSWORD })).status).toBe(204);
    expect((await there.get('/api/v1/me')).status).toBe(401);
    expect((await here.get('/api/v1/me')).status).toBe(200);
    expect(await canSignIn('wisselwoord', PASSWORD)).toBe(401);
    expect(await canSignIn('wisselwoord', NEW_PASSWORD)).toBe(200);
  });

  it('lists every configurable norm, and a change needs a reason and applies to deadlines started after it', async () => {
    const vt = await h.login('vt');
    const norms = await admin.get<NormList>('/api/v1/norms');
    expect(norms.status).toBe(200);
    const byKey = new Map(norms.body.items.map((n) => [n.key, n]));
    expect(byKey.get('assessmentWorkingDays')).toMatchObject({ value: 5, default: 5, unit: 'workingDays', changedAt: null });
    expect(byKey.get('investigationWeeks')).toMatchObject({ value: 10, unit: 'weeks' });
    expect(byKey.get('acuteAssessmentHours')).toMatchObject({ value: 24, unit: 'hours' });
    expect(byKey.get('session.idleMinutes')).toMatchObject({ value: 30, unit: 'minutes' });
    for (const n of norms.body.items) expect(n.source.length, n.key).toBeGreaterThan(5);

    const assessmentDue = (f: FamilyView) => f.deadlines.find((d) => d.kind === 'assessment')!.dueAt;
    const earlier = await createFamily(vt);
    h.clock.advance(60_000);
    const put = (key: string, body: unknown) => admin.request<Problem>('PUT', `/api/v1/norms/${key}`, body);
    expect((await put('assessmentWorkingDays', { value: 10 })).status).toBe(400);
    const tooSmall = await put('assessmentWorkingDays', { value: 0, reason: 'Nul dagen' });
    expect(tooSmall.status).toBe(400);
    expect(tooSmall.body.errors?.map((e) => e.path)).toEqual(['value']);
    expect((await put('assessmentWorkingDays', { value: true, reason: 'Ja' })).status).toBe(400);
    expect((await put('geenNorm', { value: 3, reason: 'Bestaat niet' })).status).toBe(404);
    const changed = await put('assessmentWorkingDays', { value: 10, reason: 'Regionale afspraak bij personeelstekort' });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body).toMatchObject({ key: 'assessmentWorkingDays', value: 10, default: 5, changedBy: 'admin' });

    const later = await createFamily(vt);
    expect(assessmentDue((await vt.get<FamilyView>(`/api/v1/families/${earlier.id}`)).body)).toBe(assessmentDue(earlier));
    // Reported a minute apart on a Monday: five working days for the earlier, ten for the later one.
    expect(Date.parse(assessmentDue(later)) - Date.parse(assessmentDue(earlier))).toBe(7 * DAY_MS + 60_000);
    // The durable timers keep their norm too: eight days on, only the earlier deadline has passed.
    await vt.post('/api/v1/clock', { advanceDays: 8 });
    const statusOf = async (f: FamilyView) =>
      (await vt.get<FamilyView>(`/api/v1/families/${f.id}`)).body.deadlines.find((d) => d.kind === 'assessment')!.status;
    expect(await statusOf(earlier)).toBe('missed');
    expect(await statusOf(later)).toBe('open');
    expect((await put('stagnationDays.recovery', { value: 600, reason: 'Herstel duurt langer' })).status).toBe(200);
    const after = new Map((await admin.get<NormList>('/api/v1/norms')).body.items.map((n) => [n.key, n]));
    expect(after.get('stagnationDays.recovery')).toMatchObject({ value: 600, default: 548 });
    expect(after.get('assessmentWorkingDays')!.value).toBe(10);
    await put('assessmentWorkingDays', { value: 5, reason: 'Terug naar de landelijke norm' });
  });

  it('writes one admin-log row per change, readable by auditors, without passwords or codes', async () => {
    const log = await auditor.get<AdminLog>('/api/v1/admin-log?pageSize=500');
    expect(log.status).toBe(200);
    const actions = log.body.items.map((r) => r.action);
    for (const action of ['user.created', 'user.activated', 'user.reset', 'user.disabled', 'user.enabled', 'user.updated', 'user.passwordChanged', 'norm.changed']) {
      expect(actions, action).toContain(action);
    }
    const norm = log.body.items.find((r) => r.action === 'norm.changed' && r.reason === 'Regionale afspraak bij personeelstekort');
    expect(norm).toMatchObject({ actorUsername: 'admin', targetType: 'norm', targetId: 'assessmentWorkingDays', before: { value: 5, unit: 'workingDays' }, after: { value: 10, unit: 'workingDays' } });
    const disabled = log.body.items.find((r) => r.action === 'user.disabled');
    expect(disabled).toMatchObject({ targetName: 'weg', before: { disabled: false }, after: { disabled: true }, reason: 'Uit dienst' });
    const roles = log.body.items.find((r) => r.targetName === 'wissel' && r.after?.roles);
    expect(roles).toMatchObject({ before: { roles: ['director'], region: null }, after: { roles: ['vt'], region: 'zuid-limburg' } });
    // The activation is the user's own act.
    expect(log.body.items.find((r) => r.action === 'user.activated' && r.targetName === 'nieuwe.regisseur')).toMatchObject({
      actorUsername: 'nieuwe.regisseur',
    });

    // Neither the answer, the table nor the server's log holds a password or an activation code.
    const rows = JSON.stringify(await h.db.prisma.adminLog.findMany());
    const logs = h.logs.join('\n');
    for (const secret of secrets) {
      const bare = secret.replaceAll('-', '');
      for (const text of [log.text, rows, logs]) {
        expect(text).not.toContain(secret);
        expect(text).not.toContain(bare);
      }
    }
    expect(await h.db.prisma.activationCode.count({ where: { codeHash: { in: secrets } } })).toBe(0);
  });

  it('searches and filters users, with `q` taken literally', async () => {
    const list = async (query: string) => (await admin.get<UserList>(`/api/v1/users?${query}`)).body.items.map((u) => u.username);
    expect(await list('role=admin')).toEqual(['admin']);
    expect(await list('region=zuid-limburg&role=vt')).toEqual(expect.arrayContaining(['vt', 'wissel']));
    expect(await list('region=zuid-limburg&role=vt')).not.toContain('vtother');
    expect(await list('q=REGISSEUR')).toEqual(expect.arrayContaining(['director', 'nieuwe.regisseur']));
    expect(await list(`q=${encodeURIComponent('%')}`)).toEqual([]);
    expect(await list('disabled=false&q=weg')).toEqual(['weg']);
    expect((await admin.get('/api/v1/users?role=king')).status).toBe(400);
  });

  it('answers bad input with problem+json in Dutch or English and changes nothing', async () => {
    const users = await h.db.prisma.user.count();
    const rows = await h.db.prisma.adminLog.count();
    const bad = { username: 'x', displayName: '', roles: [], region: 'mars' };
    const nl = await admin.post<Problem>('/api/v1/users', bad);
    expect(nl.status).toBe(400);
    expect(nl.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(nl.body.title).toBe('Het verzoek is niet geldig');
    expect(nl.body.errors?.map((e) => e.path).sort()).toEqual(['displayName', 'region', 'roles', 'username']);
    const en = await admin.post<Problem>('/api/v1/users', bad, { headers: { 'Accept-Language': 'en' } });
    expect(en.body.title).toBe('The request is not valid');

    // A Veilig Thuis worker without a region could read nothing: refused, naming the field.
    const noRegion = await admin.post<Problem>('/api/v1/users', { username: 'zonderregio', displayName: 'Zonder regio', roles: ['vt'] });
    expect(noRegion.status).toBe(400);
    expect(noRegion.body.errors).toEqual([{ path: 'region', message: expect.stringMatching(/Veilig Thuis-medewerker hoort bij een regio/) }]);
    expect((await patch<Problem>(admin, h.users.vt.id, { region: null })).status).toBe(400);
    expect((await patch<Problem>(admin, h.users.director.id, { roles: ['director', 'vt'] })).status).toBe(400);

    const duplicate = await admin.post<Problem>('/api/v1/users', { username: 'VT', displayName: 'Dubbel', roles: ['vt'], region: 'zuid-limburg' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.detail).toBe('Er bestaat al een gebruiker met deze gebruikersnaam.');
    const duplicateEn = await admin.post<Problem>('/api/v1/users', { username: 'vt', displayName: 'Dubbel', roles: ['vt'], region: 'zuid-limburg' }, {
      headers: { 'Accept-Language': 'en' },
    });
    expect(duplicateEn.body.detail).toBe('A user with that username already exists');

    expect((await patch<Problem>(admin, h.users.vt.id, {})).status).toBe(400);
    expect((await patch<Problem>(admin, h.users.vt.id, { roles: ['vt', 'vt'] })).status).toBe(400);
    expect((await patch<Problem>(admin, 'onbekend', { displayName: 'Niemand' })).status).toBe(404);
    const wrongCode = await h.anonymous().post<Problem>('/api/v1/session/activate', { username: 'vt', code: 'AAAA-BBBB-CCCC-DDDD', password: NEW_PASSWORD }, {
      headers: { 'Accept-Language': 'en' },
    });
    expect(wrongCode.body.detail).toBe('The activation code is not valid');
    expect(await h.db.prisma.user.count()).toBe(users);
    expect(await h.db.prisma.adminLog.count()).toBe(rows);
  });
});
