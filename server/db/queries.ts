import type { Role } from '../../machines/schemas/common.ts';
import type { AccessLogRow, UserRef } from '../../machines/schemas/api.ts';
import type { Principal } from '../auth/policy.ts';
import { visibleAs, visibleFamiliesWhere } from '../auth/policy.ts';
import { toFamilyRecord, type EventRecord, type FamilyRecord } from '../engine/records.ts';
import { toEventRecord } from '../engine/records.ts';
import { writeAccessLog, type AccessAction, type AccessEntry } from './accessLog.ts';
import type { Db, Tx } from './index.ts';

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

/** Visibility only (no log): for writes, whose log row the engine writes in its own transaction. */
export async function familyVisibility(db: Db, principal: Principal, familyId: string): Promise<Role[] | null> {
  const row = await db.prisma.family.findUnique({
    where: { id: familyId },
    select: { region: true, directorId: true, pendingDirectorId: true },
  });
  if (!row) return null;
  const roles = visibleAs(principal, row);
  return roles.length > 0 ? roles : null;
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

/** Families under Veilig Thuis oversight after a handover (offered or accepted), logged per family. */
export async function monitoredFamilies(db: Db, v: Viewer): Promise<{ families: FamilyRecord[]; refs: Map<string, UserRef> }> {
  const visible = visibleFamiliesWhere(v.principal);
  return db.prisma.$transaction(async (tx) => {
    const families = visible
      ? (
          await tx.family.findMany({
            where: { AND: [visible, { oversight: { in: ['monitoring', 'handoverPending'] } }] },
            orderBy: [{ nextDueAt: { sort: 'asc', nulls: 'last' } }, { id: 'asc' }],
          })
        ).map(toFamilyRecord)
      : [];
    const refs = await userRefsTx(tx, families.flatMap((f) => [f.directorId, f.pendingDirectorId]));
    const rows =
      families.length > 0
        ? families.map((f) => entry(v, f.id, 'monitoring', 'ok', visibleAs(v.principal, f)[0]))
        : [entry(v, null, 'monitoring', 'ok')];
    await tx.accessLog.createMany({ data: rows });
    return { families, refs };
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

export type KpiEventRow = {
  familyId: string;
  seq: number;
  type: string;
  recordedAt: Date;
  occurredAt: Date | null;
  stateAfter: string;
  payload: string;
};

export type KpiData = {
  /** Waiting families (phase reported) now, with their snapshots. */
  waiting: FamilyRecord[];
  /** Every event up to `to` of each visible family that had an event in the period, by family and seq. */
  events: KpiEventRow[];
};

/**
 * The rows the figures are computed from, with the same visibility as the family list and one
 * access-log row (`kpis`) in the same transaction. Aggregation happens in TypeScript so that the
 * SQL stays the portable subset Prisma generates for both backends.
 */
export async function kpiData(db: Db, v: Viewer, scope: KpiScope): Promise<KpiData> {
  const visible = visibleFamiliesWhere(v.principal);
  return db.prisma.$transaction(async (tx) => {
    let waiting: FamilyRecord[] = [];
    let events: KpiEventRow[] = [];
    if (visible) {
      const base: Record<string, unknown>[] = [visible];
      if (scope.municipality) base.push({ municipality: scope.municipality });
      waiting = (await tx.family.findMany({ where: { AND: [...base, { phase: 'reported' }] } })).map(toFamilyRecord);
      events = await tx.event.findMany({
        where: {
          recordedAt: { lte: scope.to },
          family: { AND: [...base, { events: { some: { recordedAt: { gte: scope.from, lte: scope.to } } } }] },
        },
        select: { familyId: true, seq: true, type: true, recordedAt: true, occurredAt: true, stateAfter: true, payload: true },
        orderBy: [{ familyId: 'asc' }, { seq: 'asc' }],
      });
    }
    await writeAccessLog(tx, entry(v, null, 'kpis', 'ok'));
    return { waiting, events };
  }, TX_OPTIONS);
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
