import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultNorms } from '../../machines/index.ts';
import type { FamilySummary, Kpis, MonitoringItem, UserRef } from '../../contract/index.ts';
import { allMunicipalities } from '../../machines/schemas/regions.ts';
import { buildWorld, simulateFamily, worldUsers, type World } from '../../simulation/national.ts';
import { insertBatch, toBatch } from '../../server/engine/batch.ts';
import { prng } from '../../simulation/rng.ts';
import { visibleFamiliesWhere, type Principal } from '../../server/auth/policy.ts';
import { ManualClock } from '../../server/clock.ts';
import { familiesPage, familyFilterSql, monitoringPage as monitoringRows } from '../../server/db/families.ts';
import type { SqlValue } from '../../server/db/index.ts';
import { emptyKpiData, kpiAggregates, type KpiData, type KpiScope, type KpiSeries } from '../../server/db/kpiFacts.ts';
import { userRefs } from '../../server/db/users.ts';
import { backfillProjections, PROJECTION_VERSION } from '../../server/engine/projections.ts';
import { dispatch } from '../../server/engine/store.ts';
import { computeKpis, kpiFactKinds, kpiSeries } from '../../server/cases/kpiFigures.ts';
import { declinedBy, familySummary, monitoringItem } from '../../server/cases/views.ts';
import { toFamilyRecord } from '../../server/engine/records.ts';
import { latestReasons } from '../../server/db/events.ts';
import { seedDemo } from '../../server/seed/demo.ts';
import { backends, createTestDb, type TestDb } from '../support/db.ts';
import { projectionProblems } from '../support/invariants.ts';
import { referenceFamilySummary } from '../support/listReference.ts';
import { referenceKpiData, referenceKpis, referenceMonitoring, referenceV2Figures, type ReferenceKpis, type V2Figure } from '../support/kpiReference.ts';

// The write-time projections (KPI facts, list columns) must give exactly what the old query-time
// computation gave (tests/support/kpiReference.ts, the code as it was), for every role, municipality
// and period: on the demo seed (written event by event through the engine's write path) and on
// randomized national-style histories (bulk-loaded without projection, then backfilled).

const DAY = 86_400_000;
const NOW = new Date('2026-05-12T10:15:00.000Z');

function principal(id: string, roles: Principal['roles'], region: string | null = null): Principal {
  return { id, username: id, displayName: id, roles, region };
}

type Scope = { from: Date; to: Date; municipality?: string };
type Viewer = { principal: Principal; ip: string | null; at: Date };

/** The figures' data as the kpis use case reads it, for any principal (the role check is not under test here). */
async function kpiData(db: TestDb, v: Viewer, scope: KpiScope, wanted: { kinds: readonly string[]; series: readonly KpiSeries[]; sortLimit?: number }): Promise<KpiData> {
  const visible = visibleFamiliesWhere(v.principal);
  return visible ? kpiAggregates(db.direct, db.provider, visible, scope, wanted) : emptyKpiData();
}

/** One page of the monitoring list as the monitoringList use case reads it. */
async function monitoringPage(db: TestDb, v: Viewer, page: { page: number; pageSize: number }) {
  const visible = visibleFamiliesWhere(v.principal);
  const { rows, total } = visible ? await monitoringRows(db.direct, visible, page) : { rows: [], total: 0 };
  return {
    rows,
    total,
    refs: await userRefs(db.direct, rows.flatMap((f) => [f.directorId, f.pendingDirectorId, declinedBy(f)])),
    reasons: await latestReasons(db.direct, rows.filter((r) => declinedBy(r) !== null).map((r) => r.id), 'handover.declined'),
  };
}

/** Periods: the default year, everything, random windows, and windows whose edges are event instants (inclusive). */
async function periods(db: TestDb, now: Date, seed: number): Promise<Scope[]> {
  const rnd = prng(seed).next; // mulberry32, so a failure names a reproducible case
  const events = await db.prisma.event.findMany({ select: { recordedAt: true }, orderBy: { id: 'asc' } });
  const at = () => events[Math.floor(rnd() * events.length)]!.recordedAt;
  const out: Scope[] = [
    { from: new Date(now.getTime() - 365 * DAY), to: now },
    { from: new Date(now.getTime() - 4 * 365 * DAY), to: now },
    { from: new Date(now.getTime() - 30 * DAY), to: now },
  ];
  for (let i = 0; i < 4; i++) {
    const a = now.getTime() - rnd() * 800 * DAY;
    out.push({ from: new Date(a), to: new Date(a + rnd() * 200 * DAY) });
  }
  for (let i = 0; i < 3; i++) {
    const [a, b] = [at(), at()].sort((x, y) => x.getTime() - y.getTime());
    out.push({ from: a!, to: b! });
  }
  return out;
}

