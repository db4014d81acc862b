/**
 * The Family table: one row per case, holding the machine's snapshot, the query columns derived from
 * it and the projection's list columns (server/engine/projections.ts). Explicit column lists: a new
 * column never leaks into a read by accident, and the hot path reads only what it uses.
 */
import { APPENDED, insertRows, placeholders, updateSql, type Cte, type SqlRunner, type SqlValue } from './direct.ts';
import type { Family } from './generated/sqlite/client.ts';

/** The columns a family record is made of (server/engine/records.ts). */
const RECORD_COLUMNS = [
  'id',
  'reference',
  'municipality',
  'region',
  'version',
  'machineVersion',
  'snapshot',
  'createdAt',
  'updatedAt',
  'phase',
  'oversight',
  'escalation',
  'directorId',
  'pendingDirectorId',
  'nextDueAt',
  'acute',
  'reportedAt',
  'closedAt',
] as const;

export type FamilyRecordRow = Pick<Family, (typeof RECORD_COLUMNS)[number]>;
/** What an append reads of the family it appends to: the record and the projection cursor. */
export type FamilyAppendRow = FamilyRecordRow &
  Pick<Family, 'kpiState' | 'projectionVersion'> & {
    /** The hash of the family's last event (seq = version), the link the next event chains onto; null when it is missing. */
    lastHash: string | null;
  };

const columnList = (columns: readonly string[], alias?: string) =>
  columns.map((c) => (alias ? `${alias}."${c}"` : `"${c}"`)).join(', ');

const RECORD_SELECT = columnList(RECORD_COLUMNS);
/** The columns an append reads (findFamilyForAppend). */
export const APPEND_COLUMNS = [...RECORD_COLUMNS, 'kpiState', 'projectionVersion'] as const;
const APPEND_SELECT = columnList(APPEND_COLUMNS);

/** A new family row (the planned insert of server/engine/append.ts planCreate). */
export type FamilyInsertRow = Record<string, SqlValue> & { id: string };

export async function insertFamilies(q: SqlRunner, rows: readonly FamilyInsertRow[]): Promise<void> {
  await insertRows(q, 'Family', rows);
}

export async function findFamily(q: SqlRunner, id: string): Promise<FamilyRecordRow | undefined> {
  return q.get<FamilyRecordRow>(`SELECT ${RECORD_SELECT} FROM "Family" WHERE "id" = ?`, [id]);
}

/**
 * The family as an append needs it (the write path's one read of the row), with the hash of its last
 * event in the same statement: events are never changed, and the append's conditional version update
 * proves that event is still the last, so the transaction need not read it again.
 */
export async function findFamilyForAppend(q: SqlRunner, id: string): Promise<FamilyAppendRow | undefined> {
  return q.get<FamilyAppendRow>(
    `SELECT ${APPEND_SELECT}, (SELECT e."hash" FROM "Event" e WHERE e."familyId" = f."id" AND e."seq" = f."version") AS "lastHash" FROM "Family" f WHERE f."id" = ?`,
    [id],
  );
}

/** The family that holds `reference` in `region` (references are unique per region), if any. */
export async function familyIdByReference(q: SqlRunner, region: string, reference: string): Promise<string | undefined> {
  return (await q.get<{ id: string }>('SELECT "id" FROM "Family" WHERE "region" = ? AND "reference" = ?', [region, reference]))?.id;
}

export async function familyVersion(q: SqlRunner, id: string): Promise<number | undefined> {
  return (await q.get<{ version: number }>('SELECT "version" FROM "Family" WHERE "id" = ?', [id]))?.version;
}

/** Version and snapshot only (the scheduler's check whether a timer is still wanted). */
export async function familyState(q: SqlRunner, id: string): Promise<{ version: number; snapshot: string } | undefined> {
  return q.get<{ version: number; snapshot: string }>('SELECT "version", "snapshot" FROM "Family" WHERE "id" = ?', [id]);
}

