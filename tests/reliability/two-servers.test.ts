import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FamilyView, Problem } from '../../contract/index.ts';
import { backends, createTestDb, type TestDb } from '../support/db.ts';
import { createUser } from '../../server/cases/createUser.ts';
import { allProblems, databaseFigures } from '../support/invariants.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { ApiClient, Tally } from './client.ts';
import { sizes, timeouts } from './sizes.ts';
import {
  clockMover,
  PASSWORD,
  START,
  createFamilies,
  newWorker,
  newWorkerStats,
  prepareLoadDatabase,
  runWorker,
  type LoadUsers,
  type Markers,
} from './workload.ts';

// Two server processes on one PostgreSQL schema, as two replicas behind a load balancer would run:
// both start (and migrate) at once, both schedulers fire due timers when their clocks move, and
// writers on either side race for the same family version. Each timer fires once; each race has
// one winner. On SQLite the same runs as two processes on one file (what the admin CLI next to a
// server also does): the file's write lock and the busy timeout must make it just as safe.

const { parallel, rounds, families: familyCount } = sizes.twoServers;
const markers: Markers = {
  alias: 'Twee A',
  summary: 'Twee servers',
  description: 'Twee servers',
  reason: 'Twee servers',
};

describe.each(backends())('two servers on one database (%s)', (provider) => {
  let db: TestDb;
  let users: LoadUsers;
  let a: ServerProcess;
  let b: ServerProcess;
  beforeAll(async () => {
    // An empty schema: both servers find it unmigrated and apply the migrations together.
    db = await createTestDb(provider, { migrate: false });
    [a, b] = await Promise.all([
      startServerProcess({ databaseUrl: db.url, clockStart: START }),
      startServerProcess({ databaseUrl: db.url, clockStart: START }),
    ]);
    users = await prepareLoadDatabase(db);
  });
  afterAll(async () => {
    a?.kill();
    b?.kill();
    await Promise.all([a?.exited, b?.exited]);
    await db?.drop();
  });

  it(
    `fires every due timer exactly once with both schedulers running (${familyCount} families)`,
    async () => {
      const tally = new Tally();
      const vtA = new ApiClient(a.base, tally, { username: users.vt.username, password: PASSWORD });
      await vtA.login();
      const ids = await createFamilies(vtA, markers, familyCount);
      // Walk the families on a little (through server B), so that more kinds of timers are armed:
      // handover acceptance, measure ends, monitoring checks, stagnation per phase.
      const stats = newWorkerStats();
      const worker = await newWorker(b.base, tally, users);
      await runWorker(worker, {
        families: ids,
        users,
        markers,
        transitions: familyCount * 3,
        acknowledged: [],
        stats,
      });
      expect(stats.unexpected).toEqual([]);
      const fired: number[] = [];
      // Both clocks move in lockstep, and both servers run their schedulers at the same moment.
      for (const days of [1, 2, 5, 10, 30, 60]) {
        const [ra, rb] = await Promise.all(
          [a, b].map(async (s) =>
            (await clockMover(s.base, tally, users)).raw<{ now: string }>('POST', '/api/v1/clock', { advanceDays: days }),
          ),
        );
        expect([ra!.status, rb!.status]).toEqual([200, 200]);
        expect(ra!.body.now).toBe(rb!.body.now);
        fired.push(await db.prisma.timer.count({ where: { status: 'fired' } }));
        expect(await allProblems(db, { now: new Date(ra!.body.now) })).toEqual([]);
      }
      expect(fired.at(-1)!).toBeGreaterThanOrEqual(familyCount);
      // Which server fired what: both did work (SKIP LOCKED hands them different timers).
      const systemEvents = await db.prisma.event.count({ where: { actorRole: 'system' } });
      expect(systemEvents).toBe(fired.at(-1));
      expect(tally.serverErrors).toEqual([]);
      const firedBy = await db.prisma.timer.groupBy({
        by: ['claimedBy'],
        where: { status: 'fired' },
        _count: { _all: true },
      });
      const kinds = await db.prisma.timer.groupBy({
        by: ['kind'],
        where: { status: 'fired' },
        _count: { _all: true },
      });
      console.log(
        `[two-servers timers ${provider}] ${JSON.stringify({
          families: familyCount,
          firedAfterEachMove: fired,
          firedPerServer: firedBy.map((r) => r._count._all),
          firedKinds: Object.fromEntries(kinds.map((k) => [k.kind, k._count._all])),
          db: await databaseFigures(db),
        })}`,
      );
    },
    timeouts.twoServers,
  );

  it('shuts a user out of both servers at once when an administrator disables them on one', async () => {
    const tally = new Tally();
    const [, leaver] = await Promise.all([
      createUser(db, { username: 'tweebeheer', password: PASSWORD, roles: ['admin'], region: null, displayName: 'Beheer' }),
      createUser(db, { username: 'tweevertrek', password: PASSWORD, roles: ['vt'], region: 'zuid-limburg', displayName: 'Vertrekker' }),
    ]);
    const adminOnA = new ApiClient(a.base, tally, { username: 'tweebeheer', password: PASSWORD });
    const leaverOnA = new ApiClient(a.base, tally, { username: 'tweevertrek', password: PASSWORD });
    const leaverOnB = new ApiClient(b.base, tally, { username: 'tweevertrek', password: PASSWORD });
    for (const c of [adminOnA, leaverOnA, leaverOnB]) await c.login();
    const [id] = await createFamilies(leaverOnB, markers, 1);
    expect((await leaverOnB.raw('GET', `/api/v1/families/${id}`)).status).toBe(200);
    expect((await leaverOnA.raw('GET', '/api/v1/families')).status).toBe(200);

    const disabled = await adminOnA.raw('PATCH', `/api/v1/users/${leaver.id}`, { disabled: true, reason: 'Uit dienst' });
    expect(disabled.status, disabled.text).toBe(200);
    // The very next request on the other server is refused: no cache lets a disabled user through.
    expect((await leaverOnB.raw('GET', `/api/v1/families/${id}`)).status).toBe(401);
    expect((await leaverOnB.raw('POST', `/api/v1/families/${id}/events`, { type: 'report.received', expectedVersion: 1, payload: { source: 'citizen', acute: false, summary: 'Na vertrek' } })).status).toBe(401);
    expect((await leaverOnA.raw('GET', '/api/v1/families')).status).toBe(401);
    // Nor can they sign in again on either.
    for (const server of [a, b]) {
      const again = await new ApiClient(server.base, tally).raw('POST', '/api/v1/session', { username: 'tweevertrek', password: PASSWORD });
      expect(again.status).toBe(401);
    }
    // The refused write left the family as it was.
    expect((await adminOnA.raw<{ version: number }>('GET', `/api/v1/families/${id}`)).status).not.toBe(200); // an administrator reads no family data
    const family = await db.prisma.family.findUniqueOrThrow({ where: { id: id! }, select: { version: true } });
    expect(family.version).toBe(1);
    expect(tally.serverErrors).toEqual([]);
  });

  it(
    `lets one of ${parallel} writers win across the two processes, ${rounds} rounds`,
    async () => {
      const tally = new Tally();
      const clients = await Promise.all(
        [a, b, a, b].map(async (s) => {
          const c = new ApiClient(s.base, tally, { username: users.vt.username, password: PASSWORD });
          await c.login();
          return c;
        }),
      );
      const [id] = await createFamilies(clients[0]!, markers, 1);
      let conflicts = 0;
      const winnersBy = { a: 0, b: 0 };
      for (let round = 0; round < rounds; round++) {
        const v = (await clients[0]!.get<FamilyView>(`/api/v1/families/${id}`)).body.version;
        const replies = await Promise.all(
          Array.from({ length: parallel }, (_, i) =>
            clients[i % clients.length]!.post<FamilyView & Problem>(`/api/v1/families/${id}/events`, {
              type: 'report.received',
              expectedVersion: v,
              payload: { source: 'citizen', acute: false, summary: `Ronde ${round} melder ${i}` },
            }).then((r) => ({ r, via: i % 2 === 0 ? ('a' as const) : ('b' as const) })),
          ),
        );
        const ok = replies.filter(({ r }) => r.status === 200);
        expect(ok, `round ${round}`).toHaveLength(1);
        winnersBy[ok[0]!.via]++;
        const lost = replies.filter(({ r }) => r.status === 409);
        expect(lost).toHaveLength(parallel - 1);
        for (const { r } of lost) expect(r.body.currentVersion).toBe(v + 1);
        conflicts += lost.length;
      }
      expect(tally.serverErrors).toEqual([]);
      expect(await allProblems(db)).toEqual([]);
      console.log(
        `[two-servers races ${provider}] ${JSON.stringify({ rounds, parallel, conflicts409: conflicts, winnersBy, statuses: tally.summary() })}`,
      );
    },
    timeouts.twoServers,
  );
});
