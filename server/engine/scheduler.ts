import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { dueTimers, type PersistedFamily } from '../../machines/index.ts';
import type { Clock, ManualClock } from '../clock.ts';
import type { Db } from '../db/index.ts';
import { isAppError } from '../errors.ts';
import { withWriteLock } from './mutex.ts';
import { loadNorms } from './norms.ts';
import { dispatchUnlocked } from './store.ts';
import { timerId } from './timers.ts';

export type SchedulerOptions = {
  /** Identifies this process's claims; defaults to host, pid and a random suffix. */
  id?: string;
  /** A claim older than this (by the injected clock) counts as abandoned by a crashed process. */
  leaseMs?: number;
  /** Timers claimed per round. */
  batchSize?: number;
  /** Safety stop for one runDue call (a machine that kept producing due timers would loop). */
  maxFiresPerRun?: number;
  /** Called for each timer that could not be fired; defaults to silence (the timer stays claimed until its lease ends). */
  onError?: (error: unknown, timer: { id: string; familyId: string; kind: string }) => void;
};

type Claimed = { id: string; familyId: string; kind: string; ref: string; dueAt: Date; event: string; claimedAt: Date };

const SYSTEM_ACTOR = { id: 'system', role: 'system' } as const;
const CONFLICT_RETRIES = 5;

/**
 * Turns due durable timers into system events, exactly once: a timer is claimed atomically (one
 * claimer wins), and its event append and its `fired` mark commit in one transaction that also
 * re-checks the claim, so two schedulers, a restart or a crash between claim and fire never yield
 * a second event. A claim older than the lease is taken over by whoever runs next.
 */
export class Scheduler {
  readonly id: string;
  readonly #db: Db;
  readonly #clock: Clock;
  readonly #leaseMs: number;
  readonly #batchSize: number;
  readonly #maxFires: number;
  readonly #onError: NonNullable<SchedulerOptions['onError']>;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<number> | null = null;

  constructor(db: Db, clock: Clock, opts: SchedulerOptions = {}) {
    this.#db = db;
    this.#clock = clock;
    this.id = opts.id ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.#leaseMs = opts.leaseMs ?? 60_000;
    this.#batchSize = opts.batchSize ?? 50;
    this.#maxFires = opts.maxFiresPerRun ?? 10_000;
    this.#onError = opts.onError ?? (() => {});
  }

