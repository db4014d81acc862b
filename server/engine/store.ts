import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { Actor, Role } from '../../machines/schemas/common.ts';
import type { FamilyEvent, NamedUser } from '../../machines/schemas/events.ts';
import { createFamilySchema } from '../../contract/index.ts';
import { regionOf } from '../../machines/schemas/regions.ts';
import type { Clock } from '../clock.ts';
import { writeAccessLogDirect, type AccessAction } from '../db/accessLog.ts';
import {
  insertRows,
  isUniqueViolation,
  placeholders,
  updateSql,
  type Db,
  type Family,
  type SqlRunner,
} from '../db/index.ts';
import { AppError, isAppError } from '../errors.ts';
import {
  envelope,
  eventRow,
  issuesOf,
  planAppend,
  planCreate,
  stateAfterOf,
  timerPlanFor,
  validateCommand,
  validationError,
} from './append.ts';
import { withWriteLock } from './mutex.ts';
import { loadNorms } from './norms.ts';
// [projections] KPI facts and list columns, written in the append transactions below.
import { projectAppend, writeProjection } from './projections.ts';
import { toEventRecord, toFamilyRecord, type EventRecord, type FamilyRecord } from './records.ts';
import type { TimerPlan } from './timers.ts';

// The write path. Reads and writes go through direct SQL on Prisma's own connections
// (server/db/direct.ts): a transition used to cost 10–12 Prisma operations at 0.4–0.8 ms of CPU
// each (BENCHMARKS.md). What is written is worked out by the pure functions of append.ts, which the
// batch path shares.

export { stateAfterOf };

/** Who is acting, for the access log (NEN 7513). `ip` may be null for system work. */
export type AuditCtx = { userId: string; username: string; role: Role | string; ip: string | null };

export type NamedUserResolver = (id: string) => Promise<NamedUser | null>;

export type DispatchCommand = {
  familyId: string;
  type: string;
  payload: unknown;
  reason?: string | null;
  expectedVersion: number;
  /**
   * Who sends it. A function is the caller's authorisation: it sees the family as read for this
   * write (one read, no gap between check and act) and returns the actor, or throws the AppError
   * to answer (`not_found` for a family the caller may not see, `forbidden`), which is logged.
   */
  actor: Actor | ((family: FamilyRecord) => Actor);
};

export type DispatchContext = {
  clock: Clock;
  audit?: AuditCtx;
  /** Looks up a user a payload names (`directorId`); defaults to the User table (disabled users count as unknown). */
  resolveUser?: NamedUserResolver;
};

/** Work done inside the append transaction, after the event row and before commit (the scheduler's firing mark). */
export type TxHook = (tx: SqlRunner, appended: { seq: number }) => Promise<void>;

/** The request body of POST /families is the one schema for a new family (contract/). */
export const createFamilyInputSchema = createFamilySchema;
export type CreateFamilyInput = z.input<typeof createFamilyInputSchema>;

export type CreateFamilyContext = { actor: Actor; clock: Clock; audit?: AuditCtx };

const defaultResolver =
  (db: Db): NamedUserResolver =>
  async (id) => {
    const user = await db.direct.get<{ id: string; roles: string; disabledAt: Date | null }>(
      'SELECT "id", "roles", "disabledAt" FROM "User" WHERE "id" = ?',
      [id],
    );
    if (!user || user.disabledAt) return null;
    const roles = user.roles
      .split(',')
      .map((r) => r.trim())
      .filter((r): r is Role => r === 'vt' || r === 'director' || r === 'auditor' || r === 'admin');
    return { id: user.id, roles };
  };

/**
 * The user a payload names, with their roles now, recorded in the event so replay never looks the
 * user up again. An unknown user stays unresolved: the machine's `namedUserResolved` guard refuses.
 */
async function resolveNamed(
  db: Db,
  payload: Record<string, unknown>,
  ctx: { resolveUser?: NamedUserResolver },
): Promise<NamedUser | undefined> {
  const id = payload.directorId;
  if (typeof id !== 'string') return undefined;
  return (await (ctx.resolveUser ?? defaultResolver(db))(id)) ?? undefined;
}

/** Thrown inside the transaction so it rolls back; turned into a 409 outside it. */
class VersionConflict extends Error {}

async function currentVersionOf(db: Db, familyId: string): Promise<number | undefined> {
  const row = await db.direct.get<{ version: number }>('SELECT "version" FROM "Family" WHERE "id" = ?', [
    familyId,
  ]);
  return row?.version;
}

async function conflictError(db: Db, familyId: string): Promise<AppError> {
  const currentVersion = await currentVersionOf(db, familyId);
  return new AppError('conflict', 'The family changed since you read it', { currentVersion });
}

