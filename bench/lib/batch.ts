/**
 * A batch path for histories: the engine has none (server/engine writes one event per transaction),
 * so this builds families in memory with the engine's own pure pieces — the machine's applyEvent,
 * dueTimers and stateOf, the engine's hashEvent, planTimers, createFamilyInputSchema and
 * stateAfterOf — and the same column values as server/engine/store.ts (createFamilyUnlocked,
 * dispatchUnlocked) and the scheduler (Scheduler#fireOnce), then inserts them in bulk transactions
 * through Prisma. Histories built here verify and replay like ones written through HTTP.
 *
 * What store.ts does and this mirrors, step by step: validate the payload with its zod schema and
 * the motivation with longText; refuse system events from users; build the envelope (occurredAt
 * for incidents and reports; `named` for a payload's directorId); applyEvent; the event row with
 * its hash over the previous hash; the family's query columns from the snapshot; closedAt; the
 * durable-timer plan against every timer the family ever had. Not written: access-log rows for
 * the generated writes (no measured query reads them).
 */
import {
  applyEvent,
  defaultNorms,
  dueTimers,
  initialFamily,
  type Norms,
  type PersistedFamily,
  type Refusal,
} from '../../machines/index.ts';
import { longText, type Actor } from '../../machines/schemas/common.ts';
import { payloadSchemas, systemEventTypes, type EventType, type FamilyEvent, type NamedUser } from '../../machines/schemas/events.ts';
import type { Db } from '../../server/db/index.ts';
import { createFamilyInputSchema, GENESIS_HASH, hashEvent, stateAfterOf, timerId, type StateAfter } from '../../server/engine/index.ts';
import { planTimers } from '../../server/engine/timers.ts';
import { z } from 'zod';

export type FamilyRow = {
  id: string;
  reference: string;
  municipality: string;
  region: string;
  version: number;
  machineVersion: number;
  snapshot: string;
  phase: string;
  oversight: string;
  escalation: string;
  directorId: string | null;
  pendingDirectorId: string | null;
  acute: boolean;
  reportedAt: Date;
  nextDueAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
};

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

export type TimerRow = {
  id: string;
  familyId: string;
  kind: string;
  ref: string;
  dueAt: Date;
  status: string;
  event: string;
  claimedBy: string | null;
  claimedAt: Date | null;
  firedAt: Date | null;
  firedSeq: number | null;
};

/** One family being built: its snapshot, its row's columns, its events and every timer it had. */
export type SimFamily = {
  row: FamilyRow;
  snap: PersistedFamily;
  lastHash: string;
  events: EventRow[];
  timers: Map<string, TimerRow>;
};

export type Command = { type: string; payload: unknown; reason?: string | null; actor: Actor; named?: NamedUser };

export type Appended = { ok: true } | { ok: false; refusal: Refusal | { kind: 'validation'; message: string } };

const SYSTEM_ACTOR = { id: 'system', role: 'system' } as const;
export const BATCH_SCHEDULER_ID = 'bench-batch-scheduler';

function utc(iso: string): string {
  return new Date(iso).toISOString();
}

function occurredAtOf(type: EventType, payload: Record<string, unknown>, recordedAt: string): string | undefined {
  if (type === 'incident.reported') return utc(payload.occurredAt as string);
  if (type === 'report.received') return utc((payload.receivedAt as string | undefined) ?? recordedAt);
  return undefined;
}

function envelope(type: EventType, payload: Record<string, unknown>, reason: string | undefined, actor: Actor, recordedAt: string, named: NamedUser | undefined): FamilyEvent {
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

function eventRow(familyId: string, seq: number, e: FamilyEvent, next: PersistedFamily, prevHash: string, stateAfter: StateAfter): EventRow {
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
    machineVersion: next.version,
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
    machineVersion: hashed.machineVersion,
    stateAfter: JSON.stringify(stateAfter),
    prevHash,
    hash: hashEvent(prevHash, hashed),
  };
}

