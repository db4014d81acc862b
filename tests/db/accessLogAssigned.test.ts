import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessLogPage } from '../../contract/index.ts';
import { assignedDrift } from '../../server/db/accessLog.ts';
import { backends } from '../support/db.ts';
import { createFamily, handoverDecision, send, useVersionReader } from '../http/flows.ts';
import { startHarness, type Client, type Harness } from '../http/harness.ts';

// The access log's "assigned" column is kept equal to its condition — the user was ever the family's
// director or offered it, acted on it or was named by one of its events, or is VT of its region —
// by the three things that can change it: a row written, an event naming a user, a user's roles or
// region changed. After each step the column is compared with the condition decided afresh in SQL
// over every row (assignedDrift), and the access review's unassigned filter is read through HTTP.

describe.each(backends())('access log: assigned kept up to date (%s)', (provider) => {
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
