import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestDb, type TestDb } from '../support/db.ts';
import { allProblems, databaseFigures } from '../support/invariants.ts';
import { errorLines, findLeaks, marker } from '../support/logs.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { Tally } from './client.ts';
import { sizes, timeouts } from './sizes.ts';
import {
  everyAccepted,
  clockMover,
  PASSWORD,
  START,
  acknowledgedProblems,
  createFamilies,
  newWorkers,
  newWorkerStats,
  prepareLoadDatabase,
  runWorker,
  type Acknowledged,
  type LoadUsers,
  type Markers,
} from './workload.ts';

// Soak: the real server process under a steady write load from several clients over many families,
// with the manual clock moving so that durable timers fire in between. Afterwards every accepted
// write is exactly one event, every family's stored state equals its replay, nothing answered 5xx,
// the process's memory stayed bounded, and its logs hold no secret and no personal data.

const { clients, transitionsPerClient, families: familyCount } = sizes.soak;

describe.each(backends())('soak (%s)', (provider) => {
  let db: TestDb;
  let server: ServerProcess;
  let users: LoadUsers;
  beforeAll(async () => {
    db = await createTestDb(provider);
    users = await prepareLoadDatabase(db);
    server = await startServerProcess({ databaseUrl: db.url, clockStart: START });
  });
  afterAll(async () => {
    server?.kill();
    await server?.exited;
    await db?.drop();
  });

  it(
    `${clients} clients × ${transitionsPerClient} transitions over ${familyCount} families`,
    async () => {
      const tally = new Tally();
      const markers: Markers = {
        alias: marker('alias'),
        summary: marker('summary'),
        description: marker('description'),
        reason: marker('reason'),
      };
      const workers = await newWorkers(clients, server.base, tally, users);
      const ids = await createFamilies(workers[0]!.vt, markers, familyCount);
      const rssAfterStart = server.rss()!;

      const stats = newWorkerStats();
      const acknowledged: Acknowledged[] = [];
      const target = clients * transitionsPerClient;
      const samples: { accepted: number; rss: number }[] = [];
      let rssWarm: number | null = null;
      let running = true;
      // Memory sampled along the work done (every 1 % of it), not along time.
      const sampler = everyAccepted(stats, Math.max(1, Math.floor(target / 100)), () => !running, () => {
        const rss = server.rss();
        if (rss !== null) samples.push({ accepted: stats.accepted, rss });
        if (rssWarm === null && stats.accepted >= target * 0.2 && rss !== null) rssWarm = rss;
      });
      // Time passes while people work: a day per 8 accepted transitions, so deadlines fall due and the
      // scheduler writes system events in between.
      const clock = await clockMover(server.base, tally, users);
      let clockMoves = 0;
      const mover = everyAccepted(stats, 8, () => !running, async () => {
        const res = await clock.raw('POST', '/api/v1/clock', { advanceDays: 1 });
        if (res.status === 200) clockMoves++;
      });

      await Promise.all(
        workers.map((w) =>
          runWorker(w, {
            families: ids,
            users,
            markers,
            transitions: transitionsPerClient,
            acknowledged,
            stats,
          }),
        ),
      );
      running = false;
      await Promise.all([sampler, mover]);
      const rssFinal = server.rss()!;
      const now = new Date(
        ((await clock.raw<{ now: string }>('GET', '/api/v1/clock')).body as { now: string }).now,
      );

      expect(tally.serverErrors).toEqual([]);
      expect(stats.unexpected).toEqual([]);
      expect(stats.badVersions).toEqual([]);
      expect(stats.badConflicts).toEqual([]);
      expect(stats.accepted).toBe(target);
      // Every 200 is exactly one event: at its version, of its type, by its sender, never twice…
      expect(await acknowledgedProblems(db, acknowledged)).toEqual([]);
      // …and there are no other user events besides the creations.
      const userEvents = await db.prisma.event.count({ where: { actorRole: { not: 'system' } } });
      expect(userEvents).toBe(familyCount + stats.accepted);
      expect(await allProblems(db, { now })).toEqual([]);

      // Memory: report the samples, bound only the growth after warm-up (a leak would double it).
      const warm = rssWarm ?? samples[0]!.rss;
      expect(rssFinal).toBeLessThan(2 * warm);

      const secrets = [
        PASSWORD,
        ...Object.values(markers),
        ...workers.flatMap((w) => [w.vt.token!, w.director.token!]),
      ];
      expect(findLeaks(server.lines, secrets)).toEqual([]);
      expect(errorLines(server.lines)).toEqual([]);

      // A graceful stop after the load: the process ends by itself with code 0.
      expect(await server.stop()).toEqual({ code: 0, signal: null });

      const mb = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;
      const figures = {
        provider,
        clients,
        transitionsPerClient,
        families: familyCount,
        accepted: stats.accepted,
        conflicts409: stats.conflicts,
        hidden404: stats.hidden,
        statuses: tally.summary(),
        clockMoves,
        logins: workers.reduce((n, w) => n + w.vt.logins + w.director.logins, 0),
        db: await databaseFigures(db),
        rssMB: {
          afterStart: mb(rssAfterStart),
          afterWarmUp: mb(warm),
          final: mb(rssFinal),
          max: mb(Math.max(...samples.map((s) => s.rss))),
          samples: samples.length,
          trace: samples
            .filter((_, i) => i % Math.max(1, Math.floor(samples.length / 8)) === 0)
            .map((s) => `${s.accepted}:${mb(s.rss)}`),
        },
        logLines: server.lines.length,
      };
      console.log(`[soak ${provider}] ${JSON.stringify(figures)}`);
    },
    timeouts.soak,
  );
});
