import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { dueTimers, type PersistedFamily } from '../../machines/index.ts';
import type { Clock, ManualClock } from '../clock.ts';
import { familyState } from '../db/families.ts';
import type { Db } from '../db/index.ts';
import { cancelClaimedTimer, claimDueTimers, markTimerFired, nextPendingDue, type ClaimedTimer } from '../db/timers.ts';
import { isAppError } from '../errors.ts';
import { loadNorms } from './norms.ts';
import { dispatch } from './store.ts';
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

type Claimed = ClaimedTimer;

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
      const next = await nextPendingDue(this.#db.direct, target);
      if (!next) break;
      if (next.getTime() > clock.now().getTime()) clock.set(next);
      const n = await this.runDue();
      fired += n;
      // A timer that could not fire stays claimed until its lease ends: do not spin on it.
      if (n === 0 && next.getTime() <= clock.now().getTime()) break;
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
  claim(): Promise<Claimed[]> {
    const now = this.#clock.now();
    return claimDueTimers(this.#db.direct, this.id, now, new Date(now.getTime() - this.#leaseMs), this.#batchSize);
  }

  /**
   * Appends the timer's system event and marks it fired in one transaction. 'stale' when the family
   * no longer wants this timer (it is cancelled), 'lost' when another scheduler took it over.
   */
  async fire(timer: Claimed): Promise<'fired' | 'stale' | 'lost' | 'failed'> {
    for (let attempt = 0; attempt < CONFLICT_RETRIES; attempt++) {
      try {
        return await this.#fireOnce(timer);
      } catch (e) {
        if (e instanceof ClaimLost) return 'lost';
        if (isAppError(e) && e.code === 'conflict') continue;
        if (isAppError(e) && (e.code === 'unprocessable' || e.code === 'forbidden' || e.code === 'validation')) {
          // The machine refuses it in the family's current state: the deadline no longer applies.
          this.#onError(e, timer);
          return (await this.#release(timer)) ? 'stale' : 'lost';
        }
        this.#onError(e, timer);
        return 'failed';
      }
    }
    return 'failed';
  }

  async #fireOnce(timer: Claimed): Promise<'fired' | 'stale'> {
    const row = await familyState(this.#db.direct, timer.familyId);
    const snapshot = row ? (JSON.parse(row.snapshot) as PersistedFamily) : null;
    const norms = await loadNorms(this.#db);
    const stillWanted =
      snapshot !== null && dueTimers(snapshot, norms).some((t) => timerId(timer.familyId, t) === timer.id);
    if (!row || !stillWanted) {
      if (!(await this.#release(timer))) throw new ClaimLost();
      return 'stale';
    }
    const { type, payload } = JSON.parse(timer.event) as { type: string; payload: unknown };
    const firedAt = this.#clock.now();
    await dispatch(
      this.#db,
      { familyId: timer.familyId, type, payload, expectedVersion: row.version, actor: SYSTEM_ACTOR },
      { clock: { now: () => firedAt } },
      async (tx, { seq }) => {
        if (!(await markTimerFired(tx, this.#claim(timer), firedAt, seq))) throw new ClaimLost();
      },
    );
    return 'fired';
  }

  #claim(timer: Claimed) {
    return { id: timer.id, claimer: this.id, claimedAt: timer.claimedAt };
  }

  #release(timer: Claimed): Promise<boolean> {
    return cancelClaimedTimer(this.#db.direct, this.#claim(timer));
  }
}

class ClaimLost extends Error {}
