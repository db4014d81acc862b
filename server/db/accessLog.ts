/**
 * The AccessLog table (NEN 7513): one row per read, list, write or export of family data, denied
 * attempts included. Insert-only. `writeAccessLog` is the one writer: every row of the log is
 * written through it, inside the transaction of what it logs where there is one.
 */
import { insertRows, whereGiven, type SqlRunner } from './direct.ts';

export type AccessAction =
  | 'create'
  | 'read'
  | 'list'
  | 'write'
  | 'history'
  | 'replay'
  | 'verify'
  | 'export'
  | 'monitoring'
  | 'kpis'
  | 'access-log'
  /** POST /clock: moving the manual clock changes every family's deadlines (no family of its own). */
  | 'clock';

/** 'ok', 'denied', 'not_found', 'refused' (a 4xx on an otherwise permitted action), 'error'. */
export type AccessResult = 'ok' | 'denied' | 'not_found' | 'refused' | 'error';

export type AccessEntry = {
  at: Date;
  userId: string | null;
  username: string | null;
  role: string | null;
  familyId: string | null;
  action: AccessAction;
  result: AccessResult;
  ip: string | null;
};

/** Who acts, from where, for the log. */
export type AccessActor = { userId: string; username: string; role: string; ip: string | null };

/** The one way a row of the log is made. */
export function accessEntry(
  who: AccessActor,
  at: Date,
  familyId: string | null,
  action: AccessAction,
  result: AccessResult,
): AccessEntry {
  return { at, userId: who.userId, username: who.username, role: who.role, familyId, action, result, ip: who.ip };
}

export async function writeAccessLog(q: SqlRunner, entries: AccessEntry | readonly AccessEntry[]): Promise<void> {
  await insertRows(q, 'AccessLog', Array.isArray(entries) ? entries : [entries as AccessEntry]);
}

/** A row as read back, its instant as ISO text. */
export type AccessLogRow = Omit<AccessEntry, 'at'> & { id: number; at: string };

export type AccessLogFilter = { familyId?: string; userId?: string; from?: Date; to?: Date; page: number; pageSize: number };

/** One page of the log, newest first, and how many rows match. */
export async function accessLogPage(q: SqlRunner, f: AccessLogFilter): Promise<{ items: AccessLogRow[]; total: number }> {
  const { clause, params } = whereGiven([
    ['"familyId" = ?', f.familyId],
    ['"userId" = ?', f.userId],
    ['"at" >= ?', f.from],
    ['"at" <= ?', f.to],
  ]);
  const count = await q.get<{ n: number | bigint }>(`SELECT COUNT(*) AS "n" FROM "AccessLog" ${clause}`, params);
  const rows = await q.all<Omit<AccessLogRow, 'at'> & { at: Date }>(
    `SELECT "id", "at", "userId", "username", "role", "familyId", "action", "result", "ip" FROM "AccessLog" ${clause}
     ORDER BY "at" DESC, "id" DESC LIMIT ? OFFSET ?`,
    [...params, f.pageSize, (f.page - 1) * f.pageSize],
  );
  return { total: Number(count?.n ?? 0), items: rows.map((r) => ({ ...r, at: r.at.toISOString() })) };
}
