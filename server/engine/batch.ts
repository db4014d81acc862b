/**
 * The engine's batch path, its one public bulk API (the benchmark's generator, simulation/ and the
 * tests use this module, never the engine's internals): histories built in memory with the very functions the write path uses
 * (server/engine/append.ts: command validation, the envelope, the machine, the derived columns,
 * closedAt, the event row and its hash chain, the durable-timer plan), then inserted in bulk.
 * What differs from writing event by event is only where the rows go: server/engine/store.ts puts
 * each append in its own transaction, this keeps the family's rows in memory (its timer rows too,
 * so the timer plan sees what the database would hold) and a bulk writer inserts them. The
 * scheduler's part (Scheduler#fireOnce: fire a due timer unless the family no longer wants it) is
 * `fireDue` below. Histories built here verify and replay like ones written through HTTP (the scale
 * suite checks a sample). Not written: access-log rows for the generated writes (no measured query
 * reads them).
 */
import { defaultNorms, dueTimers, type Norms, type PersistedFamily } from '../../machines/index.ts';
import type { Actor } from '../../machines/schemas/common.ts';
import type { FamilyEvent, NamedUser } from '../../machines/schemas/events.ts';
import { insertEvents } from '../db/events.ts';
import { insertFamilies } from '../db/families.ts';
import type { Db } from '../db/index.ts';
import { writeKpiFacts } from '../db/kpiFacts.ts';
import { insertTimerRows, type TimerInsertRow } from '../db/timers.ts';
import {
  envelope,
  eventRow,
  planAppend,
  planCreate,
  timerPlanFor,
  validateCommand,
  type EventRow,
  type FamilyInsert,
} from './append.ts';
import { createFamilyInputSchema } from './store.ts';
import { nextDueColumns, timerId } from './timers.ts';
import type { planTimers } from './timers.ts';
import { projectEvent, type KpiCursor, type KpiFactRow } from './projections.ts';
import { isAppError } from '../errors.ts';
import { z } from 'zod';

export type { EventRow };

export type FamilyRow = FamilyInsert;

/** A timer row with every column (the batch path writes claims and firings too). */
export type TimerRow = TimerInsertRow & {
  claimedBy: string | null;
  claimedAt: Date | null;
  firedAt: Date | null;
  firedSeq: number | null;
};

/** One family being built: its snapshot, its row's columns, its events and every timer it had. */
export type SimFamily = {
  /** The KPI fold's cursor after the last event (server/engine/projections.ts). */
  cursor: KpiCursor;
  facts: KpiFactRow[];
  row: FamilyRow;
  snap: PersistedFamily;
  lastHash: string;
  events: EventRow[];
  timers: Map<string, TimerRow>;
};

export type Command = {
  type: string;
  payload: unknown;
  reason?: string | null;
  actor: Actor;
  named?: NamedUser;
};

/** A refusal as the API would answer it: the AppError's code, the machine's guard, the message. */
export type BatchRefusal = { kind: string; guard?: string | null; message: string };
export type Appended = { ok: true } | { ok: false; refusal: BatchRefusal };

const SYSTEM_ACTOR = { id: 'system', role: 'system' } as const;
export const BATCH_SCHEDULER_ID = 'bench-batch-scheduler';

/** store.ts's projection step (server/engine/projections.ts): KPI facts and the list columns. */
function project(f: SimFamily, seq: number, event: FamilyEvent, norms: Norms): void {
  const p = projectEvent(
    f.cursor,
    { familyId: f.row.id, seq, event, snapshot: f.snap, reportedAt: f.row.reportedAt },
    norms,
  );
  f.cursor = p.cursor;
  Object.assign(f.row, p.columns);
  f.facts.push(...p.facts);
}

