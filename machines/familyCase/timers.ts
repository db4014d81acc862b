import type { SystemEventType, TimerKind } from '../schemas/events.ts';
import {
  addDays,
  addHours,
  addMonths,
  addWorkingDays,
  daysBetweenDates,
  isBefore,
  localDateOf,
  maxInstant,
  utc,
} from './calendar.ts';
import type { Condition, FamilyContext, Handover, PhaseName } from './context.ts';
import { machineRegistry, stateOf, type PersistedFamily } from './engine.ts';
import { activeMeasureIndices, latestCheckAt, latestFollowUpStart } from './listFacts.ts';
import { defaultNorms, normsAt, type Norms } from './norms.ts';
import { legalLimitsV1 } from './limits.ts';
import { incidentFreeSince, stableSafetyFromDate } from './rules/stability.ts';
import type { FamilyContextV2 } from './contextV2.ts';
import { missedDeadlinesV2, openDeadlinesV2 } from './timersV2.ts';

// Deadlines are derived, not stored: the context keeps the facts (when a report came in, when a handover
// was offered, which signals fired) and the norms in force decide the due dates. Changing a norm
// therefore moves open deadlines without touching any history.

export type DeadlineStatus = 'open' | 'met' | 'missed';
export type Deadline = { kind: TimerKind; ref: string; dueAt: string; status: DeadlineStatus };
export type DueTimer = {
  kind: TimerKind;
  ref: string;
  dueAt: string;
  event: { type: SystemEventType; payload: unknown };
};

type Report = FamilyContext['reports'][number];
type Check = FamilyContext['checks'][number];
type PhaseEntry = FamilyContext['phaseHistory'][number];

type MissedLookup = (kind: TimerKind, ref: string, dueAt: string) => boolean;

/** Whether a `deadline.missed` signal names this deadline (kind and ref are compared before any date). */
function missedRecorded(ctx: FamilyContext): MissedLookup {
  return (kind, ref, dueAt) => {
    const due = Date.parse(dueAt);
    return ctx.signals.missed.some((s) => s.kind === kind && s.ref === ref && Date.parse(s.dueAt) === due);
  };
}

/** The same, indexed once: for deriving every deadline of the history. */
function missedIndex(ctx: FamilyContext): MissedLookup {
  const key = (kind: string, ref: string, due: number) => `${kind}\u0000${ref}\u0000${due}`;
  const keys = new Set<string>();
  for (const s of ctx.signals.missed) {
    const due = Date.parse(s.dueAt);
    if (!Number.isNaN(due)) keys.add(key(s.kind, s.ref, due));
  }
  return (kind, ref, dueAt) => {
    const due = Date.parse(dueAt);
    return !Number.isNaN(due) && keys.has(key(kind, ref, due));
  };
}

function statusOf(
  missed: MissedLookup,
  kind: TimerKind,
  ref: string,
  dueAt: string,
  doneAt: string | null,
): DeadlineStatus {
  if (doneAt) return isBefore(dueAt, doneAt) ? 'missed' : 'met';
  return missed(kind, ref, dueAt) ? 'missed' : 'open';
}

/** Veilig Thuis keeps "zicht op veiligheid" with checks from direct safety until stable safety is confirmed. */
export function monitoringActive(snapshot: PersistedFamily): boolean {
  const { phase, oversight } = stateOf(snapshot);
  return (phase.startsWith('directSafety') || phase === 'stableSafety') && oversight !== 'ended';
}

function assessmentDue(intake: readonly Report[], norms: Norms): string {
  return intake
    .map((r) => {
      const n = normsAt(norms, r.receivedAt);
      return r.acute
        ? addHours(r.receivedAt, n.acuteAssessmentHours)
        : addWorkingDays(r.receivedAt, n.assessmentWorkingDays, n.holidays);
    })
    .reduce((a, b) => (isBefore(b, a) ? b : a));
}

// Each deadline takes the norms in force when it started (normsAt).
const investigationDue = (decidedAt: string, norms: Norms) =>
  addDays(decidedAt, normsAt(norms, decidedAt).investigationWeeks * 7);
