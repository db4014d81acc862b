import type { Role } from '../../machines/schemas/common.ts';
import type { AccessLogRow, UserRef } from '../../contract/index.ts';
import type { Principal } from '../auth/policy.ts';
import { visibleAs, visibleFamiliesWhere } from '../auth/policy.ts';
import { MONITORED_OVERSIGHT } from '../engine/projections.ts';
import { toFamilyRecord, type EventRecord, type FamilyRecord } from '../engine/records.ts';
import { toEventRecord } from '../engine/records.ts';
import { writeAccessLog, writeAccessLogDirect, type AccessAction, type AccessEntry } from './accessLog.ts';
import { placeholders, type Db, type SqlRunner, type SqlValue, type Tx } from './index.ts';

// Reads of family data for the HTTP layer. Each one writes its access-log row (NEN 7513) in the same
// transaction as the read, so a read that is not logged cannot have happened, and a denied attempt
// is logged as well.

const TX_OPTIONS = { maxWait: 20_000, timeout: 15_000 } as const;

/** Who reads, from where, at what (clock) time. */
export type Viewer = { principal: Principal; ip: string | null; at: Date };

function entry(
  v: Viewer,
  familyId: string | null,
  action: AccessAction,
  result: AccessEntry['result'],
  role?: Role,
): AccessEntry {
  return {
    at: v.at,
    userId: v.principal.id,
    username: v.principal.username,
    role: role ?? v.principal.roles.join(','),
    familyId,
    action,
    result,
    ip: v.ip,
  };
}

/** Logs an attempt that was refused before any family data was read (403 by role, 404 unseen). */
export async function logDenied(
  db: Db,
  v: Viewer,
  familyId: string | null,
  action: AccessAction,
  result: 'denied' | 'not_found',
): Promise<void> {
  await writeAccessLog(db.prisma, entry(v, familyId, action, result));
}

/** A Db whose client is the open transaction: engine read helpers then read inside it. */
export function txDb(db: Db, tx: Tx): Db {
  return { ...db, prisma: tx as unknown as Db['prisma'] };
}

export type FamilyAccess = { family: FamilyRecord; roles: Role[] };

/**
 * Reads one family for a viewer: loads it, checks visibility, runs `read` and logs, in one
 * transaction. Null when the family does not exist or is not theirs to see (logged `not_found`).
 */
export async function readFamily<T>(
  db: Db,
  v: Viewer,
  familyId: string,
  action: AccessAction,
  read: (tx: Tx, access: FamilyAccess) => Promise<T>,
): Promise<{ value: T } | null> {
  return db.prisma.$transaction(async (tx) => {
    const row = await tx.family.findUnique({ where: { id: familyId } });
    const roles = row ? visibleAs(v.principal, row) : [];
    if (!row || roles.length === 0) {
      await writeAccessLog(tx, entry(v, familyId, action, 'not_found'));
      return null;
    }
    const family = toFamilyRecord(row);
    const value = await read(tx, { family, roles });
    await writeAccessLog(tx, entry(v, familyId, action, 'ok', roles[0]));
    return { value };
  }, TX_OPTIONS);
}

export async function userRefsTx(tx: Tx, ids: Iterable<string | null | undefined>): Promise<Map<string, UserRef>> {
  const wanted = [...new Set([...ids].filter((id): id is string => typeof id === 'string' && id.length > 0))];
  if (wanted.length === 0) return new Map();
  const rows = await tx.user.findMany({
    where: { id: { in: wanted } },
    select: { id: true, username: true, displayName: true },
  });
  return new Map(rows.map((r) => [r.id, r]));
}

export type FamilyFilter = {
  phase?: string;
  municipality?: string;
  directorId?: string;
  q?: string;
  /** Only open (not closed) families: the caller filters on derived deadlines afterwards. */
  openOnly?: boolean;
};

function familyWhere(visible: Record<string, unknown>, f: FamilyFilter): Record<string, unknown> {
  const and: Record<string, unknown>[] = [visible];
  if (f.phase) and.push({ OR: [{ phase: f.phase }, { phase: { startsWith: `${f.phase}.` } }] });
  if (f.municipality) and.push({ municipality: f.municipality });
  if (f.directorId) and.push({ directorId: f.directorId });
  if (f.openOnly) and.push({ NOT: { phase: 'closed' } });
  if (f.q) {
    // LIKE is case-insensitive on SQLite and case-sensitive on PostgreSQL: ask for the usual spellings.
    const variants = [...new Set([f.q, f.q.toUpperCase(), f.q.toLowerCase()])];
    and.push({ OR: variants.flatMap((q) => [{ reference: { contains: q } }, { municipality: { contains: q } }]) });
  }
  return { AND: and };
}

export type ListResult = { families: FamilyRecord[]; total: number; refs: Map<string, UserRef> };

