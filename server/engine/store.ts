import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { Actor, Role } from '../../machines/schemas/common.ts';
import type { FamilyEvent, NamedUser } from '../../machines/schemas/events.ts';
import { createFamilySchema } from '../../contract/index.ts';
import { regionOf } from '../../machines/schemas/regions.ts';
import type { Clock } from '../clock.ts';
import { accessEntry, writeAccessLog, type AccessAction, type AccessActor } from '../db/accessLog.ts';
import { familyEvents, insertEvents } from '../db/events.ts';
import {
  familyIdByReference,
  familyVersion,
  findFamily,
  findFamilyForAppend,
  insertFamilies,
  type FamilyAppendRow,
} from '../db/families.ts';
import { isUniqueViolation, type Db, type SqlRunner } from '../db/index.ts';
import { appendReads, writeAppend, type AppendWrites } from '../db/append.ts';
import { writeTimers } from '../db/timers.ts';
import { activeUserRoles, type UserRef } from '../db/users.ts';
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
import { loadNorms } from './norms.ts';
import { nextDueColumns } from './timers.ts';
// [projections] KPI facts and list columns, written in the append transactions below.
import { projectAppend, writeProjection } from './projections.ts';
import { familyRecordWith, rememberSnapshot, toEventRecord, toFamilyRecord, type EventRecord, type FamilyRecord } from './records.ts';

// The write path. Reads and writes go through direct SQL on Prisma's own connections
// (server/db/direct.ts): a transition used to cost 10–12 Prisma operations at 0.4–0.8 ms of CPU
// each (BENCHMARKS.md). What is written is worked out by the pure functions of append.ts, which the
// batch path shares.

export { stateAfterOf };
export { eventOf } from './chain.ts';

/** Who is acting, for the access log (NEN 7513). `ip` may be null for system work. */
export type AuditCtx = AccessActor & { role: Role | string };

export type NamedUserResolver = (id: string) => Promise<NamedUser | null>;

export type DispatchCommand = {
  familyId: string;
  type: string;
  payload: unknown;
  reason?: string | null;
  expectedVersion: number;
  /** Who sends it: authorised by the caller (server/cases/recordEvent.ts); the machine decides the rest. */
  actor: Actor;
  /**
   * The family row as the caller already read it for this write (its authorisation check), so the
   * write path reads it once. The append's conditional version update catches any change since.
   */
  family?: FamilyAppendRow;
};

export type DispatchContext = {
  clock: Clock;
  audit?: AuditCtx;
  /** Looks up a user a payload names (`directorId`); defaults to the User table (disabled users count as unknown). */
  resolveUser?: NamedUserResolver;
  /** The answer to the write, built from the family as appended (a use case's view). */
  answer?: AppendAnswer;
};

/**
 * A use case's answer to an append, built before anything is written, so that a failure to build it
 * writes nothing and nothing can fail after the commit. The names it shows (`users` of the family as
 * appended) are read with the family's timers, in one statement.
 */
export type AppendAnswer = {
  users(family: FamilyRecord): Iterable<string | null | undefined>;
  build(family: FamilyRecord, refs: ReadonlyMap<string, UserRef>): void;
};

/**
 * Work done inside the append transaction, after the event row and before commit: the scheduler's
 * firing mark, an upgrade's admin-log row, a registration's answer. Throwing rolls the append back.
 * An append with a hook is a transaction on both backends; without one, on PostgreSQL, it is one
 * statement (server/db/append.ts).
 */
export type TxHook = (tx: SqlRunner, appended: { seq: number; family: FamilyRecord }) => Promise<void>;

/** The request body of POST /families is the one schema for a new family (contract/). */
export const createFamilyInputSchema = createFamilySchema;
export type CreateFamilyInput = z.input<typeof createFamilyInputSchema>;

export type CreateFamilyContext = {
  actor: Actor;
  clock: Clock;
  audit?: AuditCtx;
  /** The machine version the family starts under (default: the current one; the API never sets it). */
  machineVersion?: number;
};