const handoverDue = (h: Handover, norms: Norms) => {
  const n = normsAt(norms, h.offeredAt);
  return addWorkingDays(h.offeredAt, n.handoverAcceptanceWorkingDays, n.holidays);
};
const conditionCheckDue = (cond: Condition & { dueAt: string }, norms: Norms) => {
  const n = normsAt(norms, cond.setAt);
  return addWorkingDays(cond.dueAt, n.conditionCheckGraceWorkingDays, n.holidays);
};
const periodicRef = (anchor: string) => `periodic:${anchor}`;
const periodicDue = (anchor: string, norms: Norms) => addMonths(anchor, normsAt(norms, anchor).monitoringIntervalMonths);
const reviewDue = (since: string, norms: Norms) => addMonths(since, normsAt(norms, since).stabilityReviewMonths);
const stagnationDue = (entry: PhaseEntry, norms: Norms) =>
  addDays(entry.at, normsAt(norms, entry.at).stagnationDays[entry.phase as Exclude<PhaseName, 'closed'>]);

/** Deadlines sorted for display and scheduling: by due instant, then kind, then ref (stable). */
function sorted(deadlines: Deadline[]): Deadline[] {
  return deadlines
    .map((d) => {
      const dueAt = utc(d.dueAt);
      return { d: { ...d, dueAt }, due: Date.parse(dueAt) };
    })
    .sort((a, b) => a.due - b.due || a.d.kind.localeCompare(b.d.kind) || a.d.ref.localeCompare(b.d.ref))
    .map((x) => x.d);
}

// ---------------------------------------------------------------------------------------------------
// Every deadline of the history, met and missed included (for display): one pass per list, with indexes
// instead of a search of the whole history per deadline.

function firstPerCycle<T extends { cycle: number }>(items: readonly T[], keep: (item: T) => boolean) {
  const out = new Map<number, T>();
  for (const item of items) if (keep(item) && !out.has(item.cycle)) out.set(item.cycle, item);
  return out;
}

function groupByCycle<T extends { cycle: number }>(items: readonly T[], keep: (item: T) => boolean) {
  const out = new Map<number, T[]>();
  for (const item of items) {
    if (!keep(item)) continue;
    const list = out.get(item.cycle);
    if (list) list.push(item);
    else out.set(item.cycle, [item]);
  }
  return out;
}

function assessmentDeadlines(ctx: FamilyContext, norms: Norms, missed: MissedLookup): Deadline[] {
  const out: Deadline[] = [];
  const intakeByCycle = groupByCycle(ctx.reports, (r) => r.intake);
  const assessed = firstPerCycle(ctx.decisions, (d) => d.kind === 'assessment');
  const closed = firstPerCycle(ctx.closures, () => true);
  for (let cycle = 1; cycle <= ctx.cycle; cycle++) {
    const intake = intakeByCycle.get(cycle);
    const first = intake?.[0];
    if (!intake || !first) continue;
    const dueAt = assessmentDue(intake, norms);
    // The deadline is met by the completed safety assessment; a case closed before that is dealt with too.
    const done = assessed.get(cycle)?.at ?? closed.get(cycle)?.at ?? null;
    out.push({
      kind: 'assessment',
      ref: first.id,
      dueAt,
      status: statusOf(missed, 'assessment', first.id, dueAt, done),
    });
  }
  return out;
}

function investigationDeadlines(ctx: FamilyContext, norms: Norms, missed: MissedLookup): Deadline[] {
  const byCycle = groupByCycle(ctx.decisions, () => true);
  const closed = firstPerCycle(ctx.closures, () => true);
  return ctx.decisions
    .filter((d) => d.decision === 'investigate')
    .map((d) => {
      const dueAt = investigationDue(d.at, norms);
      const done =
        byCycle.get(d.cycle)?.find((x) => x.kind === 'investigation' && !isBefore(x.at, d.at))?.at ??
        closed.get(d.cycle)?.at ??
        null;
      return {
        kind: 'investigation' as const,
        ref: d.id,
        dueAt,
        status: statusOf(missed, 'investigation', d.id, dueAt, done),
      };
    });
}

function handoverDeadlines(ctx: FamilyContext, norms: Norms, missed: MissedLookup): Deadline[] {
  return ctx.handovers.map((h) => {
    const dueAt = handoverDue(h, norms);
    return {
      kind: 'handoverAcceptance' as const,
      ref: h.id,
      dueAt,
      status: statusOf(missed, 'handoverAcceptance', h.id, dueAt, h.respondedAt),
    };
  });
}