async function expectSameKpis(db: TestDb, who: Principal, scope: Scope, now: Date): Promise<void> {
  const viewer = { principal: who, ip: null, at: now };
  const reference = await referenceKpiData(db, who, scope);
  const expected: ReferenceKpis = referenceKpis(reference, scope, defaultNorms, now);
  const expectedV2 = referenceV2Figures(reference, scope, defaultNorms);
  const label = `${who.username} ${scope.municipality ?? 'all'} ${scope.from.toISOString()}..${scope.to.toISOString()}`;
  // Both ways to an order statistic: sorting the period's values, and walking the value index.
  for (const sortLimit of [undefined, 0]) {
    const actual = computeKpis(await kpiData(db, viewer, scope, { kinds: kpiFactKinds, series: kpiSeries, ...(sortLimit === undefined ? {} : { sortLimit }) }), scope, now);
    expect(asBefore(actual), `${label} sortLimit ${sortLimit}`).toEqual(expected);
    expect(v2FiguresOf(actual), `${label} sortLimit ${sortLimit} (familyCase@2 figures)`).toEqual(expectedV2);
  }
}

/**
 * The figures the reference knows (those before issue 13): the additions (targets, handover
 * acceptance, reports, escalations by destination) are checked by hand in tests/http/kpis.test.ts.
 */
function asBefore(k: Kpis): ReferenceKpis {
  const {
    handoverAcceptance: _h,
    reports: _r,
    escalationsByDestination: _e,
    investigationStartWait: _w,
    feedbackInTime: _f,
    daysWithoutHelp: _d,
    incidentToConference: _c,
    obstacles: _o,
    ...before
  } = k;
  const { target: _a, ...assessed } = before.assessedWithinDeadline;
  const { target: _i, ...investigations } = before.investigationsWithinTenWeeks;
  return { ...before, assessedWithinDeadline: assessed, investigationsWithinTenWeeks: investigations };
}

/** The figures issue 14 added (familyCase@2), checked against their own query-time fold (referenceV2Figures). */
function v2FiguresOf(k: Kpis): Pick<Kpis, V2Figure> {
  const { investigationStartWait, feedbackInTime, daysWithoutHelp, incidentToConference, obstacles } = k;
  return { investigationStartWait, feedbackInTime, daysWithoutHelp, incidentToConference, obstacles };
}

async function refsOf(db: TestDb): Promise<Map<string, UserRef>> {
  const users = await db.prisma.user.findMany({ select: { id: true, username: true, displayName: true } });
  return new Map(users.map((u) => [u.id, u]));
}

/** Every page of the new list, concatenated. */
async function allPages(db: TestDb, who: Principal, now: Date, pageSize: number): Promise<{ items: MonitoringItem[]; total: number }> {
  const items: MonitoringItem[] = [];
  let total = 0;
  for (let page = 1; ; page++) {
    const res = await monitoringPage(db, { principal: who, ip: null, at: now }, { page, pageSize });
    total = res.total;
    items.push(...res.rows.map((r) => monitoringItem(r, res.refs, now, res.reasons)));
    if (res.rows.length < pageSize) break;
  }
  return { items, total };
}

async function expectSameMonitoring(db: TestDb, who: Principal, now: Date): Promise<number> {
  const expected = await referenceMonitoring(db, who, await refsOf(db), defaultNorms, now);
  const { items, total } = await allPages(db, who, now, 7);
  expect(total).toBe(expected.length);
  expect(items, `${who.username} at ${now.toISOString()}`).toEqual(expected);
  return expected.length;
}

/**
 * The family list (every page, read from columns) gives each visible family the row the old
 * snapshot-based summary gives at `now`; returns how many rows were overdue, to show the comparison
 * had something to compare.
 */
