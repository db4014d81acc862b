import { createHash } from 'node:crypto';
import type { DueTimer } from '../../machines/index.ts';
import type { TimerInsertRow } from '../db/timers.ts';

/**
 * A timer's id is derived from what it is for, so recomputing the same deadline after a later
 * event finds the same row: a timer that fired once is recognised and never scheduled again.
 */
export function timerId(familyId: string, t: Pick<DueTimer, 'kind' | 'ref' | 'dueAt'>): string {
  const dueAt = new Date(t.dueAt).toISOString();
  return createHash('sha256').update(`${familyId}\u0000${t.kind}\u0000${t.ref}\u0000${dueAt}`).digest('hex').slice(0, 40);
}

export type TimerPlan = {
  cancel: string[];
  create: TimerInsertRow[];
  rearm: string[];
  /** Earliest due time of the timers still to fire. */
  nextDueAt: Date | null;
  /** The kind of the timer due at nextDueAt (the first of the wanted ones, in the machine's order, on a tie). */
  nextDueKind: string | null;
};

/** The family columns a timer plan sets: when the next timer is due, and what for. */
export function nextDueColumns(plan: Pick<TimerPlan, 'nextDueAt' | 'nextDueKind'>): { nextDueAt: Date | null; nextDueKind: string | null } {
  return { nextDueAt: plan.nextDueAt, nextDueKind: plan.nextDueKind };
}

/**
 * Works out how to make the family's live timers equal the machine's `dueTimers` for its new
 * snapshot: timers no longer wanted are cancelled (pending or claimed: a claimed one then fails its
 * firing check), new ones are inserted, a cancelled one wanted again is re-armed; fired timers are
 * left alone. `existing` may be read before the append transaction: which timers have fired can
 * only change together with the family's version, which that transaction checks.
 */
export function planTimers(
  familyId: string,
  existing: readonly { id: string; status: string }[],
  wanted: readonly DueTimer[],
  /** `timerId` of each wanted timer, in order, where the caller already has them (a hash each). */
  wantedIds: readonly string[] = wanted.map((t) => timerId(familyId, t)),
): TimerPlan {
  const statusById = new Map(existing.map((t) => [t.id, t.status]));
  const wantedById = new Map(wanted.map((t, i) => [wantedIds[i]!, t]));
  const cancel = existing
    .filter((t) => (t.status === 'pending' || t.status === 'claimed') && !wantedById.has(t.id))
    .map((t) => t.id);
  const create: TimerInsertRow[] = [];
  const rearm: string[] = [];
  let nextDueAt: Date | null = null;
  let nextDueKind: string | null = null;
  for (const [id, t] of wantedById) {
    const status = statusById.get(id);
    if (status === 'fired') continue;
    const dueAt = new Date(t.dueAt);
    if (nextDueAt === null || dueAt < nextDueAt) {
      nextDueAt = dueAt;
      nextDueKind = t.kind;
    }
    if (status === undefined) {
      create.push({ id, familyId, kind: t.kind, ref: t.ref, dueAt, status: 'pending', event: JSON.stringify(t.event) });
    } else if (status === 'cancelled') {
      rearm.push(id);
    }
  }
  return { cancel, create, rearm, nextDueAt, nextDueKind };
}