function measureDeadlines(ctx: FamilyContext): Deadline[] {
  return ctx.measures.map((m) => ({
    kind: 'measureEnd' as const,
    ref: m.id,
    dueAt: m.endsAt,
    status: m.status === 'active' ? ('open' as const) : ('met' as const),
  }));
}

function monitoringDeadlines(snapshot: PersistedFamily, norms: Norms, missed: MissedLookup): Deadline[] {
  const ctx = snapshot.context;
  const active = monitoringActive(snapshot);
  const out: Deadline[] = [];
  const checksOf = new Map<string, Check[]>();
  for (const k of ctx.checks) {
    for (const r of k.results) {
      const list = checksOf.get(r.conditionId);
      if (!list) checksOf.set(r.conditionId, [k]);
      else if (list.at(-1) !== k) list.push(k);
    }
  }
  for (const cond of ctx.conditions) {
    if (!cond.dueAt) continue;
    const dueAt = conditionCheckDue({ ...cond, dueAt: cond.dueAt }, norms);
    const checked = checksOf.get(cond.id)?.find((k) => !isBefore(k.recordedAt, cond.setAt));
    const status = statusOf(missed, 'monitoringCheck', cond.id, dueAt, checked?.recordedAt ?? null);
    // A condition that lapsed unchecked with its case, or one no longer followed up, has no deadline left.
    if (status === 'open' && (cond.status === 'withdrawn' || !active)) continue;
    out.push({ kind: 'monitoringCheck', ref: cond.id, dueAt, status });
  }
  // Periodic checks: each check or (re)start of follow-up sets the next one due N months later.
  const anchors = [
    ...ctx.followUpStarts.map((at) => ({ at, check: false, t: Date.parse(at) })),
    ...ctx.checks.map((k) => ({ at: k.recordedAt, check: true, t: Date.parse(k.recordedAt) })),
  ].sort((a, b) => a.t - b.t || Number(a.check) - Number(b.check));
  anchors.forEach((anchor, i) => {
    const ref = periodicRef(anchor.at);
    const dueAt = periodicDue(anchor.at, norms);
    const next = anchors[i + 1];
    const isMissed = missed('monitoringCheck', ref, dueAt);
    if (next) {
      if (next.check)
        out.push({
          kind: 'monitoringCheck',
          ref,
          dueAt,
          status: isBefore(dueAt, next.at) || isMissed ? 'missed' : 'met',
        });
      else if (isMissed) out.push({ kind: 'monitoringCheck', ref, dueAt, status: 'missed' });
    } else if (active || isMissed) {
      out.push({ kind: 'monitoringCheck', ref, dueAt, status: isMissed ? 'missed' : 'open' });
    }
  });
  return out;
}

function stabilityDeadlines(snapshot: PersistedFamily, norms: Norms): Deadline[] {
  const ctx = snapshot.context;
  const out: Deadline[] = ctx.stabilityConfirmations.map((s) => ({
    kind: 'stabilityReview' as const,
    ref: `review:${s.since}`,
    dueAt: reviewDue(s.since, norms),
    status: 'met' as const,
  }));
  const open = openStabilityReview(snapshot, norms);
  if (open) out.push(open);
  return out;
}

function stagnationDeadlines(ctx: FamilyContext, norms: Norms): Deadline[] {
  const key = (phase: string, since: number) => `${phase}\u0000${since}`;
  const signalled = new Set<string>();
  for (const s of ctx.signals.stagnation) {
    const since = Date.parse(s.since);
    if (!Number.isNaN(since)) signalled.add(key(s.phase, since));
  }
  const out: Deadline[] = [];
  ctx.phaseHistory.forEach((entry, i) => {
    if (entry.phase === 'closed') return;
    const dueAt = stagnationDue(entry, norms);
    const left = ctx.phaseHistory[i + 1]?.at ?? null;
    const status: DeadlineStatus = left
      ? isBefore(dueAt, left)
        ? 'missed'
        : 'met'
      : signalled.has(key(entry.phase, Date.parse(entry.at)))
        ? 'missed'
        : 'open';
    out.push({ kind: 'stagnation', ref: `${entry.phase}@${entry.at}`, dueAt, status });
  });
  return out;
}

