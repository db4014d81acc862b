import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import {
  applyEvent,
  dueTimers,
  initialFamily,
  stateOf,
  type PersistedFamily,
  type Refusal,
} from '../../machines/index.ts';
import { longText, type Actor, type Role } from '../../machines/schemas/common.ts';
import {
  eventTypeSchema,
  payloadSchemas,
  type EventType,
  type FamilyEvent,
  type NamedUser,
} from '../../machines/schemas/events.ts';
import { createFamilySchema } from '../../machines/schemas/api.ts';
import { regionOf } from '../../machines/schemas/regions.ts';
import type { Clock } from '../clock.ts';
import { writeAccessLog, type AccessAction } from '../db/accessLog.ts';
import { isUniqueViolation, type Db, type Tx } from '../db/index.ts';
import { AppError, isAppError, type ValidationIssue } from '../errors.ts';
import { GENESIS_HASH, hashEvent } from './canonical.ts';
import { withWriteLock } from './mutex.ts';
import { loadNorms } from './norms.ts';
import { toEventRecord, toFamilyRecord, type EventRecord, type FamilyRecord, type StateAfter } from './records.ts';
import { applyTimerPlan, planTimers } from './timers.ts';

/** Who is acting, for the access log (NEN 7513). `ip` may be null for system work. */
export type AuditCtx = { userId: string; username: string; role: Role; ip: string | null };

export type NamedUserResolver = (id: string) => Promise<NamedUser | null>;

export type DispatchCommand = {
  familyId: string;
  type: string;
  payload: unknown;
  reason?: string | null;
  expectedVersion: number;
  actor: Actor;
};

export type DispatchContext = {
  clock: Clock;
  audit?: AuditCtx;
  /** Looks up a user a payload names (`directorId`); defaults to the User table (disabled users count as unknown). */
  resolveUser?: NamedUserResolver;
};

/** Work done inside the append transaction, after the event row and before commit (the scheduler's firing mark). */
export type TxHook = (tx: Tx, appended: { seq: number }) => Promise<void>;

/** The request body of POST /families is the one schema for a new family (machines/schemas/api.ts). */
export const createFamilyInputSchema = createFamilySchema;
export type CreateFamilyInput = z.input<typeof createFamilyInputSchema>;

export type CreateFamilyContext = { actor: Actor; clock: Clock; audit?: AuditCtx };

function issuesOf(error: z.ZodError, prefix: (string | number)[] = []): ValidationIssue[] {
  return error.issues.map((i) => ({
    path: [...prefix, ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))].join('.'),
    message: i.message,
  }));
}

function validationError(errors: ValidationIssue[]): AppError {
  return new AppError('validation', 'The request does not match its schema', { errors });
}

export function stateAfterOf(snapshot: PersistedFamily): StateAfter {
  const s = stateOf(snapshot);
  return { phase: s.phase, oversight: s.oversight, escalation: s.escalation };
}

/** The query columns of a family row, derived from its snapshot. */
function columnsOf(snapshot: PersistedFamily) {
  const state = stateAfterOf(snapshot);
  const ctx = snapshot.context;
  const last = ctx.handovers.at(-1);
  return {
    machineVersion: snapshot.version,
    snapshot: JSON.stringify(snapshot),
    phase: state.phase,
    oversight: state.oversight,
    escalation: state.escalation,
    directorId: ctx.caseDirectorId,
    pendingDirectorId: last && last.outcome === 'pending' ? last.toId : null,
  };
}

function refusalError(refusal: Refusal): AppError {
  const details = { guard: refusal.guard ?? null, state: refusal.state, explanation: refusal.message };
  return refusal.kind === 'forbidden'
    ? new AppError('forbidden', refusal.message.en, details)
    : new AppError('unprocessable', refusal.message.en, details);
}

function utc(iso: string): string {
  return new Date(iso).toISOString();
}

/** When it happened in the world, for the events where that differs from when it was recorded. */
function occurredAtOf(type: EventType, payload: Record<string, unknown>, recordedAt: string): string | undefined {
  if (type === 'incident.reported') return utc(payload.occurredAt as string);
  if (type === 'report.received') return utc((payload.receivedAt as string | undefined) ?? recordedAt);
  return undefined;
}

const defaultResolver =
  (db: Db): NamedUserResolver =>
  async (id) => {
    const user = await db.prisma.user.findUnique({ where: { id }, select: { id: true, roles: true, disabledAt: true } });
    if (!user || user.disabledAt) return null;
    const roles = user.roles
      .split(',')
      .map((r) => r.trim())
      .filter((r): r is Role => r === 'vt' || r === 'director' || r === 'auditor' || r === 'admin');
    return { id: user.id, roles };
  };

