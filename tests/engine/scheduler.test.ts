import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ManualClock } from '../../server/clock.ts';
import { openDatabase, type Db } from '../../server/db/index.ts';
import { createFamily, listEvents, loadFamily, Scheduler } from '../../server/engine/index.ts';
import { backends, type TestDb } from '../support/db.ts';
import { expectConsistent, freshStore, reportInput, send, type TestUsers } from './helpers.ts';

const DAY = 86_400_000;
// The families here run under familyCase@1: the counts and orders below are v1's timer set (v2 adds
// interim contact, feedback and first-contact timers). How the scheduler fires, claims and cancels
// does not depend on the version.
const V1 = 1;
const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'run-scheduler.ts');

type Child = { ready: Promise<void>; done: Promise<number>; go: () => void };

/** A scheduler in its own OS process (its own connection, its own SQLite busy handler). */
function schedulerProcess(db: Db, now: Date, id: string): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, db.url, db.schema ?? '-', now.toISOString(), id], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, LOG_LEVEL: 'silent' },
  });
  let out = '';
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (out.includes('ready')) markReady();
  });
  const done = new Promise<number>((resolve, reject) => {
    child.on('exit', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0) reject(new Error(`scheduler ${id} exited with ${code}: ${out}`));
      else resolve((JSON.parse(last) as { fired: number }).fired);
    });
  });
  return { ready, done, go: () => child.stdin.end('go\n') };
}
// Monday 3 March 2025, 10:00 in Amsterdam: five working days later is Monday 10 March.
const T0 = new Date('2025-03-03T09:00:00.000Z');

async function systemEvents(db: Db) {
  const rows = await db.prisma.event.findMany({ where: { actorRole: 'system' }, orderBy: [{ familyId: 'asc' }, { seq: 'asc' }] });
  return rows.map((r) => ({ familyId: r.familyId, seq: r.seq, type: r.type, payload: JSON.parse(r.payload) as Record<string, unknown> }));
}

/** What a system event is about: two events with the same key would be a double firing. */
function keyOf(e: { familyId: string; type: string; payload: Record<string, unknown> }): string {
  return `${e.familyId}|${e.type}|${JSON.stringify(e.payload)}`;
}