/**
 * The conditional update of an append: applies `changes` only while the family is still at
 * `version`. False when someone else appended first (the caller's version conflict).
 */
export async function updateFamilyAtVersion(
  q: SqlRunner,
  id: string,
  version: number,
  changes: Record<string, SqlValue>,
): Promise<boolean> {
  const update = updateSql('Family', changes, '"id" = ? AND "version" = ?');
  return (await q.run(update.sql, [...update.params, id, version])) === 1;
}

/**
 * updateFamilyAtVersion as the first sub-statement of an append in one statement (append.ts): it
 * returns the family's row (id, municipality) only when it applied, and every other write joins it.
 */
export function updateFamilyAtVersionCte(id: string, version: number, changes: Record<string, SqlValue>): Cte {
  const update = updateSql('Family', changes, '"id" = ? AND "version" = ? RETURNING "id", "municipality"');
  return { sql: `${APPENDED} AS (${update.sql})`, params: [...update.params, id, version] };
}

// ------------------------------------------------------------------ visibility as SQL

/**
 * Which families a reader may see, as data: an AND/OR tree of column equalities (`{}` for every
 * family), built by server/auth/policy.ts visibleFamiliesWhere. The persistence module only turns
 * it into SQL; it knows no roles.
 */
export type FamilyScope = Record<string, unknown>;

/**
 * A FamilyScope as SQL on the Family row `alias`. Anything else than AND/OR of plain equalities is
 * refused rather than guessed at: the figures must see exactly the families the list sees.
 */
export function familyFilterSql(where: FamilyScope, alias: string, params: SqlValue[]): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(where)) {
    if (key === 'AND' || key === 'OR') {
      if (!Array.isArray(value)) throw new Error(`family filter: ${key} must be a list`);
      const list = (value as FamilyScope[]).map((w) => `(${familyFilterSql(w, alias, params)})`);
      parts.push(list.length > 0 ? list.join(` ${key} `) : key === 'AND' ? '1 = 1' : '1 = 0');
    } else if (!/^[A-Za-z]+$/.test(key)) {
      throw new Error(`family filter: unexpected key ${JSON.stringify(key)}`);
    } else if (value === null) {
      parts.push(`${alias}."${key}" IS NULL`);
    } else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      parts.push(`${alias}."${key}" = ?`);
      params.push(value);
    } else {
      throw new Error(`family filter: ${key} is not a plain equality`);
    }
  }
  return parts.length > 0 ? parts.join(' AND ') : '1 = 1';
}

// ------------------------------------------------------------------ the family list

export type FamilyFilter = {
  phase?: string;
  municipality?: string;
  directorId?: string;
  /** Only families whose pending handover is offered to this user (the director's inbox). */
  offeredTo?: string;
  /** Only families with a handover pending. */
  handoverPending?: boolean;
  /** Only families with an open escalation. */
  escalated?: boolean;
  /** true: only families with an owed deadline due at or before `at`; false: only those without. */
  overdue?: { overdue: boolean; at: Date };
  q?: string;
};

/** The list's orders (the contract's `sort`); every one ends on reference and id so pages never overlap. */
type FamilyColumn = 'nextDueAt' | 'reportedAt' | 'reference' | 'municipality' | 'phase' | 'waiting';
export type FamilyOrder = FamilyColumn | `-${FamilyColumn}`;