type Prepared = {
  familyId: string;
  seq: number;
  expectedVersion: number;
  event: FamilyEvent;
  next: PersistedFamily;
};

/**
 * Validates type, payload and the motivation's form together, so the caller hears about every issue
 * at once. A missing motivation on a decision is the machine's `reasonRequired` guard (422).
 */
function validate(cmd: Pick<DispatchCommand, 'type' | 'payload' | 'reason'>): {
  type: EventType;
  payload: Record<string, unknown>;
  reason: string | undefined;
} {
  const errors: ValidationIssue[] = [];
  const type = eventTypeSchema.safeParse(cmd.type);
  if (!type.success) errors.push({ path: 'type', message: `Unknown event type / onbekend gebeurtenistype` });
  let payload: Record<string, unknown> = {};
  if (type.success) {
    const parsed = payloadSchemas[type.data].safeParse(cmd.payload ?? {});
    if (parsed.success) payload = parsed.data as Record<string, unknown>;
    else errors.push(...issuesOf(parsed.error, ['payload']));
  }
  let reason: string | undefined;
  if (cmd.reason !== undefined && cmd.reason !== null) {
    const parsed = longText.safeParse(cmd.reason);
    if (parsed.success) reason = parsed.data;
    else errors.push(...issuesOf(parsed.error, ['reason']));
  }
  if (errors.length > 0 || !type.success) throw validationError(errors);
  return { type: type.data, payload, reason };
}

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

function envelope(
  type: EventType,
  payload: Record<string, unknown>,
  reason: string | undefined,
  actor: Actor,
  recordedAt: string,
  named: NamedUser | undefined,
): FamilyEvent {
  const occurredAt = occurredAtOf(type, payload, recordedAt);
  return {
    type,
    payload,
    actor: { id: actor.id, role: actor.role },
    recordedAt,
    ...(reason !== undefined ? { reason } : {}),
    ...(occurredAt !== undefined ? { occurredAt } : {}),
    ...(named !== undefined ? { named } : {}),
  } as FamilyEvent;
}

function apply(snapshot: PersistedFamily, event: FamilyEvent): PersistedFamily {
  const result = applyEvent(snapshot, event);
  if (!result.ok) throw refusalError(result.refusal);
  return result.next;
}

/** Thrown inside the transaction so it rolls back; turned into a 409 outside it. */
class VersionConflict extends Error {}

async function currentVersionOf(db: Db, familyId: string): Promise<number | undefined> {
  const row = await db.prisma.family.findUnique({ where: { id: familyId }, select: { version: true } });
  return row?.version;
}

async function conflictError(db: Db, familyId: string): Promise<AppError> {
  const currentVersion = await currentVersionOf(db, familyId);
  return new AppError('conflict', 'The family changed since you read it', { currentVersion });
}

function eventRow(p: Prepared, prevHash: string, stateAfter: StateAfter) {
  const e = p.event;
  const hashed = {
    familyId: p.familyId,
    seq: p.seq,
    type: e.type,
    payload: e.payload,
    reason: e.reason ?? null,
    actor: { id: e.actor.id, role: e.actor.role },
    named: e.named ?? null,
    recordedAt: e.recordedAt,
    occurredAt: e.occurredAt ?? null,
    machineVersion: p.next.version,
    stateAfter,
  };
  const hash = hashEvent(prevHash, hashed);
  return {
    familyId: p.familyId,
    seq: p.seq,
    type: e.type,
    payload: JSON.stringify(e.payload),
    reason: hashed.reason,
    actorId: e.actor.id,
    actorRole: e.actor.role,
    named: hashed.named ? JSON.stringify(hashed.named) : null,
    recordedAt: new Date(e.recordedAt),
    occurredAt: hashed.occurredAt ? new Date(hashed.occurredAt) : null,
    machineVersion: hashed.machineVersion,
    stateAfter: JSON.stringify(stateAfter),
    prevHash,
    hash,
  };
}

function closedAtOf(prevPhase: string | null, state: StateAfter, recordedAt: string, previous: Date | null): Date | null {
  if (state.phase !== 'closed') return null;
  return prevPhase === 'closed' && previous ? previous : new Date(recordedAt);
}