async function audit(
  q: SqlRunner,
  ctx: { audit?: AuditCtx; clock: Clock },
  familyId: string,
  action: AccessAction,
) {
  if (!ctx.audit) return;
  await writeAccessLogDirect(q, {
    at: ctx.clock.now(),
    userId: ctx.audit.userId,
    username: ctx.audit.username,
    role: ctx.audit.role,
    familyId,
    action,
    result: 'ok',
    ip: ctx.audit.ip,
  });
}

/** A refused write is logged too (result `refused`), outside the rolled-back transaction. */
async function auditRefusal(
  db: Db,
  ctx: { audit?: AuditCtx; clock: Clock },
  familyId: string | null,
  action: AccessAction,
  e: unknown,
) {
  if (!ctx.audit || !isAppError(e)) return;
  const result = e.code === 'not_found' ? 'not_found' : e.code === 'forbidden' ? 'denied' : 'refused';
  await withWriteLock(db, () =>
    writeAccessLogDirect(db.direct, {
      at: ctx.clock.now(),
      userId: ctx.audit!.userId,
      username: ctx.audit!.username,
      role: ctx.audit!.role,
      familyId,
      action,
      result,
      ip: ctx.audit!.ip,
    }),
  );
}

/** Makes the family's timer rows follow the plan (see planTimers). */
async function applyTimerPlan(q: SqlRunner, plan: TimerPlan): Promise<void> {
  if (plan.cancel.length > 0) {
    await q.run(
      `UPDATE "Timer" SET "status" = 'cancelled', "claimedBy" = NULL, "claimedAt" = NULL
       WHERE "id" IN (${placeholders(plan.cancel.length)}) AND "status" IN ('pending', 'claimed')`,
      plan.cancel,
    );
  }
  await insertRows(
    q,
    'Timer',
    plan.create.map((t) => ({
      id: t.id!,
      familyId: t.familyId,
      kind: t.kind,
      ref: t.ref,
      dueAt: new Date(t.dueAt),
      status: t.status,
      event: t.event,
    })),
  );
  if (plan.rearm.length > 0) {
    await q.run(
      `UPDATE "Timer" SET "status" = 'pending' WHERE "id" IN (${placeholders(plan.rearm.length)}) AND "status" = 'cancelled'`,
      plan.rearm,
    );
  }
}

/**
 * Registers a report as a new family: seq 1 is `report.received`, run through the machine like
 * every later event, so the history alone rebuilds the case.
 */
export async function createFamily(db: Db, input: unknown, ctx: CreateFamilyContext): Promise<FamilyRecord> {
  try {
    // No engine lock: the SQLite commit is grouped in server/db/direct.ts, and the version check
    // in the append transaction is the arbiter between writers.
    return await createFamilyUnlocked(db, input, ctx);
  } catch (e) {
    await auditRefusal(db, ctx, null, 'create', e);
    throw e;
  }
}

async function createFamilyUnlocked(db: Db, input: unknown, ctx: CreateFamilyContext): Promise<FamilyRecord> {
  const parsed = createFamilyInputSchema.safeParse(input);
  if (!parsed.success) throw validationError(issuesOf(parsed.error));
  const { reference, municipality, ...report } = parsed.data;
  const region = regionOf(municipality);
  if (!region)
    throw validationError([{ path: 'municipality', message: 'Unknown municipality / onbekende gemeente' }]);

  const norms = await loadNorms(db);
  const plan = planCreate(
    { id: randomUUID(), reference, municipality, region },
    report,
    ctx.actor,
    ctx.clock.now().toISOString(),
    norms,
  );
  await db.direct.transaction(async (q) => {
    await insertRows(q, 'Family', [plan.row]);
    await insertRows(q, 'Event', [plan.event]);
    await writeProjection(q, plan.projection);
    await applyTimerPlan(q, plan.timers);
    await audit(q, ctx, plan.row.id, 'create');
  });
  return toFamilyRecord(plan.row);
}

/**
 * Appends one event to a family: validate, run it through the machine, then in one transaction
 * claim the next seq (unique (familyId, seq) and the conditional version update are the arbiters),
 * store snapshot and query columns, re-derive the durable timers and write the access-log row.
 */
export async function dispatch(db: Db, cmd: DispatchCommand, ctx: DispatchContext): Promise<FamilyRecord> {
  try {
    return await dispatchUnlocked(db, cmd, ctx);
  } catch (e) {
    await auditRefusal(db, ctx, cmd.familyId, 'write', e);
    throw e;
  }
}

