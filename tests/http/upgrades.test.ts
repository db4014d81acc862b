import { describe, expect, it } from 'vitest';
import type { AdminLog, History, Problem, Upgrade } from '../../contract/index.ts';
import { backends } from '../support/db.ts';
import { createFamily, createV1Family, current, handedOver, send } from './flows.ts';
import { harnessForBlock, type Client } from './harness.ts';

// POST /upgrades and GET /upgrades/{id} (API.md "Version 2 events"): an administrator moves families
// to v2 in the server, family by family, each with a real `case.upgraded` event carrying the reason;
// progress and result like the verification of every family.

const REASON = 'Alle gezinnen gaan over op de nieuwe werkwijze.';

async function untilDone(admin: Client, id: string): Promise<Upgrade> {
  for (;;) {
    const r = await admin.get<Upgrade>(`/api/v1/upgrades/${id}`);
    expect(r.status, r.text).toBe(200);
    if (r.body.status !== 'running') return r.body;
    await new Promise((resolve) => setTimeout(resolve, 20)); // polling, as the admin screen does
  }
}

describe.each(backends())('bulk upgrade of families (%s)', (provider) => {
  const ctx = harnessForBlock(provider, ['vt', 'director', 'auditor', 'admin']);

  it('moves the listed v1 families with an event by the administrator, and skips v2 and closed ones', async () => {
    const { h, as } = ctx();
    const a = await createV1Family(h, as.vt);
    const b = await handedOver(h, as.vt, as.director, h.users.director.id, 1);
    const closed = await handedOver(h, as.vt, as.director, h.users.director.id, 1);
    await send(as.director, closed.id, 'case.closed', { reasonCode: 'movedAway' }, 'Verhuisd.');
    const v2 = await createFamily(as.vt);
    const logBefore = await h.db.prisma.adminLog.count();

    // By id and, as the admin screen sends a list, by reference.
    const started = await as.admin.post<{ id: string }>('/api/v1/upgrades', { familyIds: [a.id, b.id, closed.id], reason: REASON });
    expect(started.status, started.text).toBe(202);
    expect(started.headers.get('location')).toBe(`/api/v1/upgrades/${started.body.id}`);
    // While it runs, a family page answers.
    expect((await as.vt.get(`/api/v1/families/${a.id}`)).status).toBe(200);

    const done = await untilDone(as.admin, started.body.id);
    expect(done).toEqual({ status: 'done', toVersion: 2, done: 3, total: 3, upgraded: 2, skipped: { alreadyCurrent: 0, closed: 1 }, failed: [] });
    const byReference = await as.admin.post<{ id: string }>('/api/v1/upgrades', { references: [a.reference, v2.reference], reason: REASON });
    expect(byReference.status, byReference.text).toBe(202);
    expect(await untilDone(as.admin, byReference.body.id)).toMatchObject({ done: 2, total: 2, upgraded: 0, skipped: { alreadyCurrent: 2, closed: 0 } });

    for (const f of [a, b]) {
      const now = await current(as.vt, f.id);
      expect(now).toMatchObject({ machineVersion: 2, version: f.version + 1, state: f.state });
      const history = await as.auditor.get<History>(`/api/v1/families/${f.id}/history`);
      expect(history.body.events.at(-1)).toMatchObject({
        type: 'case.upgraded',
        machineVersion: 2,
        reason: REASON,
        actor: { id: h.users.admin.id, role: 'admin' },
      });
      const verify = await as.auditor.get<{ valid: boolean }>(`/api/v1/families/${f.id}/verify`);
      expect(verify.body.valid).toBe(true);
      const logged = await h.db.prisma.accessLog.count({ where: { familyId: f.id, userId: h.users.admin.id, action: 'write', result: 'ok' } });
      expect(logged).toBe(1);
    }
    expect((await current(as.vt, closed.id)).machineVersion).toBe(1);
    expect((await current(as.vt, v2.id)).version).toBe(v2.version);

    // One admin-log row per family moved, with the reason, readable in the admin log.
    expect(await h.db.prisma.adminLog.count()).toBe(logBefore + 2);
    const log = await as.admin.get<AdminLog>('/api/v1/admin-log?targetType=family&pageSize=500');
    expect(log.status, log.text).toBe(200);
    const rows = log.body.items.filter((r) => r.targetId === a.id || r.targetId === b.id);
    expect(rows).toHaveLength(2);
    for (const r of rows)
      expect(r).toMatchObject({ action: 'family.upgraded', actorId: h.users.admin.id, reason: REASON, before: { machineVersion: 1 }, after: { machineVersion: 2 } });
  });

  it('with all: true moves every open v1 family and counts the closed ones as skipped', async () => {
    const { h, as } = ctx();
    const fresh = [await createV1Family(h, as.vt), await createV1Family(h, as.vt)];
    const older = await h.db.prisma.family.count({ where: { machineVersion: { lt: 2 } } });
    const open = await h.db.prisma.family.count({ where: { machineVersion: { lt: 2 }, closedAt: null } });
    expect(open).toBeGreaterThanOrEqual(2);

    const started = await as.admin.post<{ id: string }>('/api/v1/upgrades', { all: true, reason: REASON });
    expect(started.status, started.text).toBe(202);
    const done = await untilDone(as.admin, started.body.id);
    expect(done).toMatchObject({ status: 'done', total: older, done: older, upgraded: open, skipped: { alreadyCurrent: 0, closed: older - open }, failed: [] });
    expect(await h.db.prisma.family.count({ where: { machineVersion: { lt: 2 }, closedAt: null } })).toBe(0);
    for (const f of fresh) expect((await current(as.vt, f.id)).machineVersion).toBe(2);
  });

  it('is for administrators only (403), and refuses bad input in the reader’s language, changing nothing (400)', async () => {
    const { h, as } = ctx();
    const f = await createV1Family(h, as.vt);
    for (const who of [as.vt, as.director, as.auditor]) {
      const res = await who.post('/api/v1/upgrades', { familyIds: [f.id], reason: REASON });
      expect(res.status, res.text).toBe(403);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect((await who.get('/api/v1/upgrades/x')).status).toBe(403);
    }
    expect((await as.admin.get('/api/v1/upgrades/unknown')).status).toBe(404);

    const logBefore = await h.db.prisma.adminLog.count();
    const bad: [unknown, string][] = [
      [{ familyIds: [f.id] }, 'reason'],
      [{ familyIds: [f.id], reason: '  ' }, 'reason'],
      [{ reason: REASON }, 'familyIds'],
      [{ familyIds: [f.id], all: true, reason: REASON }, 'familyIds'],
      [{ familyIds: [f.id, 'no-such-family'], reason: REASON }, 'familyIds'],
      [{ references: [f.reference, 'VT-0000-NOPE'], reason: REASON }, 'references'],
      [{ references: [f.reference], all: true, reason: REASON }, 'familyIds'],
    ];
    for (const [body, path] of bad) {
      const nl = await as.admin.post<Problem>('/api/v1/upgrades', body);
      expect(nl.status, nl.text).toBe(400);
      expect(nl.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(nl.body.title).toBe('Het verzoek is niet geldig');
      expect(nl.body.errors?.map((e) => e.path)).toContain(path);
      const en = await as.admin.post<Problem>('/api/v1/upgrades', body, { headers: { 'Accept-Language': 'en' } });
      expect(en.status, en.text).toBe(400);
      expect(en.body.title).toBe('The request is not valid');
    }
    const unknown = await as.admin.post<Problem>('/api/v1/upgrades', { familyIds: ['no-such-family'], reason: REASON });
    expect(unknown.body.detail).toBe('De lijst noemt gezinnen die niet (eenduidig) bestaan; er is niets gewijzigd.');
    expect(await h.db.prisma.adminLog.count()).toBe(logBefore);
    expect((await current(as.vt, f.id)).machineVersion).toBe(1);
  });
});