async function expectSameFamilyList(db: TestDb, who: Principal, now: Date): Promise<{ rows: number; overdue: number; nextDueKinds: number }> {
  const visible = visibleFamiliesWhere(who);
  const refs = await refsOf(db);
  const items: FamilySummary[] = [];
  let total = 0;
  for (let page = 1; visible; page++) {
    const res = await familiesPage(db.direct, visible, {}, { page, pageSize: 7 });
    total = res.total;
    items.push(...res.rows.map((r) => familySummary(r, refs, now)));
    if (res.rows.length < 7) break;
  }
  const families = visible ? (await db.prisma.family.findMany({ where: visible })).map(toFamilyRecord) : [];
  const expected = new Map(families.map((f) => [f.id, referenceFamilySummary(f, refs, defaultNorms, now)]));
  expect(total).toBe(families.length);
  expect(items.map((i) => i.id).sort()).toEqual([...expected.keys()].sort());
  expect(items, `${who.username} at ${now.toISOString()}`).toEqual(items.map((i) => expected.get(i.id)));
  return { rows: items.length, overdue: items.filter((i) => i.overdue).length, nextDueKinds: items.filter((i) => i.nextDueKind !== null).length };
}

/** The stored projection equals a fold of each family's events from scratch (write path = backfill path). */
async function expectProjectionMatchesRefold(db: TestDb): Promise<void> {
  expect(await projectionProblems(db)).toEqual([]);
}

describe('familyFilterSql', () => {
  it('renders the visibility filters as SQL on the family row, and refuses what it cannot express exactly', () => {
    const params: SqlValue[] = [];
    expect(familyFilterSql({}, 'f', params)).toBe('1 = 1');
    expect(
      familyFilterSql({ AND: [{ OR: [{ directorId: 'u1' }, { pendingDirectorId: 'u1' }, { region: 'r' }] }, { municipality: 'M' }] }, 'f', params),
    ).toBe('((f."directorId" = ?) OR (f."pendingDirectorId" = ?) OR (f."region" = ?)) AND (f."municipality" = ?)');
    expect(params).toEqual(['u1', 'u1', 'r', 'M']);
    expect(familyFilterSql({ OR: [] }, 'f', [])).toBe('1 = 0');
    expect(familyFilterSql({ directorId: null }, 'f', [])).toBe('f."directorId" IS NULL');
    expect(() => familyFilterSql({ phase: { startsWith: 'direct' } }, 'f', [])).toThrow(/plain equality/);
    expect(() => familyFilterSql({ 'x" OR 1=1 --': 'a' }, 'f', [])).toThrow(/unexpected key/);
  });
});