  /** Fires every timer due at the clock's now (including those that firing makes due); returns how many fired. */
  runDue(): Promise<number> {
    // One run at a time per scheduler: the interval and a manual clock call may overlap.
    const run = (this.#running ?? Promise.resolve(0)).then(() => this.#runOnce());
    this.#running = run.catch(() => 0);
    return run;
  }

  /**
   * Moves a manual clock to `target` one due time at a time, firing what falls due at each step, so
   * each system event is recorded at its own due time rather than all at the end of a long jump.
   */
  async advanceTo(clock: ManualClock, target: Date): Promise<number> {
    let fired = 0;
    for (;;) {
      const next = await this.#db.prisma.timer.findFirst({
        where: { status: 'pending', dueAt: { lte: target } },
        orderBy: { dueAt: 'asc' },
        select: { dueAt: true },
      });
      if (!next) break;
      if (next.dueAt.getTime() > clock.now().getTime()) clock.set(next.dueAt);
      const n = await this.runDue();
      fired += n;
      // A timer that could not fire stays claimed until its lease ends: do not spin on it.
      if (n === 0 && next.dueAt.getTime() <= clock.now().getTime()) break;
    }
    if (target.getTime() > clock.now().getTime()) clock.set(target);
    fired += await this.runDue();
    return fired;
  }

  start(intervalMs: number): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      this.runDue().catch((e: unknown) => this.#onError(e, { id: '', familyId: '', kind: 'run' }));
    }, intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running;
  }

  async #runOnce(): Promise<number> {
    let fired = 0;
    const failed = new Set<string>();
    while (fired < this.#maxFires) {
      const claimed = (await this.claim()).filter((t) => !failed.has(t.id));
      if (claimed.length === 0) break;
      for (const timer of claimed) {
        const outcome = await this.fire(timer);
        if (outcome === 'fired') fired++;
        if (outcome === 'failed') failed.add(timer.id);
      }
    }
    return fired;
  }

  /** Atomically claims up to batchSize due (or abandoned) timers, earliest first. */
  async claim(): Promise<Claimed[]> {
    const now = this.#clock.now();
    const leaseCutoff = new Date(now.getTime() - this.#leaseMs);
    if (this.#db.provider === 'postgresql') {
      // SKIP LOCKED: concurrent schedulers each take a different batch instead of queueing on one.
      const rows = await this.#db.prisma.$queryRaw<Claimed[]>`
        UPDATE "Timer" SET "status" = 'claimed', "claimedBy" = ${this.id}, "claimedAt" = ${now}
        WHERE "id" IN (
          SELECT "id" FROM "Timer"
          WHERE ("status" = 'pending' AND "dueAt" <= ${now})
             OR ("status" = 'claimed' AND "claimedAt" < ${leaseCutoff})
          ORDER BY "dueAt" ASC
          LIMIT ${this.#batchSize}
          FOR UPDATE SKIP LOCKED
        )
        RETURNING "id", "familyId", "kind", "ref", "dueAt", "event", "claimedAt"`;
      return rows.map((r) => ({ ...r, dueAt: new Date(r.dueAt), claimedAt: new Date(r.claimedAt) })).sort(byDue);
    }
    const candidates = await this.#db.prisma.timer.findMany({
      where: {
        OR: [
          { status: 'pending', dueAt: { lte: now } },
          { status: 'claimed', claimedAt: { lt: leaseCutoff } },
        ],
      },
      orderBy: { dueAt: 'asc' },
      take: this.#batchSize,
    });
    const claimed: Claimed[] = [];
    for (const c of candidates) {
      // Compare-and-set on what was read: another connection that claimed it first makes this a no-op.
      const won = await withWriteLock(this.#db, () =>
        this.#db.prisma.timer.updateMany({
          where: { id: c.id, status: c.status, claimedAt: c.claimedAt },
          data: { status: 'claimed', claimedBy: this.id, claimedAt: now },
        }),
      );
      if (won.count === 1) {
        claimed.push({ id: c.id, familyId: c.familyId, kind: c.kind, ref: c.ref, dueAt: c.dueAt, event: c.event, claimedAt: now });
      }
    }
    return claimed;
  }

  /**
   * Appends the timer's system event and marks it fired in one transaction. 'stale' when the family
   * no longer wants this timer (it is cancelled), 'lost' when another scheduler took it over.
   */
  async fire(timer: Claimed): Promise<'fired' | 'stale' | 'lost' | 'failed'> {
    for (let attempt = 0; attempt < CONFLICT_RETRIES; attempt++) {
      try {
        return await withWriteLock(this.#db, () => this.#fireOnce(timer));
      } catch (e) {
        if (e instanceof ClaimLost) return 'lost';
        if (isAppError(e) && e.code === 'conflict') continue;
        if (isAppError(e) && (e.code === 'unprocessable' || e.code === 'forbidden' || e.code === 'validation')) {
          // The machine refuses it in the family's current state: the deadline no longer applies.
          this.#onError(e, timer);
          return (await this.#release(timer, 'cancelled')) ? 'stale' : 'lost';
        }
        this.#onError(e, timer);
        return 'failed';
      }
    }
    return 'failed';
  }

  async #fireOnce(timer: Claimed): Promise<'fired' | 'stale'> {
    const row = await this.#db.prisma.family.findUnique({
      where: { id: timer.familyId },
      select: { version: true, snapshot: true },
    });
    const snapshot = row ? (JSON.parse(row.snapshot) as PersistedFamily) : null;
    const norms = await loadNorms(this.#db);
    const stillWanted =
      snapshot !== null && dueTimers(snapshot, norms).some((t) => timerId(timer.familyId, t) === timer.id);
    if (!row || !stillWanted) {
      if (!(await this.#releaseUnlocked(timer, 'cancelled'))) throw new ClaimLost();
      return 'stale';
    }
    const { type, payload } = JSON.parse(timer.event) as { type: string; payload: unknown };
    const firedAt = this.#clock.now();
    await dispatchUnlocked(
      this.#db,
      { familyId: timer.familyId, type, payload, expectedVersion: row.version, actor: SYSTEM_ACTOR },
      { clock: { now: () => firedAt } },
      async (tx, { seq }) => {
        const marked = await tx.run(
          `UPDATE "Timer" SET "status" = 'fired', "firedAt" = ?, "firedSeq" = ?
           WHERE "id" = ? AND "status" = 'claimed' AND "claimedBy" = ? AND "claimedAt" = ?`,
          [firedAt, seq, timer.id, this.id, timer.claimedAt],
        );
        if (marked !== 1) throw new ClaimLost();
      },
    );
    return 'fired';
  }

  #release(timer: Claimed, status: 'cancelled'): Promise<boolean> {
    return withWriteLock(this.#db, () => this.#releaseUnlocked(timer, status));
  }

  async #releaseUnlocked(timer: Claimed, status: 'cancelled'): Promise<boolean> {
    const done = await this.#db.prisma.timer.updateMany({
      where: { id: timer.id, status: 'claimed', claimedBy: this.id, claimedAt: timer.claimedAt },
      data: { status },
    });
    return done.count === 1;
  }
}

class ClaimLost extends Error {}

function byDue(a: Claimed, b: Claimed): number {
  return a.dueAt.getTime() - b.dueAt.getTime();
}