/** All deadlines of the case for display (API FamilyView.deadlines), including met and missed ones. */
export function deadlinesOf(snapshot: PersistedFamily, norms: Norms = defaultNorms): Deadline[] {
  const ctx = snapshot.context;
  const missed = missedIndex(ctx);
  return sorted([
    ...assessmentDeadlines(ctx, norms, missed),
    ...investigationDeadlines(ctx, norms, missed),
    ...handoverDeadlines(ctx, norms, missed),
    ...measureDeadlines(ctx),
    ...monitoringDeadlines(snapshot, norms, missed),
    ...stabilityDeadlines(snapshot, norms),
    ...stagnationDeadlines(ctx, norms),
    // familyCase@2: its context keeps only what is current, so only the open and the missed ones.
    ...(snapshot.version >= 2
      ? [...openDeadlinesV2(ctx as FamilyContextV2, norms, missed), ...missedDeadlinesV2(ctx as FamilyContextV2)]
      : []),
  ]);
}

// ---------------------------------------------------------------------------------------------------
// Only the open deadlines, derived from what can still be open, so that the cost follows what is open
// and not the length of the history. Each one is exactly the `open` entry deadlinesOf derives (the
// property tests compare the two after every event), relying on how the machine builds the context:
//  - lists whose items carry a `cycle` are appended in cycle order, and a new cycle opens only from
//    `closed`, whose entry records the closure: every earlier cycle's assessment and investigation are
//    done, so only the current cycle's can be open;
//  - only the last handover can be unanswered (an offer cancels the pending one before it);
//  - only the last phase entry has not been left;
//  - a check can only name a condition that exists, and sets its `lastCheckedAt`.

function currentCycle<T extends { cycle: number }>(items: readonly T[], cycle: number): readonly T[] {
  let from = items.length;
  while (from > 0 && items[from - 1]!.cycle === cycle) from--;
  return items.slice(from);
}

/** Whether a check recorded at or after the condition was set names it (it then has no open deadline). */
function checkedSinceSet(ctx: FamilyContext, cond: Condition): boolean {
  if (cond.lastCheckedAt === null) return false;
  if (!isBefore(cond.lastCheckedAt, cond.setAt)) return true;
  // The clock went back between setting and checking: an earlier check may still count.
  return ctx.checks.some(
    (k) => !isBefore(k.recordedAt, cond.setAt) && k.results.some((r) => r.conditionId === cond.id),
  );
}

function openStabilityReview(snapshot: PersistedFamily, norms: Norms): Deadline | null {
  const since = incidentFreeSince(snapshot.context);
  if (stateOf(snapshot).phase !== 'stableSafety' || !since) return null;
  return {
    kind: 'stabilityReview',
    ref: `review:${since}`,
    dueAt: reviewDue(since, norms),
    status: 'open',
  };
}

