/**
 * The AccessLog table (NEN 7513): one row per read, list, write or export of family data, denied
 * attempts included. Insert-only. `writeAccessLog` is the one writer: every row of the log is
 * written through it, inside the transaction of what it logs where there is one.
 */
import { ifAppended, insertJsonCte, insertRows, jsonIdList, placeholders, type Cte, type DirectSql, type SqlRunner, type SqlValue } from './direct.ts';
import { likeLiteral } from './families.ts';

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
  /**
   * Whether the user was ever assigned to the family, when the writer knows it (the family's
   * director or VT of its region reading it, the actor of the event just recorded); left out, the
   * writer decides it in SQL. Ignored for a row without family or user.
   */
  assigned?: boolean;
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
  assigned?: boolean,
): AccessEntry {
  const entry: AccessEntry = {
    at,
    userId: who.userId,
    username: who.username,
    role: who.role,
    familyId,
    action,
    result,
    ip: who.ip,
  };
  if (assigned !== undefined) entry.assigned = assigned;
  return entry;
}

export async function writeAccessLog(
  q: SqlRunner,
  entries: AccessEntry | readonly AccessEntry[],
): Promise<void> {
  const list: readonly AccessEntry[] = Array.isArray(entries) ? entries : [entries as AccessEntry];
  const decided = new Map<string, boolean>();
  const rows: (Omit<AccessEntry, 'assigned'> & { assigned: boolean | null })[] = [];
  for (const e of list) {
    let assigned: boolean | null = null;
    if (e.familyId && e.userId) {
      assigned = e.assigned ?? null;
      if (assigned === null) {
        const key = `${e.familyId} ${e.userId}`;
        assigned = decided.get(key) ?? (await assignedOf(q, e.familyId, e.userId));
        decided.set(key, assigned);
      }
    }
    rows.push({ ...e, assigned });
  }
  await insertRows(q, 'AccessLog', rows);
}

/**
 * Rows written on their own, durable when this returns, in the cheapest way each backend has: on
 * PostgreSQL autocommit statements (no BEGIN and COMMIT round trips), on SQLite one transaction of
 * the group commit (its COMMIT, and fsync, shared with the writes that arrive together).
 */
export async function writeAccessLogDurably(db: DirectSql, entries: AccessEntry | readonly AccessEntry[]): Promise<void> {
  if (db.provider === 'postgresql') await writeAccessLog(db, entries);
  else await db.transaction((q) => writeAccessLog(q, entries));
}

/** A row as read back, its instant as ISO text, with who and which family in words. */
export type AccessLogRow = Omit<AccessEntry, 'at' | 'assigned'> & {
  id: number;
  at: string;
  /** The user's display name now (null for an attempt without a user, or a user since removed). */
  displayName: string | null;
  familyReference: string | null;
  /**
   * Whether the user was ever the family's director or was offered it (acted on it, or was named by one
   * of its events), directs it or has it offered now, or works in Veilig Thuis for its region; null
   * when the row names no family or no user.
   */
  assigned: boolean | null;
};

export type AccessLogFilter = {
  familyId?: string;
  userId?: string;
  /** Part of the user name or display name, case-insensitive and literal. */
  username?: string;
  /** A family reference, exactly (or in capitals). */
  reference?: string;
  from?: Date;
  to?: Date;
  /** Only rows on a family by a user who was never assigned to it. */
  unassigned?: boolean;
  page: number;
  pageSize: number;
};

// Whether the row's user was ever assigned to the row's family, for a row that names both (`row` is
// the log row's table or alias). Each part is a probe by key: the family and the user by primary
// key, the family's events by (familyId, seq); the family comes first, as it decides most rows.
// A named user is stored as {"id":…,"roles":…} (JSON.stringify of namedUserSchema, id first).
// A household member (issue 15: user id `member:<familyId>:<memberId>`) is assigned to their own family.
const assignedSql = (row: string) => `(${row}."userId" = 'member:' || ${row}."familyId" || ':' || substr(${row}."userId", length(${row}."familyId") + 9)
  OR EXISTS (SELECT 1 FROM "Family" f2 WHERE f2."id" = ${row}."familyId"
    AND (f2."directorId" = ${row}."userId" OR f2."pendingDirectorId" = ${row}."userId"
      OR EXISTS (SELECT 1 FROM "User" u2 WHERE u2."id" = ${row}."userId" AND u2."region" = f2."region"
        AND (',' || u2."roles" || ',') LIKE '%,vt,%')))
  OR EXISTS (SELECT 1 FROM "Event" e WHERE e."familyId" = ${row}."familyId"
    AND (e."actorId" = ${row}."userId" OR e."named" LIKE '{"id":"' || ${row}."userId" || '",%')))`;

