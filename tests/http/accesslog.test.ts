import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessLogPage } from '../../contract/index.ts';
import { backends } from '../support/db.ts';
import { startHarness, type Client, type Harness } from './harness.ts';
import { createFamily, handedOver, send, useVersionReader } from './flows.ts';

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

  it('returns no family data when its access-log row cannot be written (same transaction)', async () => {
    const broken = await startHarness(provider);
    try {
      const writer = await broken.login('vt');
      const f = await createFamily(writer);
      await broken.db.prisma.$executeRawUnsafe('DROP TABLE "AccessLog"');
      const res = await writer.get(`/api/v1/families/${f.id}`);
      expect(res.status).toBe(500);
      expect(res.text).not.toContain(f.reference);
      expect(res.text).not.toContain('Moeder');
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
      role: expect.any(String),
      familyId: f.id,
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
});