/** `deadlinesOf(snapshot, norms).filter((d) => d.status === 'open')`, without deriving the rest. */
export function openDeadlinesOf(snapshot: PersistedFamily, norms: Norms = defaultNorms): Deadline[] {
  const ctx = snapshot.context;
  const missed = missedRecorded(ctx);
  const out: Deadline[] = [];
  const open = (kind: TimerKind, ref: string, dueAt: string) => {
    if (!missed(kind, ref, dueAt)) out.push({ kind, ref, dueAt, status: 'open' });
  };

  const cycleClosed = ctx.closures.at(-1)?.cycle === ctx.cycle;
  if (ctx.cycle > 0 && !cycleClosed) {
    const decisions = currentCycle(ctx.decisions, ctx.cycle);
    if (!decisions.some((d) => d.kind === 'assessment')) {
      const intake = currentCycle(ctx.reports, ctx.cycle).filter((r) => r.intake);
      if (intake[0]) open('assessment', intake[0].id, assessmentDue(intake, norms));
    }
    for (const d of decisions) {
      if (d.decision !== 'investigate') continue;
      if (decisions.some((x) => x.kind === 'investigation' && !isBefore(x.at, d.at))) continue;
      open('investigation', d.id, investigationDue(d.at, norms));
    }
  }

  const handover = ctx.handovers.at(-1);
  if (handover && !handover.respondedAt)
    open('handoverAcceptance', handover.id, handoverDue(handover, norms));

  for (const i of activeMeasureIndices(ctx.measures)) {
    const m = ctx.measures[i]!;
    out.push({ kind: 'measureEnd', ref: m.id, dueAt: m.endsAt, status: 'open' });
  }

  if (monitoringActive(snapshot)) {
    for (const cond of ctx.conditions) {
      if (!cond.dueAt || cond.status === 'withdrawn' || checkedSinceSet(ctx, cond)) continue;
      open('monitoringCheck', cond.id, conditionCheckDue({ ...cond, dueAt: cond.dueAt }, norms));
    }
    // Only the latest anchor (follow-up start or check) has no next one; anchors are UTC-normalised, so
    // equal instants are equal strings and it does not matter which of several equal ones is taken.
    const start = latestFollowUpStart(ctx.followUpStarts);
    const check = latestCheckAt(ctx.checks);
    const anchor = start === null ? check : check === null ? start : maxInstant(check, start);
    if (anchor !== null)
      open('monitoringCheck', periodicRef(anchor), periodicDue(anchor, norms));
  }

  const review = openStabilityReview(snapshot, norms);
  if (review) out.push(review);

  const entry = ctx.phaseHistory.at(-1);
  if (entry && entry.phase !== 'closed') {
    const since = Date.parse(entry.at);
    const signalled = ctx.signals.stagnation.some(
      (s) => s.phase === entry.phase && Date.parse(s.since) === since,
    );
    if (!signalled)
      out.push({
        kind: 'stagnation',
        ref: `${entry.phase}@${entry.at}`,
        dueAt: stagnationDue(entry, norms),
        status: 'open',
      });
  }
  if (snapshot.version >= 2) out.push(...openDeadlinesV2(ctx as FamilyContextV2, norms, missed));
  return sorted(out);
}

/** The durable timers this case needs now (pending, not yet fired or met); the server fires `event` when due. */
export function dueTimers(snapshot: PersistedFamily, norms: Norms = defaultNorms): DueTimer[] {
  const ctx = snapshot.context;
  const timers: DueTimer[] = [];
  for (const d of openDeadlinesOf(snapshot, norms)) {
    switch (d.kind) {
      case 'assessment':
      case 'investigation':
      case 'handoverAcceptance':
      case 'monitoringCheck':
      // familyCase@2 (timersV2.ts)
      case 'interimContact':
      case 'reporterFeedback':
      case 'householdFeedback':
      case 'firstContact':
      case 'firstPlan':
      case 'conferenceAgreement':
      case 'nextConference':
        timers.push({
          ...d,
          event: { type: 'deadline.missed', payload: { kind: d.kind, ref: d.ref, dueAt: d.dueAt } },
        });
        break;
      case 'measureEnd':
        timers.push({ ...d, event: { type: 'measure.expired', payload: { measureId: d.ref } } });
        break;
      case 'stabilityReview':
        if (!ctx.signals.reviewsDue.some((r) => Date.parse(r.dueAt) === Date.parse(d.dueAt))) {
          timers.push({ ...d, event: { type: 'stability.reviewDue', payload: { dueAt: d.dueAt } } });
        }
        break;
      case 'stagnation': {
        const at = d.ref.slice(d.ref.indexOf('@') + 1);
        const phase = d.ref.slice(0, d.ref.indexOf('@'));
        timers.push({
          ...d,
          event: { type: 'stagnation.detected', payload: { phase, since: at, dueAt: d.dueAt } },
        });
        break;
      }
    }
  }
  return timers.map(({ kind, ref, dueAt, event }) => ({ kind, ref, dueAt, event }));
}

/** Incident-free period for display: since when, how many whole days by `nowIso`, and from which date stable safety can be confirmed. */
export function incidentFree(
  snapshot: PersistedFamily,
  nowIso: string,
): { since: string | null; days: number; stableSafetyFrom: string | null } {
  const limits = machineRegistry.get(snapshot.version)?.limits ?? legalLimitsV1;
  const since = incidentFreeSince(snapshot.context);
  return {
    since,
    days: since ? Math.max(0, daysBetweenDates(localDateOf(since), localDateOf(nowIso))) : 0,
    stableSafetyFrom: stableSafetyFromDate(snapshot.context, limits),
  };
}