describe.each(backends())('durable timers on %s', (provider) => {
  let db: TestDb;
  let clock: ManualClock;
  let users: TestUsers;
  const extra: Db[] = [];

  const connect = () =>
    openDatabase(db.url, { migrate: false, ...(db.schema ? { schema: db.schema } : {}) }).then((d) => {
      extra.push(d);
      return d;
    });

  beforeEach(async () => {
    ({ db, clock, users } = await freshStore(provider, T0));
  });

  afterEach(async () => {
    try {
      for (const d of extra.splice(0)) await d.close();
      await expectConsistent(db);
      // Whatever happened, no timer may be left half-done.
      expect(await db.prisma.timer.count({ where: { status: 'claimed' } })).toBe(0);
    } finally {
      await db.drop();
    }
  });

  it('fires a due deadline once, and not again after a restart', async () => {
    const f = await createFamily(db, reportInput(), { actor: users.vt, clock, machineVersion: V1 });
    const scheduler = new Scheduler(db, clock);
    expect(await scheduler.runDue()).toBe(0);

    clock.set(new Date('2025-03-10T09:00:00.000Z'));
    expect(await scheduler.runDue()).toBe(1);
    expect(await scheduler.runDue()).toBe(0);
    const events = await listEvents(db, f.id);
    expect(events.at(-1)).toMatchObject({
      seq: 2,
      type: 'deadline.missed',
      actor: { id: 'system', role: 'system' },
      payload: { kind: 'assessment', dueAt: '2025-03-10T09:00:00.000Z' },
      recordedAt: '2025-03-10T09:00:00.000Z',
    });
    const fired = await db.prisma.timer.findMany({ where: { familyId: f.id, status: 'fired' } });
    expect(fired).toMatchObject([{ kind: 'assessment', firedSeq: 2 }]);

    // Restart: a new connection and a new scheduler find nothing left to do at the same moment.
    const reopened = await connect();
    const afterRestart = new Scheduler(reopened, clock);
    expect(await afterRestart.runDue()).toBe(0);
    expect((await loadFamily(reopened, f.id))!.version).toBe(2);

    // The next durable deadline (stagnation on the waiting list, 10 days) still fires, once.
    clock.set(new Date('2025-03-13T09:00:00.000Z'));
    expect(await afterRestart.runDue()).toBe(1);
    expect(await scheduler.runDue()).toBe(0);
    const last = (await listEvents(db, f.id)).at(-1);
    expect(last).toMatchObject({ seq: 3, type: 'stagnation.detected', payload: { phase: 'reported' } });
  });

  it('fires each timer exactly once with two schedulers on two connections running at once', async () => {
    for (let i = 0; i < 12; i++) {
      clock.set(new Date(T0.getTime() + i * 3_600_000));
      await createFamily(db, reportInput({ reference: `VT-${i}`, acute: i % 3 === 0 }), { actor: users.vt, clock, machineVersion: V1 });
    }
    clock.set(new Date(T0.getTime() + 40 * DAY));
    const due = await db.prisma.timer.count({ where: { status: 'pending', dueAt: { lte: clock.now() } } });
    expect(due).toBeGreaterThanOrEqual(24);

    const other = await connect();
    const a = new Scheduler(db, clock, { id: 'A', batchSize: 5 });
    const b = new Scheduler(other, clock, { id: 'B', batchSize: 5 });
    const [firedA, firedB] = await Promise.all([a.runDue(), b.runDue()]);

    const events = await systemEvents(db);
    expect(firedA + firedB).toBe(events.length);
    expect(new Set(events.map(keyOf)).size).toBe(events.length);
    expect(await db.prisma.timer.count({ where: { status: 'fired' } })).toBe(events.length);
    expect(await db.prisma.timer.count({ where: { status: 'pending', dueAt: { lte: clock.now() } } })).toBe(0);
    expect(events.length).toBeGreaterThanOrEqual(due);
    // Every fired timer points at the event it produced.
    for (const t of await db.prisma.timer.findMany({ where: { status: 'fired' } })) {
      const e = events.find((x) => x.familyId === t.familyId && x.seq === t.firedSeq);
      expect(e?.payload).toMatchObject(t.kind === 'stagnation' ? {} : { dueAt: t.dueAt.toISOString() });
    }
    expect(await Promise.all([a.runDue(), b.runDue()])).toEqual([0, 0]);
  });

  it('fires each timer exactly once with two scheduler processes at once', async () => {
    for (let i = 0; i < 10; i++) {
      clock.set(new Date(T0.getTime() + i * 3_600_000));
      await createFamily(db, reportInput({ reference: `VT-P${i}`, acute: i % 2 === 0 }), { actor: users.vt, clock, machineVersion: V1 });
    }
    const now = new Date(T0.getTime() + 30 * DAY);
    const due = await db.prisma.timer.count({ where: { status: 'pending', dueAt: { lte: now } } });
    expect(due).toBe(20);

    const children = [schedulerProcess(db, now, 'P1'), schedulerProcess(db, now, 'P2')];
    await Promise.all(children.map((c) => c.ready));
    for (const c of children) c.go();
    const fired = await Promise.all(children.map((c) => c.done));

    const events = await systemEvents(db);
    expect(fired[0]! + fired[1]!).toBe(20);
    expect(events).toHaveLength(20);
    expect(new Set(events.map(keyOf)).size).toBe(20);
    expect(await db.prisma.timer.count({ where: { status: 'fired' } })).toBe(20);
  });

  it('takes over a claim abandoned by a crash after the lease, and fires it once', async () => {
    const f = await createFamily(db, reportInput(), { actor: users.vt, clock, machineVersion: V1 });
    clock.set(new Date('2025-03-10T12:00:00.000Z'));

    const crashed = new Scheduler(db, clock, { id: 'crashed', leaseMs: 60_000 });
    const claimed = await crashed.claim();
    expect(claimed.map((t) => t.kind)).toEqual(['assessment']);
    // ...and the process dies before dispatching.

    const other = await connect();
    const survivor = new Scheduler(other, clock, { id: 'survivor', leaseMs: 60_000 });
    expect(await survivor.runDue()).toBe(0);
    expect((await loadFamily(db, f.id))!.version).toBe(1);

    clock.advance(61_000);
    expect(await survivor.runDue()).toBe(1);
    expect((await loadFamily(db, f.id))!.version).toBe(2);

    // The crashed process coming back to life cannot fire it a second time.
    expect(await crashed.fire(claimed[0]!)).toBe('lost');
    expect(await survivor.runDue()).toBe(0);
    expect(await crashed.runDue()).toBe(0);
    expect((await systemEvents(db)).map((e) => e.type)).toEqual(['deadline.missed']);
    expect(await db.prisma.timer.findFirst({ where: { kind: 'assessment' } })).toMatchObject({ status: 'fired', claimedBy: 'survivor' });
  });

  it('cancels a claimed timer when the family moves on before it fires', async () => {
    let f = await createFamily(db, reportInput(), { actor: users.vt, clock, machineVersion: V1 });
    clock.set(new Date('2025-03-10T12:00:00.000Z'));
    const slow = new Scheduler(db, clock, { id: 'slow' });
    const claimed = await slow.claim();
    expect(claimed).toHaveLength(1);

    f = await send(db, clock, f, users.vt, 'assessment.started', {});
    f = await send(
      db,
      clock,
      f,
      users.vt,
      'assessment.completed',
      { decision: 'close', acute: false, structural: false, conditions: [] },
      'Geen aanwijzingen voor onveiligheid',
    );
    expect(f.phase).toBe('closed');
    expect(await slow.fire(claimed[0]!)).toBe('lost');
    expect(await slow.runDue()).toBe(0);
    expect(await systemEvents(db)).toEqual([]);
    expect(await db.prisma.timer.findFirst({ where: { kind: 'assessment' } })).toMatchObject({ status: 'cancelled' });
  });

  it('expires a measure when its end passes', async () => {
    let f = await createFamily(db, reportInput(), { actor: users.vt, clock, machineVersion: V1 });
    f = await send(db, clock, f, users.vt, 'measure.imposed', {
      kind: 'huisverbod',
      startsAt: T0.toISOString(),
      endsAt: new Date(T0.getTime() + 10 * DAY).toISOString(),
    });
    const scheduler = new Scheduler(db, clock);
    clock.set(new Date(T0.getTime() + 10 * DAY));
    expect(await scheduler.runDue()).toBeGreaterThanOrEqual(1);
    f = (await loadFamily(db, f.id))!;
    expect(f.snapshot.context.measures).toMatchObject([{ kind: 'huisverbod', status: 'expired' }]);
    const types = (await systemEvents(db)).map((e) => e.type);
    expect(types.filter((t) => t === 'measure.expired')).toHaveLength(1);
    expect(await scheduler.runDue()).toBe(0);
  });

  it('catches up on a long pause in due order, once per deadline', async () => {
    const f = await createFamily(db, reportInput(), { actor: users.vt, clock, machineVersion: V1 });
    clock.set(new Date(T0.getTime() + 400 * DAY));
    const fired = await new Scheduler(db, clock).runDue();
    const events = await systemEvents(db);
    expect(fired).toBe(events.length);
    expect(events.map((e) => e.type)).toEqual(['deadline.missed', 'stagnation.detected']);
    expect((await loadFamily(db, f.id))!.nextDueAt).toBeNull();
  });
});
