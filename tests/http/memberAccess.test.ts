import { describe, expect, it } from 'vitest';
import type { AccessLogPage, FamilyList, FamilyView, History, MyFamily, MyFamilyAccessLog } from '../../contract/index.ts';
import { localDateOf } from '../../machines/index.ts';
import { DEMO_MEMBER_CODE } from '../../server/auth/demoPasswords.ts';
import { memberAccessCodeHash } from '../../server/auth/tokens.ts';
import { signInWithCode } from '../../server/cases/signInWithCode.ts';
import { invalidateNorms } from '../../server/engine/norms.ts';
import { backends } from '../support/db.ts';
import { harnessForBlock, type Client, type Harness } from './harness.ts';
import { advance, createFamily, current, handoverDecision, issueCode, memberClient, send, trySend, useVersionReader } from './flows.ts';

// Issue 15, "Ons veiligheidsplan": the director gives a household member a one-time code, the member
// signs in with it to a session of role `member`, reads the family's own view (in words, without what
// is hidden from them), answers the plan and sees who read the family's file. Both backends.

const MINUTE = 60_000;
const DAY = 86_400_000;

/** Moeder and Vader (adults), Tiener (born 2012: 13 in 2025) and Kind (born 2016: 9). */
const members = [
  { alias: 'Moeder', kind: 'adult', birthYear: 1988 },
  { alias: 'Vader', kind: 'adult', birthYear: 1985 },
  { alias: 'Tiener', kind: 'child', birthYear: 2012 },
  { alias: 'Kind', kind: 'child', birthYear: 2016 },
];

/** A v2 family handed over to `director` (direct safety, planning), one condition; members by alias. */
async function handedOver(h: Harness, vt: Client, director: Client) {
  useVersionReader(vt);
  const f = await createFamily(vt, { members });
  await send(vt, f.id, 'assessment.started');
  await send(
    vt,
    f.id,
    'assessment.completed',
    {
      ...handoverDecision(h, h.users.director.id),
      conditions: [
        { description: 'Geen geweld waar de kinderen bij zijn', dueAt: new Date(h.clock.now().getTime() + 30 * DAY).toISOString() },
        { description: 'Vader gaat naar de verslavingszorg', visibleToFamily: false },
      ],
    },
    'Structurele onveiligheid.',
  );
  const view = await send(director, f.id, 'handover.accepted', {}, 'Ik neem de regie.');
  const id = (alias: string) => view.members.find((m) => m.alias === alias)!.id;
  return { f: view, id };
}

/** …with a plan: one agreement kept from the family, one child perspective hidden, Tiener's shown. */
async function planned(h: Harness, vt: Client, director: Client) {
  const { f, id } = await handedOver(h, vt, director);
  const after = await send(director, f.id, 'plan.agreed', {
    agreements: [
      { description: 'Bij ruzie gaat Vader een uur naar buiten', responsible: 'Vader', coversConditionIds: f.conditions.map((c) => c.id) },
      { description: 'Wijkagent loopt wekelijks langs', responsible: 'Wijkagent', visibleToFamily: false },
    ],
    participants: [{ memberId: id('Moeder') }, { professional: 'Wijkteam' }],
    childPerspectives: [
      { memberId: id('Tiener'), perspective: 'Ik wil dat het rustig is.' },
      { memberId: id('Kind'), perspective: 'Ik ben bang voor papa.', visibleToFamily: false },
    ],
  });
  return { f: after, id };
}