// The column "assigned" holds that condition, kept true by the three ways it can change: a row is
// written (writeAccessLog: given by the use case when it knows, e.g. the director reading their
// family or the actor of the event just recorded, else decided by assignedOf), an event names a user (userNamed: from then on the user was offered or
// given the family), a user's roles or region change (userRolesChanged: VT of the region or not).
// Directors and pending receivers come and go only through events that name them or that they
// record, so the family part never turns false for a row once its events hold the user.
// tests/http/accesslog.test.ts compares the column with the condition after a workload.
const ASSIGNED_NOW = assignedSql('"AccessLog"');

/** The condition for one (family, user) pair, decided now. */
async function assignedOf(q: SqlRunner, familyId: string, userId: string): Promise<boolean> {
  // The same condition as the column's (assignedSql), over a one-row table of the pair.
  const row = await q.get<{ a: number | bigint | boolean }>(
    `SELECT CASE WHEN ${assignedSql('pair')} THEN 1 ELSE 0 END AS "a"
       FROM (SELECT CAST(? AS TEXT) AS "familyId", CAST(? AS TEXT) AS "userId") pair`,
    [familyId, userId],
  );
  return Boolean(Number(row?.a ?? 0));
}

/** An event of the family named this user: every row of theirs on the family is now assigned. */
export async function userNamed(q: SqlRunner, familyId: string, userId: string): Promise<void> {
  // Through the family's index (its rows only): COALESCE keeps the (assigned, at) index, which would
  // walk every unassigned row of the country, out of the plan.
  await q.run(
    'UPDATE "AccessLog" SET "assigned" = ? WHERE "familyId" = ? AND "userId" = ? AND COALESCE("assigned", ?) = ?',
    [true, familyId, userId, true, false],
  );
}

/** userNamed for the users an append names, as a sub-statement of the append's one statement (append.ts). */
export function userNamedCte(name: string, familyId: string, userIds: readonly string[]): Cte {
  const users = jsonIdList(userIds);
  return {
    sql: `${name} AS (UPDATE "AccessLog" SET "assigned" = ? WHERE "familyId" = ? AND "userId" IN ${users.sql} AND COALESCE("assigned", ?) = ? AND ${ifAppended})`,
    params: [true, familyId, ...users.params, true, false],
  };
}

/**
 * The rows of a committed append, as a sub-statement of its one statement (append.ts): written only
 * when the append is; `assigned` is given (the actor of the event is assigned to its family).
 */
export function appendedAccessLogCte(name: string, entries: readonly (AccessEntry & { assigned: boolean })[]): Cte | null {
  const cte = insertJsonCte('AccessLog', entries);
  return cte && { sql: `${name} AS (${cte.sql})`, params: cte.params };
}

/** The user's roles or region changed: their rows are decided again (VT of a family's region or not). */
export async function userRolesChanged(q: SqlRunner, userId: string): Promise<void> {
  await q.run(
    `UPDATE "AccessLog" SET "assigned" = ${ASSIGNED_NOW} WHERE "userId" = ? AND "familyId" IS NOT NULL`,
    [userId],
  );
}

/** Rows whose "assigned" differs from the condition decided now (0 unless the upkeep above has a gap). */
export async function assignedDrift(q: SqlRunner): Promise<number> {
  const row = await q.get<{ n: number | bigint }>(
    `SELECT COUNT(*) AS "n" FROM "AccessLog" WHERE "familyId" IS NOT NULL AND "userId" IS NOT NULL
       AND ("assigned" IS NULL OR CASE WHEN ${ASSIGNED_NOW} THEN 1 ELSE 0 END <> CASE WHEN "assigned" THEN 1 ELSE 0 END)`,
  );
  return Number(row?.n ?? 0);
}