/** The timer plan applied to the in-memory rows exactly as applyTimerPlan's three updates would. */
function applyPlan(f: SimFamily, plan: ReturnType<typeof planTimers>): void {
  for (const id of plan.cancel) {
    const t = f.timers.get(id);
    if (t && (t.status === 'pending' || t.status === 'claimed'))
      Object.assign(t, { status: 'cancelled', claimedBy: null, claimedAt: null });
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

/** The timer rows dispatchUnlocked reads: the live ones and those the new snapshot wants. */
function existingTimers(f: SimFamily, wantedIds: readonly string[]): { id: string; status: string }[] {
  const out: { id: string; status: string }[] = [];
  for (const t of f.timers.values())
    if (t.status === 'pending' || t.status === 'claimed') out.push({ id: t.id, status: t.status });
  for (const id of wantedIds) {
    const t = f.timers.get(id);
    if (t && t.status !== 'pending' && t.status !== 'claimed') out.push({ id, status: t.status });
  }
  return out;
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

// The engine's input schema (its request checks kept: safeExtend), with the municipality check widened to the synthetic national list
// (the API accepts the 16 South Limburg municipalities only; the region is set by the generator).
const inputSchema = createFamilyInputSchema.safeExtend({ municipality: z.string().min(1).max(100) });

/** createFamily's plan (append.ts planCreate), kept in memory; `machineVersion` as in createFamily's context. */
export function startFamily(
  input: CreateInput,
  actor: Actor,
  at: Date,
  norms: Norms = defaultNorms,
  machineVersion?: number,
): SimFamily {
  const { id, region, ...rest } = input;
  const parsed = inputSchema.parse(rest);
  const { reference, municipality, ...report } = parsed;
  const c = planCreate({ id, reference, municipality, region }, report, actor, at.toISOString(), norms, machineVersion);
  const f: SimFamily = {
    row: c.row,
    snap: c.next,
    lastHash: c.event.hash,
    events: [c.event],
    timers: new Map(),
    cursor: c.projection.cursor,
    facts: [...c.projection.facts],
  };
  applyPlan(f, c.timers);
  return f;
}

/**
 * dispatchUnlocked: one event at `at`. Returns the refusal instead of throwing (a simulator adapts);
 * `onAppended` runs where the scheduler's transaction hook runs (after the event, before the plan).
 */
export function append(
  f: SimFamily,
  cmd: Command,
  at: Date,
  norms: Norms = defaultNorms,
  onAppended?: (seq: number) => void,
): Appended {
  try {
    const { type, payload, reason } = validateCommand(cmd);
    const event = envelope(type, payload, reason, cmd.actor, at.toISOString(), cmd.named);
    const plan = planAppend(
      {
        familyId: f.row.id,
        version: f.row.version,
        phase: f.row.phase,
        closedAt: f.row.closedAt,
        snapshot: f.snap,
      },
      event,
      norms,
    );
    const timers = timerPlanFor(f.row.id, plan, existingTimers(f, plan.wantedIds));
    const ev = eventRow(f.row.id, plan.seq, event, plan.next.version, f.lastHash, plan.state);
    f.events.push(ev);
    f.lastHash = ev.hash;
    onAppended?.(plan.seq);
    applyPlan(f, timers);
    Object.assign(f.row, { ...plan.changes, ...nextDueColumns(timers) });
    f.snap = plan.next;
    project(f, plan.seq, event, norms);
    return { ok: true };
  } catch (e) {
    if (!isAppError(e)) throw e;
    const details = (e.details ?? {}) as { guard?: string | null };
    return { ok: false, refusal: { kind: e.code, guard: details.guard ?? null, message: e.message } };
  }
}

/**
 * The scheduler up to `until`: every pending timer due by then fires in due order, at its due time
 * plus `delayMs(t)` (the scheduler's polling lag), never before the family's last event. A timer
 * no longer wanted, or refused by the machine, is cancelled as Scheduler#fireOnce does.
 */
export function fireDue(
  f: SimFamily,
  until: Date,
  norms: Norms = defaultNorms,
  delayMs: () => number = () => 0,
): number {
  let fired = 0;
  for (let guard = 0; guard < 10_000; guard++) {
    let next: TimerRow | null = null;
    for (const t of f.timers.values()) {
      if (t.status === 'pending' && t.dueAt.getTime() <= until.getTime() && (!next || t.dueAt < next.dueAt))
        next = t;
    }
    if (!next) break;
    const at = new Date(
      Math.min(until.getTime(), Math.max(next.dueAt.getTime() + delayMs(), f.row.updatedAt.getTime() + 1)),
    );
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

export type Batch = { families: FamilyRow[]; events: EventRow[]; timers: TimerRow[]; facts: KpiFactRow[] };

/** The family row as the last dispatch left it, with its snapshot serialised. */
export function finalRow(f: SimFamily): FamilyRow {
  return { ...f.row, snapshot: JSON.stringify(f.snap) };
}

export function toBatch(families: SimFamily[]): Batch {
  return {
    families: families.map(finalRow),
    events: families.flatMap((f) => f.events),
    timers: families.flatMap((f) => [...f.timers.values()]),
    facts: families.flatMap((f) => f.facts),
  };
}

/**
 * Bulk insert in one transaction per call, through the engine's direct SQL (Prisma's createMany
 * would round KpiFact values on SQLite): families first (foreign keys), then events, timers, facts.
 */
export async function insertBatch(db: Db, batch: Batch): Promise<void> {
  await db.direct.transaction(async (q) => {
    await insertFamilies(q, batch.families);
    await insertEvents(q, batch.events);
    await insertTimerRows(q, batch.timers);
    await writeKpiFacts(q, batch.facts);
  });
}
