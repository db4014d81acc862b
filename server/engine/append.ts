/**
 * What one append writes, worked out without the database: the engine's write path (store.ts) and
 * its batch path (histories built in memory, e.g. by the benchmark's national generator) both use
 * these functions, so a history built in bulk has exactly the rows one written event by event has.
 */
import type { z } from 'zod';
import {
  applyEvent,
  CURRENT_VERSION,
  dueTimers,
  initialFamily,
  stateOf,
  type Norms,
  type PersistedFamily,
  type Refusal,
} from '../../machines/index.ts';
import { longText, type Actor } from '../../machines/schemas/common.ts';
import {
  eventTypeSchema,
  payloadSchemas,
  type EventType,
  type FamilyEvent,
  type NamedUser,
} from '../../machines/schemas/events.ts';
import { GENESIS_HASH } from './canonical.ts';
import { AppError, type ValidationIssue } from '../errors.ts';
import { hashEvent } from './canonical.ts';
import type { StateAfter } from './records.ts';
import { initialKpiCursor, projectEvent, type Projection } from './projections.ts';
import { nextDueColumns, planTimers, timerId, type TimerPlan } from './timers.ts';

export function issuesOf(error: z.ZodError, prefix: (string | number)[] = []): ValidationIssue[] {
  return error.issues.map((i) => ({
    path: [...prefix, ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))].join('.'),
    message: i.message,
  }));
}

export function validationError(errors: ValidationIssue[]): AppError {
  return new AppError('validation', 'The request does not match its schema', { errors });
}

export function refusalError(refusal: Refusal): AppError {
  const details = { guard: refusal.guard ?? null, state: refusal.state, explanation: refusal.message };
  return refusal.kind === 'forbidden'
    ? new AppError('forbidden', refusal.message.en, details)
    : new AppError('unprocessable', refusal.message.en, details);
}

export type ValidCommand = { type: EventType; payload: Record<string, unknown>; reason: string | undefined };

/**
 * Validates type, payload and the motivation's form together, so the caller hears about every issue
 * at once. A missing motivation on a decision is the machine's `reasonRequired` guard (422).
 */