/** `%`, `_` and the escape character itself as plain characters of a LIKE pattern (ESCAPE '\\'). */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function listWhere(scope: FamilyScope, f: FamilyFilter, params: SqlValue[]): string {
  const and = [familyFilterSql(scope, 'f', params)];
  if (f.phase) {
    and.push(`(f."phase" = ? OR f."phase" LIKE ? ESCAPE '\\')`);
    params.push(f.phase, `${likeLiteral(f.phase)}.%`);
  }
  if (f.municipality) {
    and.push('f."municipality" = ?');
    params.push(f.municipality);
  }
  if (f.directorId) {
    and.push('f."directorId" = ?');
    params.push(f.directorId);
  }
  if (f.offeredTo) {
    and.push(`f."pendingDirectorId" = ? AND f."oversight" = 'handoverPending'`);
    params.push(f.offeredTo);
  }
  if (f.handoverPending) and.push(`f."oversight" = 'handoverPending'`);
  if (f.escalated) and.push(`f."escalation" <> 'none'`);
  if (f.overdue) {
    // overdueAt is the projection's earliest owed due date (server/engine/projections.ts owedDeadlines).
    and.push(f.overdue.overdue ? 'f."overdueAt" <= ?' : `(f."overdueAt" IS NULL OR f."overdueAt" > ?)`);
    params.push(f.overdue.at);
  }
  if (f.q) {
    // Case-insensitive on both backends (LIKE is case-sensitive on PostgreSQL), and literal: % and _
    // are escaped (issue 11 item 4).
    const pattern = `%${likeLiteral(f.q.toLowerCase())}%`;
    and.push(`LOWER(f."reference") LIKE ? ESCAPE '\\' OR LOWER(f."municipality") LIKE ? ESCAPE '\\'`);
    params.push(pattern, pattern);
  }
  return and.map((c) => `(${c})`).join(' AND ');
}

/** The phases in the order of the approach (the `phase` sort); sub-states sort with their phase. */
const PHASE_ORDER = ['reported', 'assessment', 'investigation', 'directSafety', 'stableSafety', 'recovery', 'closed'];
const PHASE_RANK = `CASE ${PHASE_ORDER.map((p, i) => `WHEN f."phase" = '${p}' OR f."phase" LIKE '${p}.%' THEN ${i}`).join(' ')} ELSE ${PHASE_ORDER.length} END`;

/** The waiting list's urgency (the projection's `urgency` column): acute, high, regular, untriaged. */
const URGENCY_RANK = `CASE f."urgency" WHEN 'acute' THEN 0 WHEN 'high' THEN 1 WHEN 'regular' THEN 2 ELSE 3 END`;

const ORDER_BY: Record<FamilyOrder, string> = {
  nextDueAt: 'f."nextDueAt" ASC NULLS LAST, f."reportedAt" ASC',
  '-nextDueAt': 'f."nextDueAt" DESC NULLS LAST, f."reportedAt" ASC',
  reportedAt: 'f."reportedAt" ASC',
  '-reportedAt': 'f."reportedAt" DESC',
  reference: 'f."reference" ASC',
  '-reference': 'f."reference" DESC',
  municipality: 'f."municipality" ASC',
  '-municipality': 'f."municipality" DESC',
  phase: `${PHASE_RANK} ASC, f."phase" ASC, f."nextDueAt" ASC NULLS LAST`,
  '-phase': `${PHASE_RANK} DESC, f."phase" DESC, f."nextDueAt" ASC NULLS LAST`,
  // The waiting list (familyCase@2): waiting families first, most urgent first, then the longest wait.
  waiting: `CASE WHEN f."waitingSince" IS NULL THEN 1 ELSE 0 END ASC, ${URGENCY_RANK} ASC, f."waitingSince" ASC, f."nextDueAt" ASC NULLS LAST`,
  '-waiting': `CASE WHEN f."waitingSince" IS NULL THEN 1 ELSE 0 END ASC, ${URGENCY_RANK} DESC, f."waitingSince" DESC, f."nextDueAt" ASC NULLS LAST`,
};

const listOrder = (order: FamilyOrder) => `ORDER BY ${ORDER_BY[order]}, f."reference" ASC, f."id" ASC`;

/**
 * What a family list row is built from (server/cases/views.ts familySummary): plain columns and the
 * projection's list columns, no snapshot — the list neither reads nor parses one.
 */
const SUMMARY_COLUMNS = [
  'id',
  'reference',
  'municipality',
  'region',
  'version',
  'phase',
  'oversight',
  'escalation',
  'directorId',
  'pendingDirectorId',
  'acute',
  'reportedAt',
  'updatedAt',
  'nextDueAt',
  'nextDueKind',
  'overdueAt',
  'overdueKind',
  'urgency',
  'waitingSince',
  'planDisagreement',
] as const;

