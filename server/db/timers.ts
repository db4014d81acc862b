/**
 * The Timer table: durable deadlines. Rows are derived from a family's snapshot at every append
 * (server/engine/timers.ts plans which to cancel, create and re-arm) and claimed and fired by the
 * scheduler (server/engine/scheduler.ts), exactly once.
 */
import { ifAppended, insertJsonCte, insertRows, jsonIdList, placeholders, type Cte, type DirectSql, type SqlRunner, type SqlValue } from './direct.ts';

export type TimerInsertRow = {
  id: string;
  familyId: string;
  kind: string;
  ref: string;
  dueAt: Date;
  status: string;
  event: string;
};

/** What to change so that a family's live timers equal the machine's wish. */
export type TimerWrites = { cancel: readonly string[]; create: readonly TimerInsertRow[]; rearm: readonly string[] };

/** Timer rows in bulk, every column given (the batch path: rows built in memory, server/engine/batch.ts). */
export async function insertTimerRows(q: SqlRunner, rows: readonly (TimerInsertRow & Record<string, SqlValue>)[]): Promise<void> {
  await insertRows(q, 'Timer', rows);
}

export async function writeTimers(q: SqlRunner, w: TimerWrites): Promise<void> {
  if (w.cancel.length > 0) {
    await q.run(
      `UPDATE "Timer" SET "status" = 'cancelled', "claimedBy" = NULL, "claimedAt" = NULL
       WHERE "id" IN (${placeholders(w.cancel.length)}) AND "status" IN ('pending', 'claimed')`,
      w.cancel,
    );
  }
  await insertRows(q, 'Timer', w.create);
  if (w.rearm.length > 0) {
    await q.run(
      `UPDATE "Timer" SET "status" = 'pending' WHERE "id" IN (${placeholders(w.rearm.length)}) AND "status" = 'cancelled'`,
      w.rearm,
    );
  }
}

/**
 * writeTimers as sub-statements of an append's one statement (append.ts), each applied only when the
 * family update was. The ids to cancel, create and re-arm are disjoint (engine/timers.ts planTimers),
 * so no row is changed twice in the statement.
 */
export function writeTimersCtes(w: TimerWrites): Cte[] {
  const out: Cte[] = [];
  if (w.cancel.length > 0) {
    const ids = jsonIdList(w.cancel);
    out.push({
      sql: `tc AS (UPDATE "Timer" SET "status" = 'cancelled', "claimedBy" = NULL, "claimedAt" = NULL
        WHERE "id" IN ${ids.sql} AND "status" IN ('pending', 'claimed') AND ${ifAppended})`,
      params: ids.params,
    });
  }
  const insert = insertJsonCte('Timer', w.create);
  if (insert) out.push({ sql: `tn AS (${insert.sql})`, params: insert.params });
  if (w.rearm.length > 0) {
    const ids = jsonIdList(w.rearm);
    out.push({
      sql: `tr AS (UPDATE "Timer" SET "status" = 'pending' WHERE "id" IN ${ids.sql} AND "status" = 'cancelled' AND ${ifAppended})`,
      params: ids.params,
    });
  }
  return out;
}

export type ClaimedTimer = { id: string; familyId: string; kind: string; ref: string; dueAt: Date; event: string; claimedAt: Date };

/**
 * Claims up to `limit` due (or abandoned: claimed before `leaseCutoff`) timers for `claimer`, earliest
 * first, in one statement: one claimer wins each timer. PostgreSQL: SKIP LOCKED, so concurrent
 * schedulers each take a different batch instead of queueing on one. SQLite: the statement runs
 * alone (one writer per file).
 */
export async function claimDueTimers(
  db: DirectSql,
  claimer: string,
  now: Date,
  leaseCutoff: Date,
  limit: number,
): Promise<ClaimedTimer[]> {
  const lock = db.provider === 'postgresql' ? ' FOR UPDATE SKIP LOCKED' : '';
  const rows = await db.transaction((q) =>
    q.all<{ id: string; familyId: string; kind: string; ref: string; dueAt: Date | string; event: string; claimedAt: Date | string }>(
      `UPDATE "Timer" SET "status" = 'claimed', "claimedBy" = ?, "claimedAt" = ?
       WHERE "id" IN (
         SELECT "id" FROM "Timer"
         WHERE ("status" = 'pending' AND "dueAt" <= ?) OR ("status" = 'claimed' AND "claimedAt" < ?)
         ORDER BY "dueAt" ASC
         LIMIT ?${lock}
       )
       RETURNING "id", "familyId", "kind", "ref", "dueAt", "event", "claimedAt"`,
      [claimer, now, now, leaseCutoff, limit],
    ),
  );
  // RETURNING carries no declared column types on SQLite: DateTime comes back as stored text.
  return rows
    .map((r) => ({ ...r, dueAt: new Date(r.dueAt), claimedAt: new Date(r.claimedAt) }))
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
}

/** The earliest pending timer due at or before `until`. */
export async function nextPendingDue(q: SqlRunner, until: Date): Promise<Date | null> {
  const row = await q.get<{ dueAt: Date }>(
    `SELECT "dueAt" FROM "Timer" WHERE "status" = 'pending' AND "dueAt" <= ? ORDER BY "dueAt" ASC LIMIT 1`,
    [until],
  );
  return row ? new Date(row.dueAt) : null;
}

type Claim = { id: string; claimer: string; claimedAt: Date };

/** Marks a claimed timer fired by event `seq`; false when the claim is no longer this claimer's. */
export async function markTimerFired(q: SqlRunner, c: Claim, firedAt: Date, seq: number): Promise<boolean> {
  const marked = await q.run(
    `UPDATE "Timer" SET "status" = 'fired', "firedAt" = ?, "firedSeq" = ?
     WHERE "id" = ? AND "status" = 'claimed' AND "claimedBy" = ? AND "claimedAt" = ?`,
    [firedAt, seq, c.id, c.claimer, c.claimedAt],
  );
  return marked === 1;
}

/** Cancels a claimed timer the family no longer wants; false when the claim is no longer this claimer's. */
export async function cancelClaimedTimer(q: SqlRunner, c: Claim): Promise<boolean> {
  const done = await q.run(
    `UPDATE "Timer" SET "status" = 'cancelled' WHERE "id" = ? AND "status" = 'claimed' AND "claimedBy" = ? AND "claimedAt" = ?`,
    [c.id, c.claimer, c.claimedAt],
  );
  return done === 1;
}
