import { maxInstant } from './calendar.ts';
import type { FamilyContext } from './context.ts';

// Facts derived from a whole list of the context — the latest report date, the active measures — kept per
// list instance, so asking twice costs nothing, and carried from one snapshot to the next when the machine
// appends to or replaces an item of that list (familyCase.machine.ts reports every change it makes), so
// a long history is not re-read on every event. A snapshot that did not come from the machine (parsed
// from the database) pays one pass per list on first use. Snapshots are immutable values: a list is
// never changed in place, so a fact cached for a list instance stays true.

/** One change the machine made to a list: `before` undefined means `after` was appended at `index`. */
export type ListChange<T> = { index: number; before: T | undefined; after: T };

type Carrier = (
  before: readonly unknown[],
  after: readonly unknown[],
  changes: readonly ListChange<unknown>[],
) => void;

const carriers: Carrier[] = [];

/**
 * A fact of a list, memoised per list instance. `apply` gives the fact after one change, or `undefined`
 * when it cannot tell without a pass over the list (the fact is then derived again on first use).
 */
function listFact<T, V>(
  compute: (list: readonly T[]) => V,
  apply: (value: V, change: ListChange<T>) => V | undefined,
): (list: readonly T[]) => V {
  const cache = new WeakMap<readonly T[], { value: V }>();
  carriers.push((before, after, changes) => {
    const hit = cache.get(before as readonly T[]);
    if (!hit) return;
    let value: V | undefined = hit.value;
    for (const change of changes as readonly ListChange<T>[]) {
      value = apply(value, change);
      if (value === undefined) return;
    }
    cache.set(after as readonly T[], { value });
  });
  return (list) => {
    const hit = cache.get(list);
    if (hit) return hit.value;
    const value = compute(list);
    cache.set(list, { value });
    return value;
  };
}

/** Called by the machine for every list an action replaced by a changed copy. */
export function carryListFacts(
  before: readonly unknown[],
  after: readonly unknown[],
  changes: readonly ListChange<unknown>[],
): void {
  for (const carry of carriers) carry(before, after, changes);
}

/**
 * `maxInstant` for the instants the context stores: normalised to UTC by `toISOString`, so two of the
 * usual length compare as text, without parsing (a fresh snapshot's first pass stays cheap).
 */
function later(a: string, b: string): string {
  const text = a.length === 24 && b.length === 24 && a.endsWith('Z') && b.endsWith('Z');
  return text ? (a >= b ? a : b) : maxInstant(a, b);
}

/** The latest instant of an append-only list; on equal instants the first one (as a left fold of `maxInstant`). */
function latestInstant<T>(at: (item: T) => string) {
  const step = (latest: string | null, item: T) => {
    const t = at(item);
    return latest === null ? t : later(latest, t);
  };
  return listFact<T, string | null>(
    (list) => list.reduce(step, null),
    (latest, change) => (change.before === undefined ? step(latest, change.after) : undefined),
  );
}

/** Indices (ascending) of the items that are still open. */
function openIndices<T>(isOpen: (item: T) => boolean) {
  return listFact<T, readonly number[]>(
    (list) => {
      const open: number[] = [];
      list.forEach((item, i) => {
        if (isOpen(item)) open.push(i);
      });
      return open;
    },
    (open, { index, before, after }) => {
      const without = before !== undefined && isOpen(before) ? open.filter((i) => i !== index) : open;
      if (!isOpen(after)) return without;
      if (without.length === 0 || without.at(-1)! < index) return [...without, index];
      return [...without, index].sort((a, b) => a - b);
    },
  );
}

type Ctx = FamilyContext;

export const latestReportDate = latestInstant((r: Ctx['reports'][number]) => r.receivedAt);
export const latestIncidentDate = latestInstant((i: Ctx['incidents'][number]) => i.occurredAt);
export const latestCheckAt = latestInstant((k: Ctx['checks'][number]) => k.recordedAt);
export const latestFollowUpStart = latestInstant((at: string) => at);
export const activeMeasureIndices = openIndices((m: Ctx['measures'][number]) => m.status === 'active');
export const unresolvedEscalationIndices = openIndices((e: Ctx['escalations'][number]) => !e.resolvedAt);

/** The measure with this id: active ones are looked up first (ids are unique), the rest only when needed. */
export function measureIndexById(measures: readonly Ctx['measures'][number][], id: string): number {
  for (const i of activeMeasureIndices(measures)) if (measures[i]!.id === id) return i;
  return measures.findIndex((m) => m.id === id);
}