describe.each(backends())('the family’s own view (%s)', (provider) => {
  const started = harnessForBlock(provider, ['vt', 'director', 'director2', 'auditor']);

  it('issues a code to an adult: shown once, valid 14 days, an event without the code; the member signs in once with it', async () => {
    const { h, as } = started();
    const { f, id } = await planned(h, as.vt, as.director);
    const res = await as.director.post<{ code: string; expiresAt: string; memberId: string; family: FamilyView }>(
      `/api/v1/families/${f.id}/member-access`,
      { memberId: id('Moeder') },
    );
    expect(res.status, res.text).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body.code).toMatch(/^[A-HJ-NP-Z2-9]{4}(-[A-HJ-NP-Z2-9]{4}){5}-[A-HJ-NP-Z2-9]{2}$/);
    expect(Date.parse(res.body.expiresAt) - h.clock.now().getTime()).toBe(14 * DAY);
    expect(res.body.family.version).toBe(f.version + 1);
    expect(res.body.family.familyAccess?.members.find((m) => m.memberId === id('Moeder'))?.access).toEqual({
      grantedAt: h.clock.now().toISOString(),
      expiresAt: res.body.expiresAt,
      revokedAt: null,
    });
    const history = await as.auditor.get<History>(`/api/v1/families/${f.id}/history`);
    const granted = history.body.events.at(-1)!;
    expect(granted).toMatchObject({ type: 'member-access.granted', payload: { memberId: id('Moeder'), expiresAt: res.body.expiresAt } });
    expect(JSON.stringify(history.body)).not.toContain(res.body.code.replace(/-/g, '').slice(0, 12));
    const stored = await h.db.direct.all<{ codeHash: string }>('SELECT "codeHash" FROM "MemberAccessCode"');
    expect(stored.every((r) => /^[0-9a-f]{64}$/.test(r.codeHash))).toBe(true);

    // Signing in: a session of role member bound to the family and member; dashes and case do not matter.
    const login = await h.anonymous().post<{ user: { roles: string[]; familyId: string; memberId: string; displayName: string } }>(
      '/api/v1/session',
      { accessCode: ` ${res.body.code.replace(/-/g, '').toLowerCase()} ` },
    );
    expect(login.status, login.text).toBe(200);
    expect(login.body.user).toMatchObject({ roles: ['member'], familyId: f.id, memberId: id('Moeder'), displayName: 'Moeder' });
    // The code opens once.
    const again = await h.anonymous().post('/api/v1/session', { accessCode: res.body.code });
    expect(again.status).toBe(401);
  });

  it('a code expires after 14 days on the engine’s clock; a new code replaces the earlier one', async () => {
    const { h, as } = started();
    const { f, id } = await planned(h, as.vt, as.director);
    const first = await issueCode(as.director, f.id, id('Vader'));
    const second = await issueCode(as.director, f.id, id('Vader'));
    expect((await h.anonymous().post('/api/v1/session', { accessCode: first })).status).toBe(401);
    await advance(h, 13, as.vt);
    const early = await issueCode(as.director, f.id, id('Moeder'));
    await advance(h, 1, as.vt); // 14 days after the second code: it no longer opens
    expect((await h.anonymous().post('/api/v1/session', { accessCode: second })).status).toBe(401);
    expect((await memberClient(h, early)).token).toBeTruthy(); // a day old: still opens
  });

  it('revoking ends the access: the member’s session and unused code; a second revocation is refused', async () => {
    const { h, as } = started();
    const { f, id } = await planned(h, as.vt, as.director);
    const member = await memberClient(h, await issueCode(as.director, f.id, id('Moeder')));
    const unused = await issueCode(as.director, f.id, id('Vader'));
    expect((await member.get('/api/v1/my-family')).status).toBe(200);
    const revoked = await as.director.delete<FamilyView>(`/api/v1/families/${f.id}/member-access/${id('Moeder')}`);
    expect(revoked.status, revoked.text).toBe(200);
    expect(revoked.body.familyAccess?.members.find((m) => m.memberId === id('Moeder'))?.access?.revokedAt).toBe(h.clock.now().toISOString());
    expect((await member.get('/api/v1/my-family')).status).toBe(401);
    expect((await as.director.delete(`/api/v1/families/${f.id}/member-access/${id('Vader')}`)).status).toBe(200);
    expect((await h.anonymous().post('/api/v1/session', { accessCode: unused })).status).toBe(401);
    const twice = await as.director.delete<{ guard: string; detail: string }>(`/api/v1/families/${f.id}/member-access/${id('Vader')}`);
    expect(twice.status).toBe(422);
    expect(twice.body.guard).toBe('accessToRevoke');
    expect(twice.body.detail).toBe('Vader heeft geen toegang die kan worden ingetrokken.');
  });

  it('only the family’s director gives codes, to an adult or a child of 12 or older; a v1 family must move first', async () => {
    const { h, as } = started();
    const { f, id } = await planned(h, as.vt, as.director);
    const young = await as.director.post<{ guard: string; detail: string }>(`/api/v1/families/${f.id}/member-access`, { memberId: id('Kind') });
    expect(young.status).toBe(422);
    expect(young.body.detail).toBe('Een code is voor een volwassene of een kind van 12 jaar of ouder; Kind is jonger (geboren in 2016).');
    expect((await as.director.post(`/api/v1/families/${f.id}/member-access`, { memberId: 'm99' })).status).toBe(422);
    expect((await as.vt.post(`/api/v1/families/${f.id}/member-access`, { memberId: id('Moeder') })).status).toBe(403);
    expect((await as.director2.post(`/api/v1/families/${f.id}/member-access`, { memberId: id('Moeder') })).status).toBe(404);
    expect((await as.auditor.post(`/api/v1/families/${f.id}/member-access`, { memberId: id('Moeder') })).status).toBe(403);
    const { createV1Family } = await import('./flows.ts');
    const v1 = await createV1Family(h, as.vt);
    const old = await as.vt.post<{ guard: string; detail: string }>(`/api/v1/families/${v1.id}/member-access`, { memberId: v1.members[0]!.id });
    expect(old.status).toBe(422);
    expect(old.body.guard).toBe('upgradeRequired');
    expect(old.body.detail).toContain('zet de zaak eerst over naar de nieuwe werkwijze');
    // The code is the answer of its own route: /events refuses it as a request (400).
    expect((await trySend(as.director, f.id, 'member-access.granted', { memberId: id('Moeder'), expiresAt: new Date().toISOString() })).status).toBe(400);
  });

  describe('what the member sees', () => {
    it('the phase, director, plan, conditions, next dates and members in words; in English on request', async () => {
      const { h, as } = started();
      const { f, id } = await planned(h, as.vt, as.director);
      const member = await memberClient(h, await issueCode(as.director, f.id, id('Moeder')));
      const view = (await member.get<MyFamily>('/api/v1/my-family')).body;
      expect(view).toMatchObject({
        audience: 'adult',
        me: { alias: 'Moeder', kind: 'adult' },
        phase: { code: 'directSafety', text: 'We werken samen aan veiligheid' },
        director: { displayName: 'Rita Regisseur', role: 'casusregisseur' },
        plan: { version: 1, myResponse: null, canRespond: true },
      });
      expect(view.involved).toEqual([
        { role: 'casusregisseur', name: 'Rita Regisseur' },
        { role: 'Veilig Thuis', name: null },
      ]);
      expect(view.nextDates[0]).toEqual({
        what: 'Uiterlijk dan: Geen geweld waar de kinderen bij zijn',
        at: localDateOf(f.conditions.find((c) => c.description.startsWith('Geen geweld'))!.dueAt!),
      });
      expect(view.members.map((m) => m.alias)).toEqual(['Moeder', 'Vader', 'Tiener', 'Kind']);
      // No internal ids, no rule codes: the only number a member sends back is the plan version.
      expect(JSON.stringify(view)).not.toMatch(/"m\d+"|"c\d+"|"a\d+"|[0-9a-f]{8}-[0-9a-f]{4}-/);
      const en = (await member.get<MyFamily>('/api/v1/my-family', { headers: { 'Accept-Language': 'en' } })).body;
      expect(en.phase.text).toBe('We are working on safety together');
      expect(en.conditions[0]!.statusText).toBe('Still being worked on');
    });

    it('leaves out an agreement marked visibleToFamily: false', async () => {
      const { h, as } = started();
      const { f, id } = await planned(h, as.vt, as.director);
      const view = (await (await memberClient(h, await issueCode(as.director, f.id, id('Moeder')))).get<MyFamily>('/api/v1/my-family')).body;
      expect(view.plan!.agreements).toEqual([{ description: 'Bij ruzie gaat Vader een uur naar buiten', responsible: 'Vader' }]);
      expect(f.safetyPlan!.agreements.map((a) => a.visibleToFamily)).toEqual([true, false]);
    });

    it('leaves out a condition marked visibleToFamily: false', async () => {
      const { h, as } = started();
      const { f, id } = await planned(h, as.vt, as.director);
      const view = (await (await memberClient(h, await issueCode(as.director, f.id, id('Moeder')))).get<MyFamily>('/api/v1/my-family')).body;
      expect(view.conditions.map((c) => c.description)).toEqual(['Geen geweld waar de kinderen bij zijn']);
      expect(f.conditions.map((c) => c.visibleToFamily)).toEqual([true, false]);
    });

    it('leaves out a child perspective marked visibleToFamily: false', async () => {
      const { h, as } = started();
      const { f, id } = await planned(h, as.vt, as.director);
      const view = (await (await memberClient(h, await issueCode(as.director, f.id, id('Moeder')))).get<MyFamily>('/api/v1/my-family')).body;
      expect(view.plan!.childPerspectives).toEqual([{ alias: 'Tiener', perspective: 'Ik wil dat het rustig is.' }]);
    });

    it('leaves out a member shielded from this member: among the members, their perspective and their name in the access log', async () => {
      const { h, as } = started();
      const { f, id } = await planned(h, as.vt, as.director);
      const tiener = await memberClient(h, await issueCode(as.director, f.id, id('Tiener')));
      expect((await tiener.get('/api/v1/my-family')).status).toBe(200); // Tiener's own reading, now in the log
      await send(as.director, f.id, 'member.shielded', { memberId: id('Tiener'), from: [id('Vader')] });
      const vader = await memberClient(h, await issueCode(as.director, f.id, id('Vader')));
      const seen = (await vader.get<MyFamily>('/api/v1/my-family')).body;
      expect(seen.members.map((m) => m.alias)).toEqual(['Moeder', 'Vader', 'Kind']);
      expect(seen.plan!.childPerspectives).toEqual([]);
      const log = (await vader.get<MyFamilyAccessLog>('/api/v1/my-family/access-log')).body;
      const tienerRows = log.filter((r) => r.role === 'member' && r.displayName !== 'Vader');
      expect(tienerRows.length).toBeGreaterThan(0);
      expect(tienerRows.every((r) => r.displayName === 'een gezinslid')).toBe(true);
      // Moeder is not shielded from: she still sees Tiener.
      const moeder = await memberClient(h, await issueCode(as.director, f.id, id('Moeder')));
      expect((await moeder.get<MyFamily>('/api/v1/my-family')).body.members.map((m) => m.alias)).toContain('Tiener');
    });

    it('a child of 12 or older gets the simpler version', async () => {
      const { h, as } = started();
      const { f, id } = await planned(h, as.vt, as.director);
      const child = await memberClient(h, await issueCode(as.director, f.id, id('Tiener')));
      const view = (await child.get<MyFamily>('/api/v1/my-family')).body;
      expect(view.audience).toBe('child');
      expect(view.phase).toMatchObject({ text: 'Er komen afspraken', explanation: 'Er zijn afspraken gemaakt. Die zorgen dat het thuis veilig wordt.' });
      expect(view.director?.role).toBe('je hulpverlener');
    });
  });

  it('an answer is plan.responded in the history; a disagreement is a signal on the director’s list and page', async () => {
    const { h, as } = started();
    const { f, id } = await planned(h, as.vt, as.director);
    const member = await memberClient(h, await issueCode(as.director, f.id, id('Moeder')));
    const res = await member.post<MyFamily>('/api/v1/my-family/responses', { planVersion: 1, response: 'disagree', comment: 'Een uur is te kort.' });
    expect(res.status, res.text).toBe(201);
    expect(res.body.plan!.myResponse).toMatchObject({ response: 'disagree', comment: 'Een uur is te kort.' });
    const history = (await as.auditor.get<History>(`/api/v1/families/${f.id}/history`)).body;
    expect(history.events.at(-1)).toMatchObject({
      type: 'plan.responded',
      payload: { planVersion: 1, response: 'disagree', comment: 'Een uur is te kort.' },
      actor: { role: 'member', memberId: id('Moeder') },
    });
    expect((await as.auditor.get<{ valid: boolean }>(`/api/v1/families/${f.id}/verify`)).body.valid).toBe(true);
    expect((await current(as.director, f.id)).planDisagreement).toBe(true);
    const list = (await as.director.get<FamilyList>('/api/v1/families?pageSize=100')).body;
    expect(list.items.find((i) => i.id === f.id)?.planDisagreement).toBe(true);
    // A revised plan asks again; an answer to the old version is refused.
    const revised = await send(as.director, f.id, 'plan.revised', {
      agreements: [{ description: 'Vader woont tijdelijk bij zijn broer', responsible: 'Vader', coversConditionIds: f.conditions.map((c) => c.id) }],
      participants: [{ memberId: id('Moeder') }],
      childPerspectives: [
        { memberId: id('Tiener'), perspective: 'Goed.' },
        { memberId: id('Kind'), perspective: 'Goed.' },
      ],
    });
    expect(revised.planDisagreement).toBe(false);
    const old = await member.post<{ guard: string }>('/api/v1/my-family/responses', { planVersion: 1, response: 'agree' });
    expect(old.status).toBe(422);
    expect(old.body.guard).toBe('planVersionCurrent');
    expect((await member.post('/api/v1/my-family/responses', { planVersion: 2, response: 'disagree' })).status).toBe(201);
    // It never blocks the plan: direct safety is still reached.
    expect((await send(as.director, f.id, 'directSafety.achieved', {}, 'Het geweld is gestopt.')).state.phase).toBe('stableSafety');
    expect((await member.post('/api/v1/my-family/responses', { planVersion: 2, response: 'maybe' })).status).toBe(400);
  });

  it('the member’s access log equals the auditor’s rows for the family, without addresses', async () => {
    const { h, as } = started();
    const { f, id } = await planned(h, as.vt, as.director);
    const member = await memberClient(h, await issueCode(as.director, f.id, id('Moeder')));
    await member.get('/api/v1/my-family');
    await as.director2.get(`/api/v1/families/${f.id}`); // a refused look, logged not_found
    await as.director.get('/api/v1/families');
    const auditor = (await as.auditor.get<AccessLogPage>(`/api/v1/access-log?reference=${encodeURIComponent(f.reference)}&pageSize=200`)).body;
    const mine = await member.get<MyFamilyAccessLog>('/api/v1/my-family/access-log?pageSize=200');
    expect(mine.status).toBe(200);
    expect(JSON.stringify(mine.body)).not.toMatch(/127\.0\.0\.1|::1|"ip"/);
    // The auditor's own read of the log came after the auditor's page, the member's read of theirs too.
    const expected = auditor.items
      .filter((r) => r.action !== 'access-log' || r.role !== 'auditor')
      .map((r) => ({ at: r.at, role: r.role, action: r.action, result: r.result, name: r.displayName ?? r.username }));
    const got = mine.body
      .filter((r) => r.action !== 'access-log' || r.role !== 'auditor')
      .map((r) => ({ at: r.at, role: r.role, action: r.action, result: r.result, name: r.displayName }));
    expect(got).toEqual(expected);
    expect(got.length).toBeGreaterThan(8);
    expect(mine.body.find((r) => r.result === 'not_found')).toMatchObject({
      displayName: 'Rob Regisseur',
      roleText: 'casusregisseur',
      actionText: 'probeerde het dossier te bekijken, maar dat mocht niet',
    });
    expect(mine.body.find((r) => r.role === 'member' && r.action === 'read')).toMatchObject({ displayName: 'Moeder', actionText: 'bekeek het dossier' });
  });

  it('the demo’s access code opens in a demo, never in production', async () => {
    const { h, as } = started();
    const { f, id } = await planned(h, as.vt, as.director);
    await issueCode(as.director, f.id, id('Vader'));
    await h.db.direct.run('UPDATE "MemberAccessCode" SET "codeHash" = ? WHERE "familyId" = ? AND "memberId" = ? AND "usedAt" IS NULL AND "revokedAt" IS NULL', [
      memberAccessCodeHash(DEMO_MEMBER_CODE),
      f.id,
      id('Vader'),
    ]);
    const deps = { db: h.db, clock: h.wallClock, engineClock: h.clock };
    const input = { accessCode: 'demo-ouder-code', ip: '10.1.2.3', replacesSessionId: null };
    await expect(signInWithCode({ ...deps, production: true }, input)).rejects.toMatchObject({ code: 'unauthenticated' });
    const signedIn = await signInWithCode({ ...deps, production: false }, input);
    expect(signedIn.user).toMatchObject({ roles: ['member'], familyId: f.id, memberId: id('Vader') });
  });

  // These move the wall clock (sessions, the throttle): a harness of their own.
  describe('sign-in limits', () => {
    const alone = harnessForBlock(provider, ['vt', 'director']);

    it('throttles code attempts per address like sign-ins: 429 with Retry-After, a right code included', async () => {
      const { h, as } = alone();
      const { f, id } = await planned(h, as.vt, as.director);
      const code = await issueCode(as.director, f.id, id('Moeder'));
      const from = { 'X-Forwarded-For': '10.9.9.9' };
      const guess = (accessCode: string) => h.anonymous().request('POST', '/api/v1/session', { accessCode }, { headers: from });
      for (let i = 0; i < 10; i++) expect((await guess(`WRONG-CODE-${i}`)).status).toBe(401);
      const blocked = await guess(code);
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
      h.wallClock.advance(16 * MINUTE);
      expect((await guess(code)).status).toBe(200);
    });

    it('a member’s session ends after 30 minutes idle, whatever the professionals’ norm', async () => {
      const { h, as } = alone();
      const { f, id } = await planned(h, as.vt, as.director);
      await h.db.prisma.norm.create({ data: { key: 'session.idleMinutes', value: '120', updatedAt: new Date() } });
      invalidateNorms(h.db);
      try {
        const member = await memberClient(h, await issueCode(as.director, f.id, id('Moeder')));
        const director = await h.login('director');
        h.wallClock.advance(29 * MINUTE);
        expect((await member.get('/api/v1/me')).status).toBe(200);
        h.wallClock.advance(31 * MINUTE);
        expect((await member.get('/api/v1/my-family')).status).toBe(401);
        expect((await director.get('/api/v1/me')).status).toBe(200); // 60 minutes idle: the norm says 120
      } finally {
        await h.db.prisma.norm.delete({ where: { key: 'session.idleMinutes' } });
        invalidateNorms(h.db);
      }
    });
  });
});