export type FamilySummaryRow = Pick<Family, (typeof SUMMARY_COLUMNS)[number]>;

/** One page of the families in scope that match the filter, in `order` (earliest deadline first by default), and how many match. */
export async function familiesPage(
  q: SqlRunner,
  scope: FamilyScope,
  filter: FamilyFilter,
  page: { page: number; pageSize: number },
  order: FamilyOrder = 'nextDueAt',
): Promise<{ rows: FamilySummaryRow[]; total: number }> {
  const params: SqlValue[] = [];
  const where = listWhere(scope, filter, params);
  const count = await q.get<{ n: number | bigint }>(`SELECT COUNT(*) AS "n" FROM "Family" f WHERE ${where}`, params);
  const rows = await q.all<FamilySummaryRow>(
    `SELECT ${columnList(SUMMARY_COLUMNS, 'f')} FROM "Family" f WHERE ${where} ${listOrder(order)} LIMIT ? OFFSET ?`,
    [...params, page.pageSize, (page.page - 1) * page.pageSize],
  );
  return { rows, total: Number(count?.n ?? 0) };
}

// ------------------------------------------------------------------ the monitoring list

/** A family row of the monitoring list: its plain columns and the projection's monitoring columns, no snapshot. */
export type MonitoringRow = {
  id: string;
  reference: string;
  municipality: string;
  region: string;
  phase: string;
  oversight: string;
  escalation: string;
  directorId: string | null;
  pendingDirectorId: string | null;
  monitorDueAt: Date | null;
  /** JSON of server/engine/projections.ts MonitoringFacts. */
  monitoring: string | null;
};

const MONITORING_COLUMNS = [
  'id',
  'reference',
  'municipality',
  'region',
  'phase',
  'oversight',
  'escalation',
  'directorId',
  'pendingDirectorId',
  'monitorDueAt',
  'monitoring',
] as const;

/**
 * One page of the families in scope the monitoring list holds (the projection gives each a
 * `monitorRank`: 0 when a first contact or first plan was missed, else 1), ordered by rank, the
 * earliest due date, then reference. Counted and paged from Family_monitoring_list_idx alone; only
 * the page's rows are read.
 */
export async function monitoringPage(
  q: SqlRunner,
  scope: FamilyScope,
  page: { page: number; pageSize: number },
): Promise<{ rows: MonitoringRow[]; total: number }> {
  const params: SqlValue[] = [];
  const where = `(${familyFilterSql(scope, 'f', params)}) AND f."monitorRank" IS NOT NULL`;
  const count = await q.get<{ n: number | bigint }>(`SELECT COUNT(*) AS "n" FROM "Family" f WHERE ${where}`, params);
  const ids = (
    await q.all<{ id: string }>(
      `SELECT f."id" FROM "Family" f WHERE ${where}
       ORDER BY f."monitorRank" ASC, f."monitorDueAt" ASC NULLS LAST, f."reference" ASC, f."id" ASC LIMIT ? OFFSET ?`,
      [...params, page.pageSize, (page.page - 1) * page.pageSize],
    )
  ).map((r) => r.id);
  if (ids.length === 0) return { rows: [], total: Number(count?.n ?? 0) };
  const byId = new Map(
    (
      await q.all<MonitoringRow>(
        `SELECT ${columnList(MONITORING_COLUMNS)} FROM "Family" WHERE "id" IN (${placeholders(ids.length)})`,
        ids,
      )
    ).map((r) => [r.id, r]),
  );
  return { rows: ids.map((id) => byId.get(id)!), total: Number(count?.n ?? 0) };
}

// ------------------------------------------------------------------ projection backfill

export type StaleProjectionRow = {
  id: string;
  version: number;
  projectionVersion: number | null;
  snapshot: string;
  reportedAt: Date;
  nextDueAt: Date | null;
};