async function audit(tx: Tx, ctx: { audit?: AuditCtx; clock: Clock }, familyId: string, action: AccessAction) {
  if (!ctx.audit) return;
  await writeAccessLog(tx, {
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
async function auditRefusal(db: Db, ctx: { audit?: AuditCtx; clock: Clock }, familyId: string | null, action: AccessAction, e: unknown) {
  if (!ctx.audit || !isAppError(e)) return;
  const result = e.code === 'not_found' ? 'not_found' : e.code === 'forbidden' ? 'denied' : 'refused';
  await withWriteLock(db, () =>
    writeAccessLog(db.prisma, {
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

/**
 * Registers a report as a new family: seq 1 is `report.received`, run through the machine like
 * every later event, so the history alone rebuilds the case.
 */
export async function createFamily(db: Db, input: unknown, ctx: CreateFamilyContext): Promise<FamilyRecord> {
  try {
    return await withWriteLock(db, () => createFamilyUnlocked(db, input, ctx));
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
  if (!region) throw validationError([{ path: 'municipality', message: 'Unknown municipality / onbekende gemeente' }]);

  const familyId = randomUUID();
  const recordedAt = ctx.clock.now().toISOString();
  const payload = payloadSchemas['report.received'].parse(report) as Record<string, unknown>;
  const event = envelope('report.received', payload, undefined, ctx.actor, recordedAt, undefined);
  const next = apply(initialFamily(), event);
  const norms = await loadNorms(db);
  const prepared: Prepared = { familyId, seq: 1, expectedVersion: 0, event, next };
  const state = stateAfterOf(next);
  const now = new Date(recordedAt);

  const timers = planTimers(familyId, [], dueTimers(next, norms));
  const data = {
    id: familyId,
    reference,
    municipality,
    region,
    version: 1,
    ...columnsOf(next),
    acute: report.acute,
    reportedAt: new Date(event.occurredAt ?? recordedAt),
    createdAt: now,
    updatedAt: now,
    closedAt: closedAtOf(null, state, recordedAt, null),
    nextDueAt: timers.nextDueAt,
  };
  await db.prisma.$transaction(async (tx) => {
    await tx.family.create({ data });
    await tx.event.create({ data: eventRow(prepared, GENESIS_HASH, state) });
    await applyTimerPlan(tx, timers);
    await audit(tx, ctx, familyId, 'create');
  });
  return toFamilyRecord(data);
}

/**
 * Appends one event to a family: validate, run it through the machine, then in one transaction
 * claim the next seq (unique (familyId, seq) and the conditional version update are the arbiters),
 * store snapshot and query columns, re-derive the durable timers and write the access-log row.
 */
export async function dispatch(db: Db, cmd: DispatchCommand, ctx: DispatchContext): Promise<FamilyRecord> {
  try {
    return await withWriteLock(db, () => dispatchUnlocked(db, cmd, ctx));
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
  const { type, payload, reason } = validate(cmd);
  // Who may send what (users never send system events, the scheduler nothing else) is the machine's roleMaySend.
  const row = await db.prisma.family.findUnique({ where: { id: cmd.familyId } });
  if (!row) throw new AppError('not_found', 'No such family');
  if (row.version !== cmd.expectedVersion) {
    throw new AppError('conflict', 'The family changed since you read it', { currentVersion: row.version });
  }
  const snapshot = JSON.parse(row.snapshot) as PersistedFamily;
  const named = await resolveNamed(db, payload, ctx);
  const recordedAt = ctx.clock.now().toISOString();
  const event = envelope(type, payload, reason, cmd.actor, recordedAt, named);
  const next = apply(snapshot, event);
  const norms = await loadNorms(db);
  const prepared: Prepared = { familyId: row.id, seq: row.version + 1, expectedVersion: row.version, event, next };
  const state = stateAfterOf(next);

  const existingTimers = await db.prisma.timer.findMany({ where: { familyId: row.id }, select: { id: true, status: true } });
  const timers = planTimers(row.id, existingTimers, dueTimers(next, norms));
  const changes = {
    version: prepared.seq,
    ...columnsOf(next),
    updatedAt: new Date(recordedAt),
    closedAt: closedAtOf(row.phase, state, recordedAt, row.closedAt),
    nextDueAt: timers.nextDueAt,
  };

  try {
    await db.prisma.$transaction(async (tx) => {
      // The conditional update goes first: on PostgreSQL a concurrent writer waits on the row lock
      // and then finds the version moved on; the unique (familyId, seq) backs it up.
      const moved = await tx.family.updateMany({ where: { id: row.id, version: row.version }, data: changes });
      if (moved.count !== 1) throw new VersionConflict();
      const prev = await tx.event.findUnique({
        where: { familyId_seq: { familyId: row.id, seq: row.version } },
        select: { hash: true },
      });
      // A missing predecessor means someone deleted history: refuse to chain onto a gap.
      if (!prev) throw new AppError('internal', `Event ${row.version} of the family is missing; run verify`);
      await tx.event.create({ data: eventRow(prepared, prev.hash, state) });
      if (hook) await hook(tx, { seq: prepared.seq });
      await applyTimerPlan(tx, timers);
      await audit(tx, ctx, row.id, 'write');
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