/** dispatch without the per-Db lock, with an optional hook inside the transaction (scheduler). */
export async function dispatchUnlocked(
  db: Db,
  cmd: DispatchCommand,
  ctx: DispatchContext,
  hook?: TxHook,
): Promise<FamilyRecord> {
  const row = await db.direct.get<Family>('SELECT * FROM "Family" WHERE "id" = ?', [cmd.familyId]);
  // Authorisation before validation: a caller who may not see the family learns nothing about it.
  if (!row && typeof cmd.actor === 'function') throw new AppError('not_found', 'No such family');
  const family = row ? toFamilyRecord(row) : null;
  const actor = typeof cmd.actor === 'function' ? cmd.actor(family!) : cmd.actor;
  const auditCtx = ctx.audit ? { ...ctx.audit, role: actor.role } : undefined;
  const { type, payload, reason } = validateCommand(cmd);
  // Who may send what (users never send system events, the scheduler nothing else) is the machine's roleMaySend.
  if (!row || !family) throw new AppError('not_found', 'No such family');
  if (row.version !== cmd.expectedVersion) {
    throw new AppError('conflict', 'The family changed since you read it', { currentVersion: row.version });
  }
  const named = await resolveNamed(db, payload, ctx);
  const recordedAt = ctx.clock.now().toISOString();
  const event: FamilyEvent = envelope(type, payload, reason, actor, recordedAt, named);
  const norms = await loadNorms(db);
  const plan = planAppend(
    {
      familyId: row.id,
      version: row.version,
      phase: row.phase,
      closedAt: row.closedAt,
      snapshot: family.snapshot,
    },
    event,
    norms,
  );

  // Only the timers that can matter: live ones (to cancel) and the ones wanted now (fired or
  // cancelled before). Fired and cancelled timers accumulate with the history; they are not read.
  const existing = await db.direct.all<{ id: string; status: string }>(
    `SELECT "id", "status" FROM "Timer" WHERE "familyId" = ? AND ("status" IN ('pending', 'claimed')${
      plan.wantedIds.length > 0 ? ` OR "id" IN (${placeholders(plan.wantedIds.length)})` : ''
    })`,
    [row.id, ...plan.wantedIds],
  );
  const timers = timerPlanFor(row.id, plan, existing);
  // [projections]
  const projection = await projectAppend(
    db,
    row,
    { familyId: row.id, seq: plan.seq, event, snapshot: plan.next, reportedAt: row.reportedAt },
    norms,
  );
  const changes = {
    ...plan.changes,
    snapshot: JSON.stringify(plan.next),
    nextDueAt: timers.nextDueAt,
    ...projection.columns, // [projections]
  };

  try {
    await db.direct.transaction(async (q) => {
      // The conditional update goes first: on PostgreSQL a concurrent writer waits on the row lock
      // and then finds the version moved on; the unique (familyId, seq) backs it up.
      const update = updateSql('Family', changes, '"id" = ? AND "version" = ?');
      const moved = await q.run(update.sql, [...update.params, row.id, row.version]);
      if (moved !== 1) throw new VersionConflict();
      const prev = await q.get<{ hash: string }>(
        'SELECT "hash" FROM "Event" WHERE "familyId" = ? AND "seq" = ?',
        [row.id, row.version],
      );
      // A missing predecessor means someone deleted history: refuse to chain onto a gap.
      if (!prev) throw new AppError('internal', `Event ${row.version} of the family is missing; run verify`);
      await insertRows(q, 'Event', [
        eventRow(row.id, plan.seq, event, plan.next.version, prev.hash, plan.state),
      ]);
      await writeProjection(q, projection); // [projections]
      if (hook) await hook(q, { seq: plan.seq });
      await applyTimerPlan(q, timers);
      await audit(q, { ...ctx, audit: auditCtx }, row.id, 'write');
    });
  } catch (e) {
    if (e instanceof VersionConflict || isUniqueViolation(e)) throw await conflictError(db, row.id);
    throw e;
  }
  return toFamilyRecord({ ...row, ...changes });
}

export async function loadFamily(db: Db, id: string): Promise<FamilyRecord | null> {
  const row = await db.prisma.family.findUnique({ where: { id } });
  return row ? toFamilyRecord(row) : null;
}

export async function listEvents(db: Db, id: string, uptoSeq?: number): Promise<EventRecord[]> {
  const rows = await db.prisma.event.findMany({
    where: { familyId: id, ...(uptoSeq !== undefined ? { seq: { lte: uptoSeq } } : {}) },
    orderBy: { seq: 'asc' },
  });
  return rows.map(toEventRecord);
}

/** The envelope the machine saw when the event was recorded, rebuilt from its row. */
export function eventOf(record: EventRecord): FamilyEvent {
  return {
    type: record.type,
    payload: record.payload,
    actor: record.actor,
    recordedAt: record.recordedAt,
    ...(record.reason !== null ? { reason: record.reason } : {}),
    ...(record.occurredAt !== null ? { occurredAt: record.occurredAt } : {}),
    ...(record.named !== null ? { named: record.named } : {}),
  } as FamilyEvent;
}
