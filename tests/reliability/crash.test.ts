import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FamilyView } from '../../contract/index.ts';
import { backends, createTestDb, type TestDb } from '../support/db.ts';
import { allProblems, databaseFigures } from '../support/invariants.ts';
import { findLeaks, marker } from '../support/logs.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { NetworkError, Tally } from './client.ts';
import { sizes, STRESS, timeouts } from './sizes.ts';
import {
  everyAccepted,
  seededRandom,
  waitFor,
  clockMover,
  DAY,
  PASSWORD,
  START,
  acknowledgedProblems,
  createFamilies,
  newWorkers,
  newWorkerStats,
  prepareLoadDatabase,
  report,
  retarget,
  runWorker,
  type Acknowledged,
  type LoadUsers,
  type Markers,
  type Worker,
} from './workload.ts';

// Crash recovery: the real server process is killed with SIGKILL at random moments while clients
// write and the manual clock makes the scheduler fire timers, then restarted on the same database.
// After every restart: the storage is intact, every acknowledged write is there, nothing is half
// written, every chain verifies and replays to the stored state, and no timer is lost or fired twice.

const { kills, writers, families: familyCount } = sizes.crash;

type KillPoint = {
  afterMs: number;
  afterAccepted: number;
  eventWritesInFlight: number;
  clockMoveInFlight: boolean;
  createInFlight: boolean;
  acceptedThisRound: number;
  clockMovesThisRound: number;
  timersLeftClaimed?: number;
};