describe.each(backends())('KPI facts and monitoring columns equal the old computation (%s)', (provider) => {
  describe('demo seed, written through the engine', () => {
    let db: TestDb;
    beforeAll(async () => {
      db = await createTestDb(provider);
      await seedDemo(db, { clock: new ManualClock(NOW), production: false });
    });
    afterAll(() => db?.drop());

    it('stores for every family what a fold of its events gives', async () => {
      await expectProjectionMatchesRefold(db);
      expect(await db.prisma.family.count({ where: { projectionVersion: PROJECTION_VERSION } })).toBe(await db.prisma.family.count());
    });

    it('gives the same figures for every role, municipality and period', async () => {
      const users = await db.prisma.user.findMany();
      const id = (username: string) => users.find((u) => u.username === username)!.id;
      const who = [
        principal('auditor', ['auditor']),
        principal(id('vt'), ['vt'], 'zuid-limburg'),
        principal(id('regisseur'), ['director']),
        principal(id('regisseur2'), ['director']),
        principal(id('regisseur'), ['vt', 'director'], 'noord-holland'),
        principal('vt-elders', ['vt'], 'noord-holland'),
      ];
      const municipalities = [undefined, 'Maastricht', 'Heerlen', 'Kerkrade', 'Amsterdam'];
      const scopes = await periods(db, NOW, 1);
      for (const p of who) {
        for (const municipality of municipalities) {
          for (const s of scopes) await expectSameKpis(db, p, { ...s, ...(municipality ? { municipality } : {}) }, NOW);
        }
      }
      // Some figures must have something to measure, or the comparison proves little.
      const all = computeKpis(
        await kpiData(db, { principal: who[0]!, ip: null, at: NOW }, scopes[1]!, { kinds: kpiFactKinds, series: kpiSeries }),
        scopes[1]!,
        NOW,
      );
      expect(all.assessmentWait.median.basis).toBeGreaterThan(10);
      expect(all.waitingList.count.value).toBeGreaterThan(0);
      expect(all.repeatReports.basis + all.escalations.basis + all.stagnationSignals.basis).toBeGreaterThan(0);
      expect(all.investigationsWithinTenWeeks.basis).toBeGreaterThan(0);
    });

    it('lists the same monitored families in the same order, page by page, at several moments', async () => {
      const users = await db.prisma.user.findMany();
      const vt = principal(users.find((u) => u.username === 'vt')!.id, ['vt'], 'zuid-limburg');
      const auditor = principal('auditor', ['auditor']);
      let listed = 0;
      for (const days of [0, 3, 20, 60, 200]) {
        const at = new Date(NOW.getTime() + days * DAY);
        listed += await expectSameMonitoring(db, vt, at);
        await expectSameMonitoring(db, auditor, at);
      }
      expect(listed).toBeGreaterThan(5);
    });

    it('lists every family with the row its snapshot gives, at several moments', async () => {
      const users = await db.prisma.user.findMany();
      const id = (username: string) => users.find((u) => u.username === username)!.id;
      const who = [principal('auditor', ['auditor']), principal(id('vt'), ['vt'], 'zuid-limburg'), principal(id('regisseur'), ['director'])];
      let overdue = 0;
      let kinds = 0;
      for (const days of [0, 3, 20, 60, 200]) {
        const at = new Date(NOW.getTime() + days * DAY);
        for (const p of who) {
          const seen = await expectSameFamilyList(db, p, at);
          overdue += seen.overdue;
          kinds += seen.nextDueKinds;
        }
      }
      expect(overdue).toBeGreaterThan(5);
      expect(kinds).toBeGreaterThan(5);
    });

    it('refolds a family whose stored cursor does not fit when its next event is written', async () => {
      const vt = await db.prisma.user.findFirstOrThrow({ where: { username: 'vt' } });
      // Families on the waiting list after their first report only: a repeat report (the demo reopens a
      // closed family) has a wait of its own from the first round, and ids sort differently per backend.
      const reported = await db.prisma.family.findMany({ where: { phase: 'reported' }, orderBy: { id: 'asc' } });
      const reports = await db.prisma.event.groupBy({ by: ['familyId'], where: { type: 'report.received' }, _count: { _all: true } });
      const once = new Set(reports.filter((r) => r._count._all === 1).map((r) => r.familyId));
      const waiting = reported.filter((f) => once.has(f.id)).slice(0, 2);
      expect(waiting).toHaveLength(2);
      const [missing, stale] = waiting as [(typeof waiting)[number], (typeof waiting)[number]];
      await db.prisma.kpiFact.deleteMany({ where: { familyId: missing.id } });
      await db.prisma.family.update({ where: { id: missing.id }, data: { projectionVersion: null, kpiState: null } });
      // A cursor one event behind (as if an older server had appended without projecting).
      await db.prisma.family.update({ where: { id: stale.id }, data: { kpiState: JSON.stringify({ seq: stale.version - 1 }) } });
      const clock = new ManualClock(new Date(NOW.getTime() + 3_600_000));
      for (const f of [missing, stale]) {
        await dispatch(db, { familyId: f.id, type: 'assessment.started', payload: {}, expectedVersion: f.version, actor: { id: vt.id, role: 'vt' } }, { clock });
      }
      await expectProjectionMatchesRefold(db);
      const facts = await db.prisma.kpiFact.findMany({ where: { familyId: missing.id, kind: 'wait' } });
      expect(facts).toHaveLength(1);
      await expectSameKpis(db, principal('auditor', ['auditor']), { from: new Date(NOW.getTime() - 800 * DAY), to: clock.now() }, clock.now());
    });
  });

  describe('randomized national histories, bulk-loaded without projection and backfilled', () => {
    let db: TestDb;
    let world: World;
    let batchProblems: string[] = [];
    beforeAll(async () => {
      db = await createTestDb(provider);
      world = buildWorld({ scale: 0.001, seed: 7, now: NOW.getTime() });
      const at = new Date(NOW.getTime() - 1000 * DAY);
      await db.prisma.user.createMany({
        data: worldUsers(world).map((u) => ({ ...u, roles: u.roles.join(','), displayName: u.username, passwordHash: 'x', createdAt: at, updatedAt: at })),
      });
      const families = Array.from({ length: world.families }, (_, i) => simulateFamily(world, i));
      await insertBatch(db, toBatch(families));
      // The batch path projects every append as the store does: check that, then strip the
      // projection so that the start-up backfill has a whole country's histories to rebuild.
      batchProblems = await projectionProblems(db);
      await db.prisma.kpiFact.deleteMany({});
      await db.prisma.family.updateMany({
        data: {
          projectionVersion: null,
          kpiState: null,
          waitingSince: null,
          monitorDueAt: null,
          monitoring: null,
          overdueAt: null,
          overdueKind: null,
          monitorRank: null,
          urgency: null,
          planDisagreement: false,
          nextDueKind: null,
        },
      });
    }, 300_000);
    afterAll(() => db?.drop());

    it('the batch path wrote the same projection as a fold of the events', () => {
      expect(batchProblems).toEqual([]);
    });

    it('backfills every family once, idempotently', async () => {
      const total = await db.prisma.family.count();
      expect(await db.prisma.family.count({ where: { projectionVersion: null } })).toBe(total);
      const first = await backfillProjections(db, { batchSize: 37 });
      expect(first).toMatchObject({ families: total, skipped: 0 });
      expect(first.facts).toBe(await db.prisma.kpiFact.count());
      expect(await backfillProjections(db)).toEqual({ families: 0, facts: 0, skipped: 0 });
      await expectProjectionMatchesRefold(db);
      // The check itself notices a fact that differs.
      const fact = await db.prisma.kpiFact.findFirstOrThrow({ where: { kind: 'wait' } });
      // (Direct SQL: Prisma writes Float to SQLite with 15 significant digits only.)
      await db.direct.run('UPDATE "KpiFact" SET "value" = ? WHERE "id" = ?', [fact.value! + 1, fact.id]);
      expect(await projectionProblems(db)).toEqual([expect.stringContaining(`${fact.familyId}: KPI facts`)]);
      await db.direct.run('UPDATE "KpiFact" SET "value" = ? WHERE "id" = ?', [fact.value, fact.id]);
      expect(await projectionProblems(db)).toEqual([]);
    });

    it('gives the same figures for every role, municipality and period', async () => {
      const sl = world.regions[0]!;
      const other = world.regions[3]!;
      const who = [
        principal('auditor-national', ['auditor']),
        principal(sl.vt[0]!, ['vt'], sl.code),
        principal(other.vt[0]!, ['vt'], other.code),
        ...sl.directors.slice(0, 3).map((d) => principal(d, ['director'])),
      ];
      const rnd = prng(11).next;
      const municipalities = [undefined, 'Maastricht', other.municipalities[0]!, allMunicipalities[Math.floor(rnd() * allMunicipalities.length)]!];
      const scopes = await periods(db, NOW, 2);
      for (const p of who) {
        for (const municipality of municipalities) {
          for (const s of scopes) await expectSameKpis(db, p, { ...s, ...(municipality ? { municipality } : {}) }, NOW);
        }
      }
    });

    it('lists every family with the row its snapshot gives, after the backfill', async () => {
      const sl = world.regions[0]!;
      let rows = 0;
      let overdue = 0;
      for (const days of [0, 40]) {
        const at = new Date(NOW.getTime() + days * DAY);
        for (const p of [principal('auditor-national', ['auditor']), principal(sl.vt[0]!, ['vt'], sl.code)]) {
          const seen = await expectSameFamilyList(db, p, at);
          rows += seen.rows;
          overdue += seen.overdue;
        }
      }
      expect(rows).toBeGreaterThan(50);
      expect(overdue).toBeGreaterThan(5);
    });

    it('lists the same monitored families', async () => {
      const sl = world.regions[0]!;
      for (const days of [0, 40]) {
        const at = new Date(NOW.getTime() + days * DAY);
        await expectSameMonitoring(db, principal('auditor-national', ['auditor']), at);
        await expectSameMonitoring(db, principal(sl.vt[0]!, ['vt'], sl.code), at);
      }
    });
  });
});