/**
 * The filter as SQL over the log (alias a). Name and reference are resolved to ids first (the user
 * table is small; references are indexed), so the log itself is read through its (userId, at) and
 * (familyId, at) indexes. Null: the name or reference matches nothing.
 */
async function filterSql(
  q: SqlRunner,
  f: AccessLogFilter,
): Promise<{ clause: string; params: SqlValue[] } | null> {
  const and: string[] = [];
  const params: SqlValue[] = [];
  const given = <T extends SqlValue>(sql: string, value: T | undefined) => {
    if (value === undefined || value === '') return;
    and.push(sql);
    params.push(value);
  };
  given('a."familyId" = ?', f.familyId);
  given('a."userId" = ?', f.userId);
  given('a."at" >= ?', f.from);
  given('a."at" <= ?', f.to);
  if (f.username !== undefined && f.username !== '') {
    const pattern = `%${likeLiteral(f.username.toLowerCase())}%`;
    const users = await q.all<{ id: string }>(
      `SELECT "id" FROM "User" WHERE LOWER("username") LIKE ? ESCAPE '\\' OR LOWER("displayName") LIKE ? ESCAPE '\\'`,
      [pattern, pattern],
    );
    if (users.length === 0) return null;
    and.push(`a."userId" IN (${placeholders(users.length)})`);
    params.push(...users.map((u) => u.id));
  }
  if (f.reference !== undefined && f.reference !== '') {
    const ref = f.reference.trim();
    const families = await q.all<{ id: string }>('SELECT "id" FROM "Family" WHERE "reference" IN (?, ?)', [
      ref,
      ref.toUpperCase(),
    ]);
    if (families.length === 0) return null;
    and.push(`a."familyId" IN (${placeholders(families.length)})`);
    params.push(...families.map((x) => x.id));
  }
  if (f.unassigned) {
    // Alone (or with a period) the (assigned, at) index finds the rows; with a family or user the
    // index of that one is the narrow one, and COALESCE keeps "assigned" out of the plan (SQLite
    // otherwise walked every unassigned row of the country for one family's).
    const narrow = [f.familyId, f.userId, f.username, f.reference].some((v) => v !== undefined && v !== '');
    and.push(narrow ? 'COALESCE(a."assigned", ?) = ?' : 'a."assigned" = ?');
    params.push(...(narrow ? [true, false] : [false]));
  }
  return { clause: and.length > 0 ? `WHERE ${and.join(' AND ')}` : '', params };
}

type RawRow = Omit<AccessLogRow, 'at' | 'assigned'> & { at: Date; assigned: number | boolean | null };

/** One page of the log, newest first, and how many rows match. */
export async function accessLogPage(
  q: SqlRunner,
  f: AccessLogFilter,
): Promise<{ items: AccessLogRow[]; total: number }> {
  const where = await filterSql(q, f);
  if (!where) return { items: [], total: 0 };
  const count = await q.get<{ n: number | bigint }>(
    `SELECT COUNT(*) AS "n" FROM "AccessLog" a ${where.clause}`,
    where.params,
  );
  const rows = await q.all<RawRow>(
    `SELECT a."id", a."at", a."userId", a."username", u."displayName" AS "displayName", a."role", a."familyId",
       f."reference" AS "familyReference", a."action", a."result", a."ip",
       a."assigned" AS "assigned"
     FROM "AccessLog" a LEFT JOIN "User" u ON u."id" = a."userId" LEFT JOIN "Family" f ON f."id" = a."familyId"
     ${where.clause}
     ORDER BY a."at" DESC, a."id" DESC LIMIT ? OFFSET ?`,
    [...where.params, f.pageSize, (f.page - 1) * f.pageSize],
  );
  return {
    total: Number(count?.n ?? 0),
    items: rows.map((r) => ({
      ...r,
      at: r.at.toISOString(),
      assigned: r.assigned === null ? null : Boolean(Number(r.assigned)),
    })),
  };
}