export function validateCommand(cmd: {
  type: string;
  payload: unknown;
  reason?: string | null;
}): ValidCommand {
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

function utc(iso: string): string {
  return new Date(iso).toISOString();
}

/** When it happened in the world, for the events where that differs from when it was recorded. */
function occurredAtOf(
  type: EventType,
  payload: Record<string, unknown>,
  recordedAt: string,
): string | undefined {
  if (type === 'incident.reported') return utc(payload.occurredAt as string);
  if (type === 'report.received') return utc((payload.receivedAt as string | undefined) ?? recordedAt);
  return undefined;
}

/** The envelope the machine sees and the history keeps. */
export function envelope(
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

/** The machine's verdict; a refusal becomes the 403/422 the API answers. */
export function applyOrThrow(snapshot: PersistedFamily, event: FamilyEvent): PersistedFamily {
  const result = applyEvent(snapshot, event);
  if (!result.ok) throw refusalError(result.refusal);
  return result.next;
}

export function stateAfterOf(snapshot: PersistedFamily): StateAfter {
  const s = stateOf(snapshot);
  return { phase: s.phase, oversight: s.oversight, escalation: s.escalation };
}

/** The query columns of a family row derived from its snapshot (the snapshot JSON itself apart). */
export function derivedColumns(snapshot: PersistedFamily, state: StateAfter = stateAfterOf(snapshot)) {
  const ctx = snapshot.context;
  const last = ctx.handovers.at(-1);
  return {
    machineVersion: snapshot.version,
    phase: state.phase,
    oversight: state.oversight,
    escalation: state.escalation,
    directorId: ctx.caseDirectorId,
    pendingDirectorId: last && last.outcome === 'pending' ? last.toId : null,
  };
}

export function closedAtOf(
  prevPhase: string | null,
  state: StateAfter,
  recordedAt: string,
  previous: Date | null,
): Date | null {
  if (state.phase !== 'closed') return null;
  return prevPhase === 'closed' && previous ? previous : new Date(recordedAt);
}

/** An Event row as stored (both backends), chained onto `prevHash`. */
export type EventRow = {
  familyId: string;
  seq: number;
  type: string;
  payload: string;
  reason: string | null;
  actorId: string;
  actorRole: string;
  named: string | null;
  recordedAt: Date;
  occurredAt: Date | null;
  machineVersion: number;
  stateAfter: string;
  prevHash: string;
  hash: string;
};

export function eventRow(
  familyId: string,
  seq: number,
  e: FamilyEvent,
  machineVersion: number,
  prevHash: string,
  stateAfter: StateAfter,
): EventRow {
  const hashed = {
    familyId,
    seq,
    type: e.type,
    payload: e.payload,
    reason: e.reason ?? null,
    actor: { id: e.actor.id, role: e.actor.role },
    named: e.named ?? null,
    recordedAt: e.recordedAt,
    occurredAt: e.occurredAt ?? null,
    machineVersion,
    stateAfter,
  };
  return {
    familyId,
    seq,
    type: e.type,
    payload: JSON.stringify(e.payload),
    reason: hashed.reason,
    actorId: e.actor.id,
    actorRole: e.actor.role,
    named: hashed.named ? JSON.stringify(hashed.named) : null,
    recordedAt: new Date(e.recordedAt),
    occurredAt: hashed.occurredAt ? new Date(hashed.occurredAt) : null,
    machineVersion,
    stateAfter: JSON.stringify(stateAfter),
    prevHash,
    hash: hashEvent(prevHash, hashed),
  };
}

/** The family as an append needs it: its row's version and close columns and its parsed snapshot. */
export type AppendBase = {
  familyId: string;
  version: number;
  phase: string | null;
  closedAt: Date | null;
  snapshot: PersistedFamily;
};

export type AppendPlan = {
  seq: number;
  next: PersistedFamily;
  state: StateAfter;
  /** The timers due for the new snapshot (the machine's dueTimers), with their ids. */
  wanted: ReturnType<typeof dueTimers>;
  wantedIds: string[];
  /** The family columns the append sets (the snapshot JSON apart); nextDueAt comes from the timer plan. */
  changes: ReturnType<typeof derivedColumns> & { version: number; updatedAt: Date; closedAt: Date | null };
};

/**
 * Runs `event` through the machine on top of `base` and works out the new columns; the caller adds
 * the timer plan (it needs the family's timer rows) and the event row (it needs the previous hash).
 */
export function planAppend(base: AppendBase, event: FamilyEvent, norms: Norms): AppendPlan {
  const next = applyOrThrow(base.snapshot, event);
  const state = stateAfterOf(next);
  const wanted = dueTimers(next, norms);
  return {
    seq: base.version + 1,
    next,
    state,
    wanted,
    wantedIds: wanted.map((t) => timerId(base.familyId, t)),
    changes: {
      version: base.version + 1,
      ...derivedColumns(next, state),
      updatedAt: new Date(event.recordedAt),
      closedAt: closedAtOf(base.phase, state, event.recordedAt, base.closedAt),
    },
  };
}

/** The timer plan for an append, given the family's pending/claimed timers and those the plan wants. */
export function timerPlanFor(
  familyId: string,
  plan: Pick<AppendPlan, 'wanted' | 'wantedIds'>,
  existing: readonly { id: string; status: string }[],
): TimerPlan {
  return planTimers(familyId, existing, plan.wanted, plan.wantedIds);
}

/** A new family's first report, validated: the request body without reference and municipality. */
export type CreateReport = { acute: boolean } & Record<string, unknown>;

/**
 * Everything registering a family writes: seq 1 is `report.received` through the machine, the
 * family row (query columns, snapshot, projection columns, nextDueAt), the first event row, its
 * timers and its KPI facts. The store inserts it in one transaction; the batch path keeps it in memory.
 * New families start under the current machine version; `machineVersion` starts one under an older
 * registered version (the demo seed and the tests that mean that version's rules; never the API).
 */
export function planCreate(
  family: { id: string; reference: string; municipality: string; region: string },
  report: CreateReport,
  actor: Actor,
  recordedAt: string,
  norms: Norms,
  machineVersion: number = CURRENT_VERSION,
): { next: PersistedFamily; row: FamilyInsert; event: EventRow; timers: TimerPlan; projection: Projection } {
  const payload = payloadSchemas['report.received'].parse(report) as Record<string, unknown>;
  const event = envelope('report.received', payload, undefined, actor, recordedAt, undefined);
  const next = applyOrThrow(initialFamily(machineVersion), event);
  const state = stateAfterOf(next);
  const at = new Date(recordedAt);
  const reportedAt = new Date(event.occurredAt ?? recordedAt);
  const timers = planTimers(family.id, [], dueTimers(next, norms));
  const projection = projectEvent(initialKpiCursor, { familyId: family.id, seq: 1, event, snapshot: next, reportedAt }, norms);
  return {
    next,
    row: {
      ...family,
      version: 1,
      ...derivedColumns(next, state),
      snapshot: JSON.stringify(next),
      acute: report.acute,
      reportedAt,
      createdAt: at,
      updatedAt: at,
      closedAt: closedAtOf(null, state, recordedAt, null),
      ...nextDueColumns(timers),
      ...projection.columns,
    },
    event: eventRow(family.id, 1, event, next.version, GENESIS_HASH, state),
    timers,
    projection,
  };
}

/** A Family row as inserted. */
export type FamilyInsert = { id: string; reference: string; municipality: string; region: string; version: number } & ReturnType<
  typeof derivedColumns
> & {
    snapshot: string;
    acute: boolean;
    reportedAt: Date;
    createdAt: Date;
    updatedAt: Date;
    closedAt: Date | null;
  } & ReturnType<typeof nextDueColumns> &
  Projection['columns'];