const defaultResolver =
  (db: Db): NamedUserResolver =>
  (id) =>
    activeUserRoles(db.direct, id);

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

async function conflictError(db: Db, familyId: string): Promise<AppError> {
  const currentVersion = await familyVersion(db.direct, familyId);
  return new AppError('conflict', 'The family changed since you read it', { currentVersion });
}

/** The row of a committed write: its user is the actor of the event just appended, so assigned. */
async function audit(q: SqlRunner, ctx: { audit?: AuditCtx; clock: Clock }, familyId: string, action: AccessAction) {
  if (ctx.audit) await writeAccessLog(q, accessEntry(ctx.audit, ctx.clock.now(), familyId, action, 'ok', true));
}

/**
 * A refused write is logged too (result `refused`), outside the rolled-back transaction. A write
 * that failed (a 5xx: the database, a fault in the code) is an attempt as well, logged `error` where
 * the log can still be written; a failure to log that must not hide the fault itself.
 */
async function auditRefusal(
  db: Db,
  ctx: { audit?: AuditCtx; clock: Clock },
  familyId: string | null,
  action: AccessAction,
  e: unknown,
) {
  if (!ctx.audit) return;
  const failed = !isAppError(e) || e.status >= 500;
  const result = failed ? 'error' : e.code === 'not_found' ? 'not_found' : e.code === 'forbidden' ? 'denied' : 'refused';
  try {
    await writeAccessLog(db.direct, accessEntry(ctx.audit, ctx.clock.now(), familyId, action, result));
  } catch (logError) {
    if (!failed) throw logError;
  }
}

/**
 * Registers a report as a new family: seq 1 is `report.received`, run through the machine like
 * every later event, so the history alone rebuilds the case.
 */
export async function createFamily(db: Db, input: unknown, ctx: CreateFamilyContext, hook?: TxHook): Promise<FamilyRecord> {
  try {
    // No engine lock: the SQLite commit is grouped in server/db/direct.ts, and the version check
    // in the append transaction is the arbiter between writers.
    return await createFamilyUnlocked(db, input, ctx, hook);
  } catch (e) {
    await auditRefusal(db, ctx, null, 'create', e);
    throw e;
  }
}

async function createFamilyUnlocked(db: Db, input: unknown, ctx: CreateFamilyContext, hook?: TxHook): Promise<FamilyRecord> {
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
    ctx.machineVersion,
  );
  const family = toFamilyRecord(plan.row);
  try {
    await db.direct.transaction(async (q) => {
      await insertFamilies(q, [plan.row]);
      await insertEvents(q, [plan.event]);
      await writeProjection(q, plan.projection);
      await writeTimers(q, plan.timers);
      await audit(q, ctx, plan.row.id, 'create');
      if (hook) await hook(q, { seq: 1, family });
    });
  } catch (e) {
    // The unique (region, reference) index is the arbiter between parallel registrations of one
    // report: the loser hears which family holds the reference (API.md: 409 with existingFamilyId).
    const existingFamilyId = isUniqueViolation(e) ? await familyIdByReference(db.direct, region, reference) : undefined;
    if (existingFamilyId) throw duplicateReference(existingFamilyId);
    throw e;
  }
  return family;
}

function duplicateReference(existingFamilyId: string): AppError {
  return new AppError('conflict', 'A family with this reference already exists in your region', {
    existingFamilyId,
    explanation: {
      nl: 'Er is in uw regio al een gezin met dit kenmerk. Leg een nieuwe melding vast bij dat gezin.',
      en: 'A family with this reference already exists in your region. Record a new report on that family.',
    },
  });
}

/**
 * Appends one event to a family: validate, run it through the machine, read the family's timers
 * (and the names the answer shows), build the answer, then write atomically — one transaction, or
 * on PostgreSQL one statement: claim the next seq (the conditional version update is the arbiter,
 * unique (familyId, seq) backs it up), store snapshot and query columns, re-derive the durable
 * timers and write the access-log row. A refusal is access-logged (when `ctx.audit` names who acts)
 * and thrown as an AppError.
 */
