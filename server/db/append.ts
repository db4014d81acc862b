/**
 * What one append writes, across the tables it touches (Family, Event, KpiFact, Timer, AccessLog),
 * and the one read it makes after the machine has run (the family's timers and the names its answer
 * shows). The engine (server/engine/store.ts) decides what is written; this file decides how many
 * statements it takes.
 *
 * On PostgreSQL every statement is a round trip over the network, and each costs the server more CPU
 * than the SQL itself (BENCHMARKS.md, issue 17): an append used to take BEGIN, the family update,
 * the event, the KPI facts, the timers, the access-log row and COMMIT. `appendAtOnce` writes it all
 * in one statement of data-modifying CTEs, run on its own (autocommit: one statement is one
 * transaction). Every write but the family update depends on that update's row (direct.ts
 * APPENDED), so the conditional version update still decides: a lost race writes nothing at all.
 * On SQLite a statement costs microseconds and the commit is shared (group commit), so the writes
 * run one by one inside the runner's transaction (`appendWrites`).
 */
import { appendedAccessLogCte, writeAccessLog, type AccessEntry } from './accessLog.ts';
import { APPENDED, placeholders, type Cte, type DirectSql, type SqlRunner, type SqlValue } from './direct.ts';
import { insertEvents, insertEventsCtes, type EventRow } from './events.ts';
import { updateFamilyAtVersion, updateFamilyAtVersionCte } from './families.ts';
import { insertKpiFactsCte, writeKpiFacts, type KpiFactRow } from './kpiFacts.ts';
import { writeTimers, writeTimersCtes, type TimerWrites } from './timers.ts';
import type { UserRef } from './users.ts';

export type AppendWrites = {
  familyId: string;
  /** The version the family must still be at (the optimistic-concurrency check). */
  version: number;
  /** The family columns to set. */
  changes: Record<string, SqlValue>;
  events: readonly EventRow[];
  facts: readonly KpiFactRow[];
  /** The facts replace every fact of the family (a refold): not in the one statement. */
  replaceFacts: boolean;
  timers: TimerWrites;
  /** Access-log rows written with the append; `assigned` given (the actor of the event is assigned). */
  accessLog: readonly (AccessEntry & { assigned: boolean })[];
};

/**
 * The family's timers that can matter to an append — live ones (to cancel) and the ones wanted now
 * (fired or cancelled before); fired and cancelled timers accumulate with the history and are not
 * read — and the display references of `userIds`, in one statement.
 */
export async function appendReads(
  q: SqlRunner,
  familyId: string,
  wantedIds: readonly string[],
  userIds: Iterable<string | null | undefined>,
): Promise<{ timers: { id: string; status: string }[]; refs: Map<string, UserRef> }> {
  const users = [...new Set([...userIds].filter((id): id is string => typeof id === 'string' && id.length > 0))];
  // Two arms, each through its own index: the live ones by (familyId, status), the wanted ones by id.
  // One condition with OR between them was read through (familyId) alone: every timer the family
  // ever had, 7,500 at 10,000 events (BENCHMARKS.md, session 15). UNION drops a timer both arms find.
  const timerArm = (where: string) =>
    `SELECT 't' AS "k", "id", "status", NULL AS "username", NULL AS "displayName" FROM "Timer" WHERE "familyId" = ? AND ${where}`;
  const live = timerArm(`"status" IN ('pending', 'claimed')`);
  const [timerSql, timerParams] =
    wantedIds.length > 0
      ? [`${live} UNION ${timerArm(`"id" IN (${placeholders(wantedIds.length)})`)}`, [familyId, familyId, ...wantedIds]]
      : [live, [familyId]];
  const userSql = `SELECT 'u' AS "k", "id", NULL AS "status", "username", "displayName" FROM "User" WHERE "id" IN (${placeholders(users.length)})`;
  const rows = await q.all<{ k: 't' | 'u'; id: string; status: string | null; username: string | null; displayName: string | null }>(
    users.length > 0 ? `${timerSql} UNION ALL ${userSql}` : timerSql,
    [...timerParams, ...users],
  );
  const timers: { id: string; status: string }[] = [];
  const refs = new Map<string, UserRef>();
  for (const r of rows) {
    if (r.k === 't') timers.push({ id: r.id, status: r.status! });
    else refs.set(r.id, { id: r.id, username: r.username!, displayName: r.displayName! });
  }
  return { timers, refs };
}

/** Whether `appendAtOnce` can write this append (a refold of the KPI facts deletes first: not in one statement). */
const fitsOneStatement = (w: AppendWrites): boolean => !w.replaceFacts;

/** Ends a transaction whose family update found the family moved on (nothing was written). */
class StaleVersion extends Error {}

/**
 * Writes an append atomically, in as few round trips as the backend allows: on PostgreSQL one
 * statement (`appendAtOnce`), on SQLite, and wherever `between` must run inside the transaction
 * (the scheduler's firing mark, an upgrade's admin-log row) or the KPI facts are refolded, one
 * transaction (`appendWrites`). False, with nothing written, when the family is no longer at
 * `w.version`.
 */
export async function writeAppend(db: DirectSql, w: AppendWrites, between?: (tx: SqlRunner) => Promise<void>): Promise<boolean> {
  if (!between && db.provider === 'postgresql' && fitsOneStatement(w)) return appendAtOnce(db, w);
  try {
    return await db.transaction(async (q) => {
      if (!(await appendWrites(q, w, between && (() => between(q))))) throw new StaleVersion();
      return true;
    });
  } catch (e) {
    if (e instanceof StaleVersion) return false;
    throw e;
  }
}

/**
 * The writes of an append one statement at a time, inside the caller's transaction; `between` runs
 * after the event and its facts and before the timers (the scheduler's firing mark must find its
 * timer still claimed). False, with nothing written, when the family is no longer at `w.version`.
 */
async function appendWrites(
  q: SqlRunner,
  w: AppendWrites,
  between?: () => Promise<void>,
): Promise<boolean> {
  // The conditional update goes first: on PostgreSQL a concurrent writer waits on the row lock and
  // then finds the version moved on; the unique (familyId, seq) backs it up.
  if (!(await updateFamilyAtVersion(q, w.familyId, w.version, w.changes))) return false;
  await insertEvents(q, w.events);
  await writeKpiFacts(q, w.facts, w.replaceFacts ? w.familyId : undefined);
  if (between) await between();
  await writeTimers(q, w.timers);
  await writeAccessLog(q, w.accessLog);
  return true;
}

/**
 * PostgreSQL: the whole append as one statement, on its own (not inside a transaction: one statement
 * is atomic). The family update comes first and every other write joins it (server/db/direct.ts
 * APPENDED), so when the family is no longer at `w.version` nothing is written and this returns
 * false. Each repository builds the sub-statements of its table.
 */
async function appendAtOnce(q: SqlRunner, w: AppendWrites): Promise<boolean> {
  if (!fitsOneStatement(w)) throw new Error('appendAtOnce: a refold of the KPI facts needs appendWrites');
  const ctes = [
    updateFamilyAtVersionCte(w.familyId, w.version, w.changes),
    ...insertEventsCtes(w.familyId, w.events),
    insertKpiFactsCte(w.facts),
    ...writeTimersCtes(w.timers),
    appendedAccessLogCte('a', w.accessLog),
  ].filter((c): c is Cte => c !== null);
  const row = await q.get<{ n: number }>(
    `WITH ${ctes.map((c) => c.sql).join(',\n')}\nSELECT COUNT(*)::int AS "n" FROM ${APPENDED}`,
    ctes.flatMap((c) => c.params),
  );
  return row?.n === 1;
}
