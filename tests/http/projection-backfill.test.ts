import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kpis, Monitoring } from '../../contract/index.ts';
import { ManualClock } from '../../server/clock.ts';
import { PROJECTION_VERSION } from '../../server/engine/projections.ts';
import { seedDemo } from '../../server/seed/demo.ts';
import { backends, createTestDb, type TestDb } from '../support/db.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { Client } from './harness.ts';

// A database written before the KPI facts and list columns existed (or by an older projection)
// gets them when the server starts, before it answers: the figures and the monitoring list are then
// what they were when every event was projected as it was written.

const NOW = new Date('2026-05-12T10:15:00.000Z');
const PERIOD = '?from=2025-01-01&to=2026-05-12';

async function signIn(base: string, username: string): Promise<Client> {
  const client = new Client(base);
  const res = await client.post<{ token: string }>('/api/v1/session', { username, password: 'demo' });
  expect(res.status, res.text).toBe(200);
  client.token = res.body.token;
  return client;
}

describe.each(backends())('projection backfill at start (%s)', (provider) => {
  let db: TestDb;
  let server: ServerProcess | null = null;
  const expected: { kpis?: Kpis; kpisMaastricht?: Kpis; monitoring?: Monitoring; facts?: number; families?: number } = {};

  beforeAll(async () => {
    db = await createTestDb(provider);
    await seedDemo(db, { clock: new ManualClock(NOW), production: false });
    // What a server that projected every write answers.
    server = await startServerProcess({ databaseUrl: db.url, clockStart: NOW });
    const auditor = await signIn(server.base, 'auditor');
    const vt = await signIn(server.base, 'vt');
    expected.kpis = (await auditor.get<Kpis>(`/api/v1/kpis${PERIOD}`)).body;
    expected.kpisMaastricht = (await vt.get<Kpis>(`/api/v1/kpis${PERIOD}&municipality=Maastricht`)).body;
    expected.monitoring = (await vt.get<Monitoring>('/api/v1/monitoring?pageSize=200')).body;
    expected.facts = await db.prisma.kpiFact.count();
    expected.families = await db.prisma.family.count();
    await server.stop();
    server = null;
    // As a database from before the projection: no facts, no columns; one family of an older projection.
    await db.prisma.kpiFact.deleteMany();
    await db.prisma.family.updateMany({
      data: { projectionVersion: null, kpiState: null, waitingSince: null, monitorDueAt: null, monitoring: null, monitorRank: null, urgency: null },
    });
    const one = await db.prisma.family.findFirstOrThrow({ orderBy: { id: 'asc' } });
    await db.prisma.family.update({ where: { id: one.id }, data: { projectionVersion: PROJECTION_VERSION - 1, kpiState: '{"seq":1}' } });
  }, 300_000);
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  it('builds the missing projection before listening, logged, and answers as before', async () => {
    expect(await db.prisma.kpiFact.count()).toBe(0);
    server = await startServerProcess({ databaseUrl: db.url, clockStart: NOW });
    const logged = server.lines.map((l) => JSON.parse(l) as { msg?: string; families?: number; facts?: number; skipped?: number });
    const start = logged.findIndex((l) => l.msg === 'building KPI facts and list columns for families without them');
    const done = logged.findIndex((l) => l.msg === 'KPI facts and list columns built');
    const listening = logged.findIndex((l) => l.msg === 'listening');
    expect(start).toBeGreaterThanOrEqual(0);
    expect(logged[start]!.families).toBe(expected.families);
    expect(logged[done]).toMatchObject({ families: expected.families, facts: expected.facts, skipped: 0 });
    expect(done).toBeLessThan(listening);

    expect(await db.prisma.family.count({ where: { projectionVersion: PROJECTION_VERSION } })).toBe(expected.families);
    expect(await db.prisma.kpiFact.count()).toBe(expected.facts);
    const auditor = await signIn(server.base, 'auditor');
    const vt = await signIn(server.base, 'vt');
    expect((await auditor.get<Kpis>(`/api/v1/kpis${PERIOD}`)).body).toEqual(expected.kpis);
    expect((await vt.get<Kpis>(`/api/v1/kpis${PERIOD}&municipality=Maastricht`)).body).toEqual(expected.kpisMaastricht);
    expect((await vt.get<Monitoring>('/api/v1/monitoring?pageSize=200')).body).toEqual(expected.monitoring);
    expect(expected.monitoring!.total).toBeGreaterThan(0);
    expect(expected.kpis!.assessmentWait.median.basis).toBeGreaterThan(0);
  });

  it('finds nothing to do on the next start', async () => {
    await server!.stop();
    server = await startServerProcess({ databaseUrl: db.url, clockStart: NOW });
    expect(server.lines.some((l) => l.includes('building KPI facts'))).toBe(false);
    expect(await db.prisma.kpiFact.count()).toBe(expected.facts);
  });
});
