import { describe, expect, it } from 'vitest';
import type { FamilyView, Problem } from '../../contract/index.ts';
import { backends } from '../support/db.ts';
import { harnessForBlock, newReport, type Harness } from '../http/harness.ts';

// Issue 11 item 6: a request on family data refused with 400 (it does not match its schema) wrote no
// access-log row, for the caller's own family and for a hidden one. Every attempt is logged: `refused`
// where the caller may see the family (or the route names none), `not_found` where they may not —
// and a hidden family still answers 404, whatever the request looks like (malformed JSON included).

type Row = { familyId: string | null; action: string; result: string; userId: string | null; role: string | null };

describe.each(backends())('requests refused with 400 are access-logged (%s)', (provider) => {
  const started = harnessForBlock(provider, ['vt', 'vtother', 'auditor']);

  /** The access-log rows written while `fn` ran. */
  async function logged(h: Harness, fn: () => Promise<void>): Promise<Row[]> {
    const before = await h.db.prisma.accessLog.aggregate({ _max: { id: true } });
    await fn();
    const rows = await h.db.prisma.accessLog.findMany({ where: { id: { gt: before._max.id ?? 0 } }, orderBy: { id: 'asc' } });
    return rows.map(({ familyId, action, result, userId, role }) => ({ familyId, action, result, userId, role }));
  }

  const badIncident = (expectedVersion: number) => ({
    type: 'incident.reported',
    expectedVersion,
    payload: { occurredAt: 'yesterday', severity: 'minor', description: 'Ruzie.' },
  });

  it('an event refused with 400 on the caller’s own family: one `refused` row, nothing written', async () => {
    const { h, as } = started();
    const f = await as.vt.post<FamilyView>('/api/v1/families', newReport());
    const rows = await logged(h, async () => {
      const r = await as.vt.post<Problem>(`/api/v1/families/${f.body.id}/events`, badIncident(1));
      expect(r.status).toBe(400);
      expect(r.body.errors?.map((e) => e.path)).toContain('payload.occurredAt');
    });
    expect(rows).toEqual([{ familyId: f.body.id, action: 'write', result: 'refused', userId: h.users.vt.id, role: 'vt' }]);
    expect((await h.db.prisma.family.findUniqueOrThrow({ where: { id: f.body.id } })).version).toBe(1);
  });

  it('the same on a hidden family and on one that does not exist: 404 as for a valid request, one `not_found` row', async () => {
    const { h, as } = started();
    const f = await as.vt.post<FamilyView>('/api/v1/families', newReport());
    const valid = await as.vtother.post(`/api/v1/families/${f.body.id}/events`, { type: 'assessment.started', expectedVersion: 1, payload: {} });
    expect(valid.status).toBe(404);
    for (const id of [f.body.id, 'no-such-family']) {
      const rows = await logged(h, async () => {
        const r = await as.vtother.post<Problem>(`/api/v1/families/${id}/events`, badIncident(1));
        expect(r.status).toBe(404);
        expect(r.body.type).toBe('urn:veilig-pad:problem:not-found');
        expect(r.body.errors).toBeUndefined();
      });
      expect(rows).toEqual([{ familyId: id, action: 'write', result: 'not_found', userId: h.users.vtOther.id, role: 'vt' }]);
    }
    expect((await h.db.prisma.family.findUniqueOrThrow({ where: { id: f.body.id } })).version).toBe(1);
  });

  it('a body that is not JSON at all: 400 and `refused` on the own family, 404 and `not_found` on a hidden one', async () => {
    const { h, as } = started();
    const f = await as.vt.post<FamilyView>('/api/v1/families', newReport());
    const broken = { raw: '{"type": "incident.reported", "payload": ', headers: { 'Content-Type': 'application/json' } };
    const rows = await logged(h, async () => {
      const own = await as.vt.post<Problem>(`/api/v1/families/${f.body.id}/events`, undefined, broken);
      expect(own.status).toBe(400);
      expect(own.body.detail).toBe('De inhoud is geen geldige JSON.');
      expect((await as.vtother.post(`/api/v1/families/${f.body.id}/events`, undefined, broken)).status).toBe(404);
    });
    expect(rows).toEqual([
      { familyId: f.body.id, action: 'write', result: 'refused', userId: h.users.vt.id, role: 'vt' },
      { familyId: f.body.id, action: 'write', result: 'not_found', userId: h.users.vtOther.id, role: 'vt' },
    ]);
  });

  it('a bad query on a family route, a bad registration and a bad figures period: `refused` rows', async () => {
    const { h, as } = started();
    const f = await as.vt.post<FamilyView>('/api/v1/families', newReport());
    const rows = await logged(h, async () => {
      expect((await as.auditor.get(`/api/v1/families/${f.body.id}/replay?seq=first`)).status).toBe(400);
      expect((await as.vt.post('/api/v1/families', { ...newReport(), members: 'everyone' })).status).toBe(400);
      expect((await as.vt.get('/api/v1/kpis?from=0000-01-01T00:00:00Z')).status).toBe(400);
      expect((await as.auditor.get('/api/v1/access-log?from=yesterday')).status).toBe(400);
    });
    expect(rows).toEqual([
      { familyId: f.body.id, action: 'replay', result: 'refused', userId: h.users.auditor.id, role: 'auditor' },
      { familyId: null, action: 'create', result: 'refused', userId: h.users.vt.id, role: 'vt' },
      { familyId: null, action: 'kpis', result: 'refused', userId: h.users.vt.id, role: 'vt' },
      { familyId: null, action: 'access-log', result: 'refused', userId: h.users.auditor.id, role: 'auditor' },
    ]);
  });

  it('an attempt without a session (none, or one that has ended): 401 and a `denied` row with no user', async () => {
    const { h, as } = started();
    const f = await as.vt.post<FamilyView>('/api/v1/families', newReport());
    const ended = await h.login('vtother');
    expect((await ended.delete('/api/v1/session')).status).toBe(204);
    const rows = await logged(h, async () => {
      expect((await h.anonymous().get(`/api/v1/families/${f.body.id}`)).status).toBe(401);
      expect((await ended.post(`/api/v1/families/${f.body.id}/events`, { type: 'assessment.started', expectedVersion: 1, payload: {} })).status).toBe(401);
      expect((await h.anonymous().get('/api/v1/families')).status).toBe(401);
    });
    expect(rows).toEqual([
      { familyId: f.body.id, action: 'read', result: 'denied', userId: null, role: null },
      { familyId: f.body.id, action: 'write', result: 'denied', userId: null, role: null },
      { familyId: null, action: 'list', result: 'denied', userId: null, role: null },
    ]);
    expect((await h.db.prisma.family.findUniqueOrThrow({ where: { id: f.body.id } })).version).toBe(1);
  });
});