export async function dispatch(db: Db, cmd: DispatchCommand, ctx: DispatchContext, hook?: TxHook): Promise<FamilyRecord> {
  try {
    return await append(db, cmd, ctx, hook);
  } catch (e) {
    await auditRefusal(db, ctx, cmd.familyId, 'write', e);
    throw e;
  }
}

async function append(db: Db, cmd: DispatchCommand, ctx: DispatchContext, hook?: TxHook): Promise<FamilyRecord> {
  const row = cmd.family ?? (await findFamilyForAppend(db.direct, cmd.familyId));
  const actor = cmd.actor;
  const { type, payload, reason } = validateCommand(cmd);
  // Who may send what (users never send system events, the scheduler nothing else) is the machine's roleMaySend.
  if (!row) throw new AppError('not_found', 'No such family');
  const family = toFamilyRecord(row);
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

  // [projections]
  const projection = await projectAppend(
    db,
    row,
    { familyId: row.id, seq: plan.seq, event, snapshot: plan.next, reportedAt: row.reportedAt },
    norms,
  );
  const columns = {
    ...plan.changes,
    snapshot: JSON.stringify(plan.next),
    ...projection.columns, // [projections]
  };
  // The snapshot just serialised, not parsed back: the answer's view reads the same object.
  const planned = familyRecordWith({ ...row, ...columns, nextDueAt: null }, plan.next);

  // Only the timers that can matter: live ones (to cancel) and the ones wanted now (fired or
  // cancelled before). Fired and cancelled timers accumulate with the history; they are not read.
  // The names the answer shows come in the same statement.
  const read = await appendReads(db.direct, row.id, plan.wantedIds, ctx.answer ? ctx.answer.users(planned) : []);
  const timers = timerPlanFor(row.id, plan, read.timers);
  const changes = { ...columns, ...nextDueColumns(timers) };
  const after: FamilyRecord = { ...planned, nextDueAt: timers.nextDueAt ? timers.nextDueAt.toISOString() : null };
  // The answer, before anything is written: a failure to build it writes nothing.
  ctx.answer?.build(after, read.refs);

  // Read with the row (findFamilyForAppend); the conditional version update proves that event is
  // still the last. A missing predecessor means someone deleted history: refuse to chain onto a gap.
  const prevHash = row.lastHash;
  if (prevHash === null) throw new AppError('internal', `Event ${row.version} of the family is missing; run verify`);
  const writes: AppendWrites = {
    familyId: row.id,
    version: row.version,
    changes,
    events: [eventRow(row.id, plan.seq, event, plan.next.version, prevHash, plan.state)],
    facts: projection.facts, // [projections]
    replaceFacts: projection.replaceFacts === true,
    timers,
    // The row of a committed write: its user is the actor of the event just appended, so assigned.
    accessLog: ctx.audit ? [{ ...accessEntry({ ...ctx.audit, role: actor.role }, ctx.clock.now(), row.id, 'write', 'ok'), assigned: true }] : [],
  };

  try {
    // On PostgreSQL one statement, one round trip (db/append.ts); a hook runs inside a transaction,
    // before the timer writes (the scheduler's firing mark must find its timer still claimed).
    const between = hook && ((q: SqlRunner) => hook(q, { seq: plan.seq, family: after }));
    if (!(await writeAppend(db.direct, writes, between))) throw new VersionConflict();
  } catch (e) {
    if (e instanceof VersionConflict || isUniqueViolation(e)) throw await conflictError(db, row.id);
    throw e;
  }
  // Committed: the family's next read finds this text and gets this object (records.ts).
  rememberSnapshot(row.id, columns.snapshot, plan.next);
  return after;
}

export async function loadFamily(db: Db, id: string): Promise<FamilyRecord | null> {
  const row = await findFamily(db.direct, id);
  return row ? toFamilyRecord(row) : null;
}

export async function listEvents(db: Pick<Db, 'direct'>, id: string, uptoSeq?: number): Promise<EventRecord[]> {
  return (await familyEvents(db.direct, id, uptoSeq)).map(toEventRecord);
}

