import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessLogPage } from '../../contract/index.ts';
import { backends } from '../support/db.ts';
import { startHarness, type Client, type Harness } from './harness.ts';
import { createFamily, handedOver, handoverDecision, send, useVersionReader } from './flows.ts';
import { createUser } from '../../server/cases/createUser.ts';
import { assignedDrift } from '../../server/db/accessLog.ts';
import { PASSWORD } from './harness.ts';
import { parseCsv } from '../support/csv.ts';

// NEN 7513: every read, list and write of family data leaves one row (who, role, which family, what,
// result, from where, when in UTC), denied attempts included; only auditors read the log.

describe.each(backends())('access log (%s)', (provider) => {
  let h: Harness;
  let vt: Client;
  let director: Client;
  let director2: Client;
  let auditor: Client;
  let admin: Client;
  beforeAll(async () => {
    h = await startHarness(provider);
    [vt, director, director2, auditor, admin] = (await Promise.all(
      ['vt', 'director', 'director2', 'auditor', 'admin'].map((u) => h.login(u)),
    )) as [Client, Client, Client, Client, Client];
    useVersionReader(vt);
  });
  afterAll(async () => {
    await h?.close();
  });

  async function rowsFor(familyId: string) {
    return h.db.prisma.accessLog.findMany({ where: { familyId }, orderBy: { id: 'asc' } });
  }

  it('logs creation, reads, lists, writes and audit reads with user, role, result and address', async () => {
    const f = await createFamily(vt);
    await vt.get(`/api/v1/families/${f.id}`);
    await vt.get('/api/v1/families');
    await send(vt, f.id, 'assessment.started');
    await auditor.get(`/api/v1/families/${f.id}/history`);
    await auditor.get(`/api/v1/families/${f.id}/replay?seq=1`);
    await auditor.get(`/api/v1/families/${f.id}/verify`);
    const rows = await rowsFor(f.id);
    const summary = rows.map((r) => `${r.action}:${r.result}:${r.username}:${r.role}`);
    expect(summary).toEqual(
      expect.arrayContaining([
        'create:ok:vt:vt',
        'read:ok:vt:vt',
        'list:ok:vt:vt',
        'write:ok:vt:vt',
        'history:ok:auditor:auditor',
        'replay:ok:auditor:auditor',
        'verify:ok:auditor:auditor',
      ]),
    );
    for (const r of rows) {
      expect(r.userId).not.toBeNull();
      expect(r.ip).toMatch(/127\.0\.0\.1/);
      expect(r.at.getTime()).toBe(h.clock.now().getTime());
    }
  });

  it('logs denied and unseen attempts too', async () => {
    const f = await createFamily(vt);
    expect((await director2.get(`/api/v1/families/${f.id}`)).status).toBe(404);
    expect((await admin.get(`/api/v1/families/${f.id}`)).status).toBe(403);
    expect(
      (
        await auditor.post(`/api/v1/families/${f.id}/events`, {
          type: 'assessment.started',
          expectedVersion: 1,
          payload: {},
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await director.post(`/api/v1/families/${f.id}/events`, {
          type: 'assessment.started',
          expectedVersion: 1,
          payload: {},
        })
      ).status,
    ).toBe(404);
    const rows = await rowsFor(f.id);
    expect(rows.map((r) => `${r.action}:${r.result}:${r.username}`)).toEqual(
      expect.arrayContaining([
        'read:not_found:director2',
        'read:denied:admin',
        'write:denied:auditor',
        'write:not_found:director',
      ]),
    );
  });

  it('logs a write the machine refuses', async () => {
    const f = await handedOver(h, vt, director, h.users.director.id);
    const forbidden = await vt.post(`/api/v1/families/${f.id}/events`, {
      type: 'plan.agreed',
      expectedVersion: f.version,
      payload: { agreements: [], participants: [] },
    });
    expect(forbidden.status).toBe(403);
    expect((await rowsFor(f.id)).at(-1)).toMatchObject({ action: 'write', result: 'denied', username: 'vt' });
    const refused = await director.post(`/api/v1/families/${f.id}/events`, {
      type: 'directSafety.achieved',
      expectedVersion: f.version,
      payload: {},
      reason: 'Te vroeg.',
    });
    expect(refused.status).toBe(422);
    expect((await rowsFor(f.id)).at(-1)).toMatchObject({
      action: 'write',
      result: 'refused',
      username: 'director',
    });
  });

  it('returns no family data, on a page or in a list, when its access-log rows cannot be written', async () => {
    const broken = await startHarness(provider);
    try {
      const writer = await broken.login('vt');
      const f = await createFamily(writer);
      // The lists show it while the log can be written.
      expect(JSON.stringify((await writer.get('/api/v1/families')).body)).toContain(f.reference);
      await broken.db.prisma.$executeRawUnsafe('DROP TABLE "AccessLog"');
      const res = await writer.get(`/api/v1/families/${f.id}`);
      expect(res.status).toBe(500);
      expect(res.text).not.toContain(f.reference);
      expect(res.text).not.toContain('Moeder');
      for (const path of ['/api/v1/families', `/api/v1/families?q=${encodeURIComponent(f.reference)}`, '/api/v1/monitoring']) {
        const list = await writer.get(path);
        expect(list.status, path).toBe(500);
        expect(list.text, path).not.toContain(f.reference);
        expect(list.text, path).not.toContain(f.id);
      }
    } finally {
      await broken.close();
    }
  });

  it('is readable by auditors only, filterable, and has no route that changes it', async () => {
    const f = await createFamily(vt);
    await vt.get(`/api/v1/families/${f.id}`);
    const page = await auditor.get<AccessLogPage>(`/api/v1/access-log?familyId=${f.id}`);
    expect(page.status).toBe(200);
    expect(page.body.items.length).toBeGreaterThanOrEqual(2);
    expect(page.body.items.every((r) => r.familyId === f.id)).toBe(true);
    expect(page.body.items[0]).toEqual({
      id: expect.any(Number),
      at: expect.stringMatching(/Z$/),
      userId: expect.any(String),
      username: expect.any(String),
      displayName: expect.any(String),
      role: expect.any(String),
      familyId: f.id,
      familyReference: f.reference,
      assigned: expect.any(Boolean),
      action: expect.any(String),
      result: expect.any(String),
      ip: expect.any(String),
    });
    const byUser = await auditor.get<AccessLogPage>(
      `/api/v1/access-log?userId=${h.users.vt.id}&from=2025-01-01&to=2030-01-01`,
    );
    expect(byUser.body.items.every((r) => r.userId === h.users.vt.id)).toBe(true);
    for (const c of [vt, director, admin]) expect((await c.get('/api/v1/access-log')).status).toBe(403);
    // Reading the log is itself logged.
    const own = await h.db.prisma.accessLog.findFirst({
      where: { action: 'access-log', userId: h.users.auditor.id },
    });
    expect(own).not.toBeNull();
    const before = await h.db.prisma.accessLog.count();
    // The log cannot be deleted or replaced: no such method on it (405 with Allow since issue 18).
    for (const res of [
      await auditor.delete('/api/v1/access-log'),
      await auditor.request('PUT', '/api/v1/access-log', {}),
    ]) {
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, HEAD');
    }
    expect(await h.db.prisma.accessLog.count()).toBe(before);
  });

  it('names user and family, says who was never assigned, filters by the name the table shows, and exports CSV', async () => {
    // A director with a name a CSV must quote, who was never assigned to the family below.
    await createUser(h.db, { username: 'pvries', password: PASSWORD, roles: ['director'], displayName: 'Piet "de" Vries, regisseur', region: null });
    const vries = await h.login('pvries');
    const f = await createFamily(vt);
    const g = await handedOver(h, vt, director, h.users.director.id);
    await vt.get(`/api/v1/families/${f.id}`);
    await director.get(`/api/v1/families/${g.id}`);
    expect((await director2.get(`/api/v1/families/${f.id}`)).status).toBe(404);
    expect((await vries.get(`/api/v1/families/${f.id}`)).status).toBe(404);

    const byRef = await auditor.get<AccessLogPage>(`/api/v1/access-log?reference=${encodeURIComponent(f.reference.toLowerCase())}`);
    expect(byRef.status, byRef.text).toBe(200);
    expect(byRef.body.items.length).toBeGreaterThanOrEqual(4);
    expect(byRef.body.items.every((r) => r.familyId === f.id && r.familyReference === f.reference)).toBe(true);
    const who = (items: AccessLogPage['items']) => new Set(items.map((r) => `${r.username}:${String(r.assigned)}`));
    expect(who(byRef.body.items)).toEqual(new Set(['vt:true', 'director2:false', 'pvries:false']));
    const mine = await auditor.get<AccessLogPage>(`/api/v1/access-log?reference=${g.reference}&username=Rita`);
    expect(mine.body.items.length).toBeGreaterThan(0);
    expect(mine.body.items.every((r) => r.username === 'director' && r.displayName === 'Rita Regisseur' && r.assigned === true)).toBe(true);

    // "regisseur" as the table shows it (display names), in any case: both directors and Piet.
    const named = await auditor.get<AccessLogPage>(`/api/v1/access-log?username=REGISSEUR&pageSize=500`);
    expect(new Set(named.body.items.map((r) => r.username))).toEqual(new Set(['director', 'director2', 'pvries']));
    // Literal: % and _ are characters, not wildcards.
    expect((await auditor.get<AccessLogPage>('/api/v1/access-log?username=%25')).body.total).toBe(0);
    expect((await auditor.get<AccessLogPage>('/api/v1/access-log?reference=VT-NIEMAND')).body.total).toBe(0);

    const unassigned = await auditor.get<AccessLogPage>(`/api/v1/access-log?unassigned=true&reference=${f.reference}`);
    expect(who(unassigned.body.items)).toEqual(new Set(['director2:false', 'pvries:false']));
    expect(unassigned.body.total).toBe(unassigned.body.items.length);
    // A row on no family assigns nothing either way.
    const lists = await auditor.get<AccessLogPage>(`/api/v1/access-log?username=auditor&pageSize=500`);
    expect(lists.body.items.filter((r) => r.familyId === null).every((r) => r.assigned === null && r.familyReference === null)).toBe(true);

    // CSV: the same rows, quoted where needed, itself logged.
    const query = `/api/v1/access-log?reference=${f.reference}&pageSize=50`;
    const json = await auditor.get<AccessLogPage>(query);
    const logged = await h.db.prisma.accessLog.count({ where: { action: 'access-log', userId: h.users.auditor.id } });
    const csv = await auditor.get(query, { headers: { Accept: 'text/csv' } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="toegangslog.csv"');
    expect(csv.text).toContain('"Piet ""de"" Vries, regisseur"');
    expect(await h.db.prisma.accessLog.count({ where: { action: 'access-log', userId: h.users.auditor.id } })).toBe(logged + 1);
    const [header, ...rows] = parseCsv(csv.text);
    expect(header).toEqual(['id', 'at', 'userId', 'username', 'displayName', 'role', 'familyId', 'familyReference', 'action', 'result', 'assigned', 'ip']);
    // The JSON page was read before the CSV's own row was written: same rows.
    expect(rows).toEqual(json.body.items.map((r) => header!.map((c) => (r[c as keyof typeof r] === null ? '' : String(r[c as keyof typeof r])))));
    // Bad filters are problems, in Dutch by default.
    const bad = await auditor.get('/api/v1/access-log?unassigned=ja');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/problem\+json/);
  });

  // The "assigned" column is kept equal to its condition — ever the family's director or offered it,
  // acted on it or named by one of its events, or VT of its region — by the three things that can
  // change it: a row written, an event naming a user, a user's roles or region changed. After each
  // step the column is compared with the condition decided afresh in SQL over every row
  // (assignedDrift), and the access review's unassigned filter is read through HTTP.
  const unassignedOf = async (reference: string) => {
    const page = await auditor.get<AccessLogPage>(`/api/v1/access-log?unassigned=true&reference=${reference}&pageSize=500`);
    expect(page.status, page.text).toBe(200);
    return page.body.items.map((r) => `${r.username}:${r.action}:${r.result}`).sort();
  };

  it('turns a director assigned when an event names them, and follows a VT role given and taken', async () => {
    const f = await createFamily(vt);
    await send(vt, f.id, 'assessment.started');
    // director2 is nobody on this family yet: the attempt is logged, unassigned.
    expect((await director2.get(`/api/v1/families/${f.id}`)).status).toBe(404);
    await auditor.get(`/api/v1/families/${f.id}/history`);
    expect(await assignedDrift(h.db.direct)).toBe(0);
    expect(await unassignedOf(f.reference)).toEqual(['auditor:history:ok', 'director2:read:not_found']);

    // Offered to director (named by the decision), who declines; then offered to director2.
    await send(vt, f.id, 'assessment.completed', handoverDecision(h, h.users.director.id), 'Structurele onveiligheid.');
    await director.get(`/api/v1/families/${f.id}`);
    await send(director, f.id, 'handover.declined', {}, 'Geen capaciteit deze maand.');
    expect(await assignedDrift(h.db.direct)).toBe(0);
    await send(vt, f.id, 'handover.offered', { directorId: h.users.director2.id }, 'Tweede regisseur heeft ruimte.');
    // director2's earlier attempt is now by a user the family was offered to.
    expect(await assignedDrift(h.db.direct)).toBe(0);
    expect(await unassignedOf(f.reference)).toEqual(['auditor:history:ok']);
    await send(director2, f.id, 'handover.accepted', {}, 'Ik neem de regie.');
    // The declining director stays assigned: they were offered the family, once.
    await director.get(`/api/v1/families/${f.id}`);
    expect(await assignedDrift(h.db.direct)).toBe(0);
    expect(await unassignedOf(f.reference)).toEqual(['auditor:history:ok']);

    // The auditor becomes VT of the family's region as well: their rows there turn assigned; the
    // role taken away again, they turn back (VT of the region is a current fact, not an event).
    const patch = (roles: string[], region: string | null, reason: string) =>
      admin.request('PATCH', `/api/v1/users/${h.users.auditor.id}`, { roles, region, reason });
    const given = await patch(['auditor', 'vt'], 'zuid-limburg', 'Tijdelijk ook Veilig Thuis.');
    expect(given.status, given.text).toBe(200);
    expect(await assignedDrift(h.db.direct)).toBe(0);
    auditor = await h.login('auditor'); // a role change ends the user's sessions
    expect(await unassignedOf(f.reference)).toEqual([]);
    const taken = await patch(['auditor'], null, 'Terug naar alleen audit.');
    expect(taken.status, taken.text).toBe(200);
    expect(await assignedDrift(h.db.direct)).toBe(0);
    auditor = await h.login('auditor');
    expect(await unassignedOf(f.reference)).toEqual(['auditor:history:ok']);
  });

  it('counts and pages the whole country\'s unassigned rows from the column', async () => {
    const before = (await auditor.get<AccessLogPage>('/api/v1/access-log?unassigned=true')).body.total;
    const g = await createFamily(vt);
    expect((await director.get(`/api/v1/families/${g.id}`)).status).toBe(404);
    expect((await director.get(`/api/v1/families/${g.id}`)).status).toBe(404);
    const after = await auditor.get<AccessLogPage>('/api/v1/access-log?unassigned=true&pageSize=1');
    // The two attempts, and the auditor's own previous look at the log (which names no family: not counted).
    expect(after.body.total).toBe(before + 2);
    expect(after.body.items).toHaveLength(1);
    expect(after.body.items[0]).toMatchObject({ username: 'director', familyReference: g.reference, assigned: false, result: 'not_found' });
    expect(await assignedDrift(h.db.direct)).toBe(0);
  });
});