/**
 * The families a viewer may see, filtered and paged, with one access-log row per family listed
 * (one row without family when the page is empty). `keep` filters on derived facts (overdue) before
 * paging; with it every candidate is loaded, without it the database pages.
 */
export async function listFamilies(
  db: Db,
  v: Viewer,
  filter: FamilyFilter,
  page: { page: number; pageSize: number },
  keep?: (f: FamilyRecord) => boolean,
): Promise<ListResult> {
  const visible = visibleFamiliesWhere(v.principal);
  return db.prisma.$transaction(async (tx) => {
    let families: FamilyRecord[] = [];
    let total = 0;
    if (visible) {
      const where = familyWhere(visible, filter);
      const orderBy = [{ nextDueAt: { sort: 'asc' as const, nulls: 'last' as const } }, { reportedAt: 'asc' as const }, { id: 'asc' as const }];
      if (keep) {
        const all = (await tx.family.findMany({ where, orderBy })).map(toFamilyRecord).filter(keep);
        total = all.length;
        families = all.slice((page.page - 1) * page.pageSize, page.page * page.pageSize);
      } else {
        total = await tx.family.count({ where });
        const rows = await tx.family.findMany({ where, orderBy, skip: (page.page - 1) * page.pageSize, take: page.pageSize });
        families = rows.map(toFamilyRecord);
      }
    }
    const refs = await userRefsTx(tx, families.flatMap((f) => [f.directorId, f.pendingDirectorId]));
    const rows =
      families.length > 0
        ? families.map((f) => entry(v, f.id, 'list', 'ok', visibleAs(v.principal, f)[0]))
        : [entry(v, null, 'list', 'ok')];
    await tx.accessLog.createMany({ data: rows });
    return { families, total, refs };
  }, TX_OPTIONS);
}

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

/**
 * One page of the families under Veilig Thuis oversight after a handover (offered or accepted),
 * ordered overdue first and then by the earliest due date (the two coincide: a family is overdue
 * once that date has passed), with one access-log row per family listed.
 */
export async function monitoringPage(
  db: Db,
  v: Viewer,
  page: { page: number; pageSize: number },
): Promise<{ rows: MonitoringRow[]; total: number; refs: Map<string, UserRef> }> {
  const visible = visibleFamiliesWhere(v.principal);
  return db.prisma.$transaction(async (tx) => {
    let rows: MonitoringRow[] = [];
    let total = 0;
    if (visible) {
      const where = { AND: [visible, { oversight: { in: [...MONITORED_OVERSIGHT] } }] };
      // Count and page from Family_monitoring_list_idx alone, then read only the page's rows.
      total = await tx.family.count({ where });
      const ids = (
        await tx.family.findMany({
          where,
          select: { id: true },
          orderBy: [{ monitorDueAt: { sort: 'asc', nulls: 'last' } }, { reference: 'asc' }, { id: 'asc' }],
          skip: (page.page - 1) * page.pageSize,
          take: page.pageSize,
        })
      ).map((r) => r.id);
      const byId = new Map(
        (
          await tx.family.findMany({
            where: { id: { in: ids } },
            select: {
              id: true,
              reference: true,
              municipality: true,
              region: true,
              phase: true,
              oversight: true,
              escalation: true,
              directorId: true,
              pendingDirectorId: true,
              monitorDueAt: true,
              monitoring: true,
            },
          })
        ).map((r) => [r.id, r]),
      );
      rows = ids.map((id) => byId.get(id)!);
    }
    const refs = await userRefsTx(tx, rows.flatMap((f) => [f.directorId, f.pendingDirectorId]));
    const log =
      rows.length > 0
        ? rows.map((f) => entry(v, f.id, 'monitoring', 'ok', visibleAs(v.principal, f)[0]))
        : [entry(v, null, 'monitoring', 'ok')];
    await tx.accessLog.createMany({ data: log });
    return { rows, total, refs };
  }, TX_OPTIONS);
}

/** History rows with the usernames of their actors, read and logged in one transaction. */
export async function eventsWithActors(tx: Tx, familyId: string, uptoSeq?: number): Promise<{ events: EventRecord[]; refs: Map<string, UserRef> }> {
  const rows = await tx.event.findMany({
    where: { familyId, ...(uptoSeq !== undefined ? { seq: { lte: uptoSeq } } : {}) },
    orderBy: { seq: 'asc' },
  });
  const events = rows.map(toEventRecord);
  const refs = await userRefsTx(tx, events.map((e) => e.actor.id));
  return { events, refs };
}

// ------------------------------------------------------------------ figures

export type KpiScope = { from: Date; to: Date; municipality?: string };

/** A series of fact values and the order statistics (0-based indexes into its ascending values) wanted of it. */
export type KpiSeries = { kind: string; indexes: (count: number) => number[] };