/** store.ts columnsOf, except the snapshot JSON: only the last one is ever stored (see finalRow). */
function columnsOf(snapshot: PersistedFamily) {
  const state = stateAfterOf(snapshot);
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

function closedAtOf(prevPhase: string | null, state: StateAfter, recordedAt: string, previous: Date | null): Date | null {
  if (state.phase !== 'closed') return null;
  return prevPhase === 'closed' && previous ? previous : new Date(recordedAt);
}

/** The timer plan applied to the in-memory rows exactly as applyTimerPlan's three updates would. */
function applyPlan(f: SimFamily, plan: ReturnType<typeof planTimers>): void {
  for (const id of plan.cancel) {
    const t = f.timers.get(id);
    if (t && (t.status === 'pending' || t.status === 'claimed')) Object.assign(t, { status: 'cancelled', claimedBy: null, claimedAt: null });
  }
  for (const c of plan.create) {
    f.timers.set(c.id!, {
      id: c.id!,
      familyId: f.row.id,
      kind: c.kind,
      ref: c.ref,
      dueAt: new Date(c.dueAt as Date),
      status: 'pending',
      event: c.event,
      claimedBy: null,
      claimedAt: null,
      firedAt: null,
      firedSeq: null,
    });
  }
  for (const id of plan.rearm) {
    const t = f.timers.get(id);
    if (t && t.status === 'cancelled') t.status = 'pending';
  }
}

function existingTimers(f: SimFamily): { id: string; status: string }[] {
  return [...f.timers.values()].map((t) => ({ id: t.id, status: t.status }));
}

export type CreateInput = {
  id: string;
  reference: string;
  municipality: string;
  region: string;
  source: string;
  acute: boolean;
  violenceForms: string[];
  summary: string;
  receivedAt?: string;
  members: { alias: string; kind: 'adult' | 'child'; birthYear: number }[];
};

// The engine's input schema, with the municipality check widened to the synthetic national list
// (the API accepts the 16 South Limburg municipalities only; the region is set by the generator).
const inputSchema = createFamilyInputSchema.extend({ municipality: z.string().min(1).max(100) });

/** createFamilyUnlocked: seq 1 is report.received through the machine. */
export function startFamily(input: CreateInput, actor: Actor, at: Date, norms: Norms = defaultNorms): SimFamily {
  const { id, region, ...rest } = input;
  const parsed = inputSchema.parse(rest);
  const { reference, municipality, ...report } = parsed;
  const recordedAt = at.toISOString();
  const payload = payloadSchemas['report.received'].parse(report) as Record<string, unknown>;
  const event = envelope('report.received', payload, undefined, actor, recordedAt, undefined);
  const result = applyEvent(initialFamily(), event);
  if (!result.ok) throw new Error(`report.received refused: ${result.refusal.message.en}`);
  const next = result.next;
  const state = stateAfterOf(next);
  const f: SimFamily = {
    row: {
      id,
      snapshot: '',
      reference,
      municipality,
      region,
      version: 1,
      ...columnsOf(next),
      acute: report.acute,
      reportedAt: new Date(event.occurredAt ?? recordedAt),
      createdAt: at,
      updatedAt: at,
      closedAt: closedAtOf(null, state, recordedAt, null),
      nextDueAt: null,
    },
    snap: next,
    lastHash: GENESIS_HASH,
    events: [],
    timers: new Map(),
  };
  const ev = eventRow(id, 1, event, next, GENESIS_HASH, state);
  f.events.push(ev);
  f.lastHash = ev.hash;
  const plan = planTimers(id, [], dueTimers(next, norms));
  applyPlan(f, plan);
  f.row.nextDueAt = plan.nextDueAt;
  return f;
}

/**
 * dispatchUnlocked: one event at `at`. Returns the refusal instead of throwing (a simulator adapts);
 * `onAppended` runs where the scheduler's transaction hook runs (after the event, before the plan).
 */
export function append(f: SimFamily, cmd: Command, at: Date, norms: Norms = defaultNorms, onAppended?: (seq: number) => void): Appended {
  const type = cmd.type as EventType;
  const schema = payloadSchemas[type];
  if (!schema) return { ok: false, refusal: { kind: 'validation', message: `unknown type ${cmd.type}` } };
  const parsed = schema.safeParse(cmd.payload ?? {});
  if (!parsed.success) return { ok: false, refusal: { kind: 'validation', message: parsed.error.message } };
  let reason: string | undefined;
  if (cmd.reason !== undefined && cmd.reason !== null) {
    const r = longText.safeParse(cmd.reason);
    if (!r.success) return { ok: false, refusal: { kind: 'validation', message: r.error.message } };
    reason = r.data;
  }
  const isSystem = (systemEventTypes as readonly string[]).includes(type);
  if (isSystem !== (cmd.actor.role === 'system')) return { ok: false, refusal: { kind: 'validation', message: 'system events only from the scheduler' } };

  const recordedAt = at.toISOString();
  const event = envelope(type, parsed.data as Record<string, unknown>, reason, cmd.actor, recordedAt, cmd.named);
  const result = applyEvent(f.snap, event);
  if (!result.ok) return { ok: false, refusal: result.refusal };
  const next = result.next;
  const seq = f.row.version + 1;
  const state = stateAfterOf(next);
  const plan = planTimers(f.row.id, existingTimers(f), dueTimers(next, norms));
  const ev = eventRow(f.row.id, seq, event, next, f.lastHash, state);
  f.events.push(ev);
  f.lastHash = ev.hash;
  onAppended?.(seq);
  applyPlan(f, plan);
  Object.assign(f.row, {
    version: seq,
    ...columnsOf(next),
    updatedAt: at,
    closedAt: closedAtOf(f.row.phase, state, recordedAt, f.row.closedAt),
    nextDueAt: plan.nextDueAt,
  });
  f.snap = next;
  return { ok: true };
}

/**
 * The scheduler up to `until`: every pending timer due by then fires in due order, at its due time
 * plus `delayMs(t)` (the scheduler's polling lag), never before the family's last event. A timer
 * no longer wanted, or refused by the machine, is cancelled as Scheduler#fireOnce does.
 */
export function fireDue(f: SimFamily, until: Date, norms: Norms = defaultNorms, delayMs: () => number = () => 0): number {
  let fired = 0;
  for (let guard = 0; guard < 10_000; guard++) {
    let next: TimerRow | null = null;
    for (const t of f.timers.values()) {
      if (t.status === 'pending' && t.dueAt.getTime() <= until.getTime() && (!next || t.dueAt < next.dueAt)) next = t;
    }
    if (!next) break;
    const at = new Date(Math.min(until.getTime(), Math.max(next.dueAt.getTime() + delayMs(), f.row.updatedAt.getTime() + 1)));
    next.status = 'claimed';
    next.claimedBy = BATCH_SCHEDULER_ID;
    next.claimedAt = at;
    const wanted = dueTimers(f.snap, norms).some((d) => timerId(f.row.id, d) === next.id);
    if (!wanted) {
      next.status = 'cancelled';
      continue;
    }
    const { type, payload } = JSON.parse(next.event) as { type: string; payload: unknown };
    const timer = next;
    const r = append(f, { type, payload, actor: SYSTEM_ACTOR }, at, norms, (seq) => {
      Object.assign(timer, { status: 'fired', firedAt: at, firedSeq: seq });
    });
    if (r.ok) fired++;
    else timer.status = 'cancelled';
  }
  return fired;
}

export type Batch = { families: FamilyRow[]; events: EventRow[]; timers: TimerRow[] };

/** The family row as the last dispatch left it, with its snapshot serialised. */
export function finalRow(f: SimFamily): FamilyRow {
  return { ...f.row, snapshot: JSON.stringify(f.snap) };
}

export function toBatch(families: SimFamily[]): Batch {
  return {
    families: families.map(finalRow),
    events: families.flatMap((f) => f.events),
    timers: families.flatMap((f) => [...f.timers.values()]),
  };
}

const CHUNK = 2_000;

/** Bulk insert in one transaction per call: families first (foreign keys), then events and timers. */
export async function insertBatch(db: Db, batch: Batch): Promise<void> {
  await db.prisma.$transaction(
    async (tx) => {
      for (let i = 0; i < batch.families.length; i += CHUNK) await tx.family.createMany({ data: batch.families.slice(i, i + CHUNK) });
      for (let i = 0; i < batch.events.length; i += CHUNK) await tx.event.createMany({ data: batch.events.slice(i, i + CHUNK) });
      for (let i = 0; i < batch.timers.length; i += CHUNK) await tx.timer.createMany({ data: batch.timers.slice(i, i + CHUNK) });
    },
    { maxWait: 60_000, timeout: 600_000 },
  );
}
