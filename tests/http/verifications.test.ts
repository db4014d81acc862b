import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FamilyView, Verification } from '../../contract/index.ts';
import { insertBatch, toBatch } from '../../server/engine/batch.ts';
import { buildWorld, simulateFamily, worldUsers } from '../../simulation/national.ts';
import { backends } from '../support/db.ts';
import { createFamily, send, useVersionReader } from './flows.ts';
import { startHarness, type Client, type Harness } from './harness.ts';

// POST /verifications and GET /verifications/{id} (API.md "Audit"): every family's chain checked in
// the server, in small batches that leave other requests their turn; the first broken event of each
// family named.

const DAY = 86_400_000;

/** A few hundred simulated families (with their users) written through the engine's bulk path. */
async function simulatedFamilies(h: Harness): Promise<number> {
  const now = h.clock.now().getTime();
  const world = buildWorld({ scale: 0.002, seed: 13, now });
  const at = new Date(now - 1000 * DAY);
  await h.db.prisma.user.createMany({
    data: worldUsers(world).map((u) => ({ ...u, roles: u.roles.join(','), displayName: u.username, passwordHash: 'x', createdAt: at, updatedAt: at })),
  });
  await insertBatch(h.db, toBatch(Array.from({ length: world.families }, (_, i) => simulateFamily(world, i))));
  return world.families;
}

async function untilDone(auditor: Client, id: string): Promise<Verification> {
  for (;;) {
    const r = await auditor.get<Verification>(`/api/v1/verifications/${id}`);
    expect(r.status, r.text).toBe(200);
    if (r.body.status !== 'running') return r.body;
    await new Promise((resolve) => setTimeout(resolve, 20)); // polling, as a client would
  }
}

describe.each(backends())('verification of every family (%s)', (provider) => {
  let h: Harness;
  let simulated = 0;
  const as = {} as Record<'vt' | 'director' | 'auditor' | 'admin', Client>;
  const ctx = () => ({ h, as });
  beforeAll(async () => {
    h = await startHarness(provider);
    // Written before anyone signs in: no idle connection waits through the bulk insert.
    simulated = await simulatedFamilies(h);
    for (const u of ['vt', 'director', 'auditor', 'admin'] as const) as[u] = await h.login(u);
  }, 240_000);
  afterAll(async () => {
    await h?.close();
  });

  it('checks every family while other requests are answered, and names the first broken event', async () => {
    const { h, as } = ctx();
    useVersionReader(as.vt);
    expect(simulated).toBeGreaterThanOrEqual(200);
    const own = await createFamily(as.vt);
    await send(as.vt, own.id, 'assessment.started');
    await send(as.vt, own.id, 'incident.reported', { occurredAt: h.clock.now().toISOString(), severity: 'minor', description: 'Ruzie.' });
    // One event row changed behind the engine's back: seq 2 of our family.
    const tampered = await h.db.prisma.event.updateMany({ where: { familyId: own.id, seq: 2 }, data: { reason: 'Achteraf aangepast.' } });
    expect(tampered.count).toBe(1);
    const total = await h.db.prisma.family.count();

    const started = await as.auditor.post<{ id: string }>('/api/v1/verifications');
    expect(started.status, started.text).toBe(202);
    expect(started.headers.get('location')).toBe(`/api/v1/verifications/${started.body.id}`);
    // While it runs, a family page and the progress both answer.
    const [page, progress] = await Promise.all([
      as.vt.get<FamilyView>(`/api/v1/families/${own.id}`),
      as.auditor.get<Verification>(`/api/v1/verifications/${started.body.id}`),
    ]);
    expect(page.status, page.text).toBe(200);
    expect(page.body.id).toBe(own.id);
    expect(progress.status, progress.text).toBe(200);
    expect(progress.body.total).toBe(total);
    expect(progress.body.checked).toBeLessThanOrEqual(total);

    const done = await untilDone(as.auditor, started.body.id);
    expect(done).toEqual({
      status: 'done',
      checked: total,
      total,
      broken: [{ familyId: own.id, reference: own.reference, brokenAt: 2 }],
    });
    // The per-family check agrees, and each family checked is on the access log.
    const one = await as.auditor.get<{ valid: boolean; brokenAt?: number }>(`/api/v1/families/${own.id}/verify`);
    expect(one.body).toMatchObject({ valid: false, brokenAt: 2 });
    const logged = await h.db.prisma.accessLog.count({ where: { action: 'verify', userId: h.users.auditor.id, result: 'ok', familyId: { not: null } } });
    expect(logged).toBeGreaterThanOrEqual(total);
  });

  it('is the auditor\'s alone; an unknown id is a 404', async () => {
    const { as } = ctx();
    for (const c of [as.vt, as.director, as.admin]) {
      expect((await c.post('/api/v1/verifications')).status).toBe(403);
      expect((await c.get('/api/v1/verifications/whatever')).status).toBe(403);
    }
    const unknown = await as.auditor.get('/api/v1/verifications/no-such-job');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toMatch(/problem\+json/);
  });
});
