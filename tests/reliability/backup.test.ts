import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/clock.ts';
import { openDatabase, type Db } from '../../server/db/index.ts';
import { Scheduler } from '../../server/engine/index.ts';
import { backends, createTestDb, type TestDb } from '../support/db.ts';
import { accessLogProblems, allProblems, databaseFigures, storageProblems } from '../support/invariants.ts';
import { runTsScript, startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { ApiClient, Tally } from './client.ts';
import { sizes, timeouts } from './sizes.ts';
import {
  everyAccepted,
  waitFor,
  clockMover,
  START,
  createFamilies,
  newWorkers,
  newWorkerStats,
  prepareLoadDatabase,
  runWorker,
  type Acknowledged,
  type LoadUsers,
  type Markers,
} from './workload.ts';

// Backup under write load and restore into a fresh database, with the documented commands
// (`npm run backup` / `npm run restore`, i.e. scripts/backup.ts) as separate processes next to the
// running server. The restored database must be a consistent moment of the original: intact, every
// chain verifying and replaying to its stored state, every family a prefix of the original's.

const { writers, families: familyCount, transitionsPerWriter } = sizes.backup;
const markers: Markers = {
  alias: 'Backup A',
  summary: 'Backup melding',
  description: 'Backup',
  reason: 'Backup reden',
};

const script = (args: string[], databaseUrl: string) => runTsScript('scripts/backup.ts', args, databaseUrl);

async function pg<T>(sql: string): Promise<T[]> {
  const { default: driver } = await import('pg');
  const c = new driver.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await c.connect();
  try {
    return (await c.query(sql)).rows as T[];
  } finally {
    await c.end();
  }
}

describe.each(backends())('backup under load and restore (%s)', (provider) => {
  let db: TestDb;
  let users: LoadUsers;
  let server: ServerProcess;
  let dir: string;
  const cleanups: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'veilig-backup-'));
    db = await createTestDb(provider);
    users = await prepareLoadDatabase(db);
    server = await startServerProcess({ databaseUrl: db.url, clockStart: START });
  });
  afterAll(async () => {
    server?.kill();
    await server?.exited;
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A fresh, empty target: another SQLite file, or another PostgreSQL database (same schema name). */
  async function freshTarget(): Promise<string> {
    if (provider === 'sqlite') return `file:${path.join(dir, `restored-${Date.now()}.db`)}`;
    const name = `veilig_restore_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    await pg(`CREATE DATABASE ${name}`);
    cleanups.push(() => pg(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    const u = new URL(db.url);
    u.pathname = `/${name}`;
    return u.toString();
  }

  it(
    'takes a consistent backup while clients write, and restores it into a fresh database',
    async () => {
      const tally = new Tally();
      const workers = await newWorkers(writers, server.base, tally, users);
      const ids = await createFamilies(workers[0]!.vt, markers, familyCount);
      const acknowledged: Acknowledged[] = [];
      const stats = newWorkerStats();
      const load = Promise.all(
        workers.map((w) =>
          runWorker(w, {
            families: ids,
            users,
            markers,
            transitions: transitionsPerWriter,
            acknowledged,
            stats,
          }),
        ),
      );
      // Time passes meanwhile, so the scheduler's system events and fired timers are in the copy too.
      let moving = true;
      const clock = await clockMover(server.base, tally, users);
      // Two days per 6 accepted transitions.
      const mover = everyAccepted(stats, 6, () => !moving, async () => {
        await clock.raw('POST', '/api/v1/clock', { advanceDays: 2 });
      });
      // The backup starts once the load is well under way, and runs while it goes on.
      await waitFor(
        () => stats.accepted >= Math.floor((writers * transitionsPerWriter) / 2) || stats.unexpected.length > 0,
        'half the transitions accepted',
      );
      const acceptedAtStart = stats.accepted;
      const file = path.join(dir, provider === 'sqlite' ? 'backup.db' : 'backup.dump');
      const taken = await script(['backup', '--out', file], db.url);
      const acceptedAtEnd = stats.accepted;
      expect(taken.code, taken.out).toBe(0);
      await load;
      moving = false;
      await mover;
      expect(stats.unexpected).toEqual([]);
      expect(tally.serverErrors).toEqual([]);

      const target = await freshTarget();
      const restored = await script(['restore', '--from', file], target);
      expect(restored.code, restored.out).toBe(0);
      expect(restored.out).toMatch(/all chains valid/);

      const copy: Db = await openDatabase(target);
      cleanups.push(() => copy.close());
      // A moment of the original: each restored family's history is a prefix of the original's.
      const restoredEvents = await copy.prisma.event.findMany({
        select: { familyId: true, seq: true, hash: true },
      });
      const originalHashes = new Map(
        (await db.prisma.event.findMany({ select: { familyId: true, seq: true, hash: true } })).map((e) => [
          `${e.familyId}#${e.seq}`,
          e.hash,
        ]),
      );
      const notPrefix = restoredEvents.filter((e) => originalHashes.get(`${e.familyId}#${e.seq}`) !== e.hash);
      expect(notPrefix).toEqual([]);
      const copyFigures = await databaseFigures(copy);
      const originalFigures = await databaseFigures(db);
      expect(copyFigures.families).toBeGreaterThanOrEqual(familyCount);
      expect(copyFigures.events).toBeGreaterThan(familyCount);
      expect(copyFigures.events).toBeLessThanOrEqual(originalFigures.events);
      expect(await storageProblems(copy)).toEqual([]);
      expect(await accessLogProblems(copy)).toEqual([]);
      // A hot copy may hold timers the running scheduler had claimed but not yet fired, as after a
      // crash: a server started on the copy takes them over once their lease has passed, and fires
      // everything due exactly once.
      const claimedInCopy = await copy.prisma.timer.count({ where: { status: 'claimed' } });
      const serverNow = new Date(
        (
          (await new ApiClient(server.base, tally).raw<{ now: string }>('GET', '/api/v1/clock')).body as {
            now: string;
          }
        ).now,
      );
      const later = new ManualClock(new Date(serverNow.getTime() + 2 * 60_000));
      const firedInCopy = await new Scheduler(copy, later).runDue();
      expect(await allProblems(copy, { now: later.now() })).toEqual([]);
      // Sign-in works against the restored copy: users and their password hashes came along.
      expect(await copy.prisma.user.count()).toBe(await db.prisma.user.count());

      // Restoring over a database that holds data is refused without --force.
      const again = await script(['restore', '--from', file], target);
      expect(again.code).not.toBe(0);
      expect(again.out).toMatch(/exists|already holds/);
      // And `verify` on the original, after the load, agrees.
      const verified = await script(['backup', 'verify'], db.url);
      expect(verified.code, verified.out).toBe(0);

      console.log(
        `[backup ${provider}] ${JSON.stringify({
          writers,
          acceptedBeforeBackup: acceptedAtStart,
          acceptedWhileBackingUp: acceptedAtEnd - acceptedAtStart,
          acceptedTotal: stats.accepted,
          conflicts409: stats.conflicts,
          claimedInCopy,
          firedInCopyAfterRestore: firedInCopy,
          original: originalFigures,
          restored: copyFigures,
        })}`,
      );
    },
    timeouts.backup,
  );
});