export type KpiData = {
  /** Waiting families (phase reported) now, and the earliest start of their waits. */
  waiting: { count: number; oldestSince: Date | null };
  /** The facts of the period by kind: how many, and the sum of their values. */
  facts: ReadonlyMap<string, { count: number; sum: number }>;
  /** The wanted order statistics per series: index → value. */
  ranks: ReadonlyMap<string, ReadonlyMap<number, number>>;
};

/**
 * A family filter of the kind visibleFamiliesWhere builds (AND/OR of column equalities, `{}` for
 * every family) as SQL on the Family row `alias`. Anything else is refused rather than guessed at:
 * the figures must see exactly the families the list sees.
 */
export function familyFilterSql(where: Record<string, unknown>, alias: string, params: SqlValue[]): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(where)) {
    if (key === 'AND' || key === 'OR') {
      if (!Array.isArray(value)) throw new Error(`family filter: ${key} must be a list`);
      const list = (value as Record<string, unknown>[]).map((w) => `(${familyFilterSql(w, alias, params)})`);
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

/** Walking a kind's values in order (index) instead of sorting the period's values pays off from about here. */
const SORT_LIMIT = 20_000;

/**
 * What the figures are made of, aggregated from the KPI facts of the period (see
 * server/engine/projections.ts) and the waiting families' columns, with the same visibility as the
 * family list and one access-log row (`kpis`) in the same transaction. Memory stays bounded:
 * - every family (an auditor without municipality): counts and sums per kind from the
 *   (kind, at, value) index; a median or percentile reads only its one or two values (ORDER BY
 *   value LIMIT/OFFSET), nothing is loaded;
 * - a subset (a municipality, a VT region, a director's families): the subset's families are found
 *   first and their facts of the period (kind and value only) read in one pass and tallied here.
 * Direct SQL: Prisma can express neither the join order nor the index hint.
 */
export async function kpiData(
  db: Db,
  v: Viewer,
  scope: KpiScope,
  wanted: {
    kinds: readonly string[];
    series: readonly KpiSeries[];
    /** Above this many values an order statistic walks the value index (SQLite); tests lower it. */
    sortLimit?: number;
  },
): Promise<KpiData> {
  const visible = visibleFamiliesWhere(v.principal);
  return db.direct.transaction(async (q) => {
    let waiting: KpiData['waiting'] = { count: 0, oldestSince: null };
    let facts = new Map<string, { count: number; sum: number }>();
    let ranks = new Map<string, Map<number, number>>();
    if (visible) {
      const base = { AND: [visible, ...(scope.municipality ? [{ municipality: scope.municipality }] : [])] };
      const params: SqlValue[] = [];
      const familySql = familyFilterSql(base, 'f', params);
      const w = await q.get<{ n: number | bigint; oldest: Date | string | null }>(
        `SELECT COUNT(*) AS "n", MIN(f."waitingSince") AS "oldest" FROM "Family" f WHERE ${familySql} AND f."phase" = ?`,
        [...params, 'reported'],
      );
      // An aggregate has no declared type: SQLite hands the DateTime text back as it is stored.
      waiting = { count: Number(w?.n ?? 0), oldestSince: w?.oldest ? new Date(w.oldest) : null };
      const everyFamily = Object.keys(visible).length === 0 && !scope.municipality;
      ({ facts, ranks } = everyFamily
        ? await everyFamilyFacts(q, db.provider, scope, wanted)
        : await subsetFacts(q, familySql, params, scope, wanted));
    }
    await writeAccessLogDirect(q, entry(v, null, 'kpis', 'ok'));
    return { waiting, facts, ranks };
  });
}

async function everyFamilyFacts(
  q: SqlRunner,
  provider: Db['provider'],
  scope: KpiScope,
  wanted: { kinds: readonly string[]; series: readonly KpiSeries[]; sortLimit?: number },
): Promise<{ facts: Map<string, { count: number; sum: number }>; ranks: Map<string, Map<number, number>> }> {
  const facts = new Map<string, { count: number; sum: number }>();
  const ranks = new Map<string, Map<number, number>>();
  if (wanted.kinds.length === 0) return { facts, ranks };
  // One range of the (kind, at, value) index per kind.
  const counts = await q.all<{ kind: string; n: number | bigint; s: number | null }>(
    wanted.kinds
      .map(() => 'SELECT ? AS "kind", COUNT(*) AS "n", SUM("value") AS "s" FROM "KpiFact" WHERE "kind" = ? AND "at" >= ? AND "at" <= ?')
      .join(' UNION ALL '),
    wanted.kinds.flatMap((k) => [k, k, scope.from, scope.to]),
  );
  for (const c of counts) if (Number(c.n) > 0) facts.set(c.kind, { count: Number(c.n), sum: Number(c.s ?? 0) });
  for (const series of wanted.series) {
    const count = facts.get(series.kind)?.count ?? 0;
    if (count === 0) continue;
    // SQLite's planner would sort; past SORT_LIMIT values the (kind, value, at) index is cheaper.
    const hint = provider === 'sqlite' && count > (wanted.sortLimit ?? SORT_LIMIT) ? ' INDEXED BY "KpiFact_kind_value_at_idx"' : '';
    ranks.set(
      series.kind,
      await orderStatistics(series.indexes(count), (offset, take) =>
        q.all<{ value: number }>(
          `SELECT "value" FROM "KpiFact"${hint} WHERE "kind" = ? AND "at" >= ? AND "at" <= ? ORDER BY "value" LIMIT ? OFFSET ?`,
          [series.kind, scope.from, scope.to, take, offset],
        ),
      ),
    );
  }
  return { facts, ranks };
}

/** Reads the values at the wanted (0-based, ascending) indexes; adjacent ones in one query. */
async function orderStatistics(
  indexes: number[],
  read: (offset: number, take: number) => Promise<{ value: number }[]>,
): Promise<Map<number, number>> {
  const wanted = [...new Set(indexes)].sort((a, b) => a - b);
  const values = new Map<number, number>();
  for (let i = 0; i < wanted.length; ) {
    let j = i;
    while (j + 1 < wanted.length && wanted[j + 1] === wanted[j]! + 1) j++;
    const rows = await read(wanted[i]!, wanted[j]! - wanted[i]! + 1);
    rows.forEach((r, k) => values.set(wanted[i]! + k, Number(r.value)));
    i = j + 1;
  }
  return values;
}

async function subsetFacts(
  q: SqlRunner,
  familySql: string,
  familyParams: SqlValue[],
  scope: KpiScope,
  wanted: { kinds: readonly string[]; series: readonly KpiSeries[] },
): Promise<{ facts: Map<string, { count: number; sum: number }>; ranks: Map<string, Map<number, number>> }> {
  const facts = new Map<string, { count: number; sum: number }>();
  const ranks = new Map<string, Map<number, number>>();
  if (wanted.kinds.length === 0) return { facts, ranks };
  // CROSS JOIN keeps SQLite's join order: the subset's families first, then their facts.
  const rows = await q.all<{ kind: string; value: number | null }>(
    `SELECT k."kind" AS "kind", k."value" AS "value" FROM "Family" f CROSS JOIN "KpiFact" k
     WHERE k."familyId" = f."id" AND ${familySql} AND k."kind" IN (${placeholders(wanted.kinds.length)}) AND k."at" >= ? AND k."at" <= ?`,
    [...familyParams, ...wanted.kinds, scope.from, scope.to],
  );
  const values = new Map<string, number[]>();
  for (const r of rows) {
    const f = facts.get(r.kind) ?? { count: 0, sum: 0 };
    f.count++;
    if (r.value !== null) {
      f.sum += Number(r.value);
      const list = values.get(r.kind) ?? [];
      list.push(Number(r.value));
      values.set(r.kind, list);
    }
    facts.set(r.kind, f);
  }
  for (const series of wanted.series) {
    const sorted = (values.get(series.kind) ?? []).sort((a, b) => a - b);
    if (sorted.length === 0) continue;
    ranks.set(series.kind, new Map(series.indexes(sorted.length).map((i) => [i, sorted[i]!])));
  }
  return { facts, ranks };
}

// ------------------------------------------------------------------ access log

export type AccessLogFilter = { familyId?: string; userId?: string; from?: Date; to?: Date; page: number; pageSize: number };

/** The access log, newest first. Reading it is itself logged. */
export async function readAccessLog(db: Db, v: Viewer, f: AccessLogFilter): Promise<{ items: AccessLogRow[]; total: number }> {
  return db.prisma.$transaction(async (tx) => {
    const at: Record<string, Date> = {};
    if (f.from) at.gte = f.from;
    if (f.to) at.lte = f.to;
    const where = {
      ...(f.familyId ? { familyId: f.familyId } : {}),
      ...(f.userId ? { userId: f.userId } : {}),
      ...(f.from || f.to ? { at } : {}),
    };
    const [total, rows] = await Promise.all([
      tx.accessLog.count({ where }),
      tx.accessLog.findMany({
        where,
        orderBy: [{ at: 'desc' }, { id: 'desc' }],
        skip: (f.page - 1) * f.pageSize,
        take: f.pageSize,
      }),
    ]);
    await writeAccessLog(tx, entry(v, f.familyId ?? null, 'access-log', 'ok', 'auditor'));
    return { total, items: rows.map((r) => ({ ...r, at: r.at.toISOString() })) };
  }, TX_OPTIONS);
}

export async function databaseHealthy(db: Db): Promise<boolean> {
  try {
    await db.prisma.user.count({ take: 1 });
    return true;
  } catch {
    return false;
  }
}