const STALE = '("projectionVersion" IS NULL OR "projectionVersion" <> ?)';

/** How many families lack a projection of `current` version. */
export async function countStaleProjections(q: SqlRunner, current: number): Promise<number> {
  return Number((await q.get<{ n: number | bigint }>(`SELECT COUNT(*) AS "n" FROM "Family" WHERE ${STALE}`, [current]))?.n ?? 0);
}

/** The next `limit` families (by id, after `after`) lacking a projection of `current` version. */
export async function staleProjections(q: SqlRunner, current: number, after: string, limit: number): Promise<StaleProjectionRow[]> {
  return q.all<StaleProjectionRow>(
    `SELECT "id", "version", "projectionVersion", "snapshot", "reportedAt", "nextDueAt" FROM "Family" WHERE ${STALE} AND "id" > ? ORDER BY "id" LIMIT ?`,
    [current, after, limit],
  );
}

/** Writes a family's projection columns while its version and projection version are still those read. */
export async function updateProjectionColumns(
  q: SqlRunner,
  f: Pick<StaleProjectionRow, 'id' | 'version' | 'projectionVersion'>,
  columns: Record<string, SqlValue>,
): Promise<boolean> {
  const update = updateSql(
    'Family',
    columns,
    f.projectionVersion === null
      ? '"id" = ? AND "version" = ? AND "projectionVersion" IS NULL'
      : '"id" = ? AND "version" = ? AND "projectionVersion" = ?',
  );
  const params = [...update.params, f.id, f.version, ...(f.projectionVersion === null ? [] : [f.projectionVersion])];
  return (await q.run(update.sql, params)) === 1;
}

/** How many families there are (the total of a check of all families). */
export async function countFamilies(q: SqlRunner): Promise<number> {
  return Number((await q.get<{ n: number | bigint }>('SELECT COUNT(*) AS "n" FROM "Family"'))?.n ?? 0);
}

/** The next `limit` families by id after `after`: what a check of their chains needs of the row. */
export async function familiesAfter(
  q: SqlRunner,
  after: string,
  limit: number,
): Promise<{ id: string; reference: string; version: number; region: string; directorId: string | null; pendingDirectorId: string | null }[]> {
  return q.all(
    `SELECT "id", "reference", "version", "region", "directorId", "pendingDirectorId" FROM "Family" WHERE "id" > ? ORDER BY "id" LIMIT ?`,
    [after, limit],
  );
}

/** Which of `ids` are families (a bulk upgrade refuses a list naming an unknown one). */
export async function existingFamilyIds(q: SqlRunner, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await q.all<{ id: string }>(`SELECT "id" FROM "Family" WHERE "id" IN (${placeholders(ids.length)})`, [...ids]);
  return rows.map((r) => r.id);
}

/** How many families are on a machine version older than `version` (the total of an upgrade of all). */
export async function countOlderFamilies(q: SqlRunner, version: number): Promise<number> {
  const row = await q.get<{ n: number | bigint }>('SELECT COUNT(*) AS "n" FROM "Family" WHERE "machineVersion" < ?', [version]);
  return Number(row?.n ?? 0);
}

/** The next `limit` family ids by id after `after` on a machine version older than `version`. */
export async function olderFamiliesAfter(q: SqlRunner, version: number, after: string, limit: number): Promise<string[]> {
  const rows = await q.all<{ id: string }>(
    `SELECT "id" FROM "Family" WHERE "machineVersion" < ? AND "id" > ? ORDER BY "id" LIMIT ?`,
    [version, after, limit],
  );
  return rows.map((r) => r.id);
}

/** The families holding any of `references` (in any region). */
export async function familiesByReferences(q: SqlRunner, references: readonly string[]): Promise<{ id: string; reference: string }[]> {
  if (references.length === 0) return [];
  return q.all(`SELECT "id", "reference" FROM "Family" WHERE "reference" IN (${placeholders(references.length)})`, [...references]);
}