describe.each(backends())('crash recovery (%s)', (provider) => {
  let db: TestDb;
  let users: LoadUsers;
  let server: ServerProcess | undefined;
  const allLines: string[] = [];

  beforeAll(async () => {
    db = await createTestDb(provider);
    users = await prepareLoadDatabase(db);
  });
  afterAll(async () => {
    server?.kill();
    await server?.exited;
    await db?.drop();
  });

  it(
    `keeps every acknowledged write and fires every timer exactly once across ${kills} kill -9`,
    async () => {
      const tally = new Tally();
      const markers: Markers = {
        alias: marker('alias'),
        summary: marker('summary'),
        description: marker('description'),
        reason: marker('reason'),
      };
      // The manual clock restarts where the killed process left it (CLOCK_START), counting a move
      // that was in flight: its timers may have fired before the kill.
      let clockAt = START;
      const start = () => startServerProcess({ databaseUrl: db.url, clockStart: clockAt });
      server = await start();
      const workers: Worker[] = await newWorkers(writers, server!.base, tally, users);
      const ids = await createFamilies(workers[0]!.vt, markers, familyCount);
      const created = [...ids];
      const acknowledged: Acknowledged[] = [];
      const killPoints: KillPoint[] = [];
      // The kill moments are random from a seed that is printed (CRASH_SEED repeats a run's choices).
      const seed = Number(process.env.CRASH_SEED ?? Date.now() % 2 ** 31);
      console.log(`[crash ${provider}] seed ${seed} (repeat: CRASH_SEED=${seed})`);
      const random = seededRandom(seed);
      const restartChecks: { round: number; problems: number }[] = [];
      let accepted = 0;
      let conflicts = 0;
      let clockMoves = 0;

      for (let round = 0; round < kills; round++) {
        const stats = newWorkerStats();
        let stop = false;
        let clockMoveInFlight = false;
        let createInFlight = false;
        let clockMovesThisRound = 0;
        const clock = await clockMover(server.base, tally, users);
        const load = Promise.all(
          workers.map((w) =>
            runWorker(w, {
              families: ids,
              users,
              markers,
              transitions: Number.MAX_SAFE_INTEGER,
              stop: () => stop,
              acknowledged,
              stats,
            }),
          ),
        );
        // A day per 3 accepted writes, a new family per 5: paced by the work, not by a timer.
        const mover = everyAccepted(stats, 3, () => stop, async () => {
          {
            clockMoveInFlight = true;
            clockAt = new Date(clockAt.getTime() + DAY);
            try {
              const res = await clock.raw('POST', '/api/v1/clock', { advanceDays: 1 });
              if (res.status === 200) {
                clockMoves++;
                clockMovesThisRound++;
              }
            } catch (e) {
              if (e instanceof NetworkError) return false;
              throw e;
            } finally {
              clockMoveInFlight = false;
            }
          }
        });
        const creator = everyAccepted(stats, 5, () => stop, async () => {
          {
            createInFlight = true;
            try {
              const res = await workers[0]!.vt.raw<FamilyView>(
                'POST',
                '/api/v1/families',
                report(markers, created.length),
              );
              if (res.status === 201) {
                created.push(res.body.id);
                ids.push(res.body.id);
              }
            } catch (e) {
              if (e instanceof NetworkError) return false;
              throw e;
            } finally {
              createInFlight = false;
            }
          }
        });

        // A random moment (from the printed seed), measured in work done: a cold server answers its
        // first requests slowly, so a time-based moment would mostly hit start-up.
        const roundStarted = Date.now();
        const afterAccepted = Math.floor(random() * (STRESS ? 40 : 20));
        await waitFor(() => stats.accepted >= afterAccepted, `${afterAccepted} accepted writes`);
        if (round % 2 === 1) {
          // Every other kill lands inside the scheduler: a big move of the clock makes many timers
          // due at once, and the process dies once it has claimed or fired one of them.
          const days = 20 + Math.floor(random() * 40);
          clockAt = new Date(clockAt.getTime() + days * DAY);
          clockMoveInFlight = true;
          let answered = false;
          const fired = await db.prisma.timer.count({ where: { status: 'fired' } });
          clock
            .raw('POST', '/api/v1/clock', { advanceDays: days })
            .then(() => (answered = true))
            .catch(() => undefined);
          await waitFor(
            async () =>
              answered ||
              (await db.prisma.timer.count({ where: { status: 'claimed' } })) > 0 ||
              (await db.prisma.timer.count({ where: { status: 'fired' } })) > fired,
            'the scheduler to claim or fire a timer',
          );
        } else {
          // The other kills land while an event write is on its way.
          await waitFor(() => stats.inFlight > 0, 'an event write in flight');
        }
        const afterMs = Date.now() - roundStarted;
        killPoints.push({
          afterMs,
          afterAccepted,
          eventWritesInFlight: stats.inFlight,
          clockMoveInFlight,
          createInFlight,
          acceptedThisRound: stats.accepted,
          clockMovesThisRound,
        });
        server.kill();
        const exit = await server.exited;
        expect(exit.signal).toBe('SIGKILL');
        stop = true;
        await Promise.all([load, mover, creator]);
        // Timers the dead process had claimed but not fired: the next one must take them over.
        killPoints.at(-1)!.timersLeftClaimed = await db.prisma.timer.count({ where: { status: 'claimed' } });
        allLines.push(...server.lines);
        accepted += stats.accepted;
        conflicts += stats.conflicts;
        expect(stats.unexpected).toEqual([]);
        expect(stats.badVersions).toEqual([]);
        expect(stats.badConflicts).toEqual([]);

        server = await start();
        for (const w of workers) retarget(w, server.base);
        // Past the scheduler's lease (60 s on the manual clock): timers a killed process had
        // claimed are taken over, and everything due fires now.
        clockAt = new Date(clockAt.getTime() + 2 * 60_000);
        const moved = await (await clockMover(server.base, tally, users)).raw('POST', '/api/v1/clock', {
          advanceMinutes: 2,
        });
        expect(moved.status, moved.text).toBe(200);

        const problems = [
          ...(await acknowledgedProblems(db, acknowledged)),
          ...(await allProblems(db, { now: clockAt })),
        ];
        const stored = new Set((await db.prisma.family.findMany({ select: { id: true } })).map((f) => f.id));
        problems.push(
          ...created.filter((id) => !stored.has(id)).map((id) => `acknowledged family ${id} is missing`),
        );
        restartChecks.push({ round, problems: problems.length });
        expect(problems, `after kill ${round + 1} at ${JSON.stringify(killPoints.at(-1))}`).toEqual([]);
        // Families created by a request the kill cut off may exist without our knowing: adopt them.
        for (const id of stored) if (!ids.includes(id)) ids.push(id);
      }

      expect(tally.serverErrors).toEqual([]);
      expect(await server.stop()).toEqual({ code: 0, signal: null });
      allLines.push(...server.lines);
      const secrets = [
        PASSWORD,
        ...Object.values(markers),
        ...workers.flatMap((w) => [w.vt.token!, w.director.token!]),
      ];
      expect(findLeaks(allLines, secrets)).toEqual([]);

      const figures = {
        provider,
        seed,
        kills,
        writers,
        accepted,
        conflicts409: conflicts,
        unanswered: tally.networkErrors,
        clockMoves,
        statuses: tally.summary(),
        killPoints: {
          duringClockMove: killPoints.filter((k) => k.clockMoveInFlight).length,
          withTimersLeftClaimed: killPoints.filter((k) => (k.timersLeftClaimed ?? 0) > 0).length,
          timersLeftClaimed: killPoints.reduce((n, k) => n + (k.timersLeftClaimed ?? 0), 0),
          duringCreate: killPoints.filter((k) => k.createInFlight).length,
          withEventWritesInFlight: killPoints.filter((k) => k.eventWritesInFlight > 0).length,
          afterMs: killPoints.map((k) => k.afterMs),
          acceptedBeforeKill: killPoints.map((k) => k.acceptedThisRound),
        },
        restartChecks: restartChecks.length,
        db: await databaseFigures(db),
      };
      console.log(`[crash ${provider}] ${JSON.stringify(figures)}`);
    },
    timeouts.crash,
  );
});
