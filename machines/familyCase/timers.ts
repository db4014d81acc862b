import type { SystemEventType, TimerKind } from '../schemas/events.ts';
import {
  addDays,
  addHours,
  addMonths,
  addWorkingDays,
  daysBetweenDates,
  isBefore,
  localDateOf,
  utc,
} from './calendar.ts';
import type { FamilyContext, PhaseName } from './context.ts';
import { machineRegistry, stateOf, type PersistedFamily } from './engine.ts';
import { defaultNorms, type Norms } from './norms.ts';
import { incidentFreeSince, legalLimitsV1, stableSafetyFromDate } from './rules.ts';

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

function missedRecorded(ctx: FamilyContext, kind: TimerKind, ref: string, dueAt: string): boolean {
  return ctx.signals.missed.some(
    (s) => s.kind === kind && s.ref === ref && Date.parse(s.dueAt) === Date.parse(dueAt),
  );
}

function statusOf(
  ctx: FamilyContext,
  kind: TimerKind,
  ref: string,
  dueAt: string,
  doneAt: string | null,
): DeadlineStatus {
  if (doneAt) return isBefore(dueAt, doneAt) ? 'missed' : 'met';
  return missedRecorded(ctx, kind, ref, dueAt) ? 'missed' : 'open';
}

function closureOf(ctx: FamilyContext, cycle: number): string | null {
  return ctx.closures.find((c) => c.cycle === cycle)?.at ?? null;
}

/** Veilig Thuis keeps "zicht op veiligheid" with checks from direct safety until stable safety is confirmed. */
export function monitoringActive(snapshot: PersistedFamily): boolean {
  const { phase, oversight } = stateOf(snapshot);
  return (phase.startsWith('directSafety') || phase === 'stableSafety') && oversight !== 'ended';
}

function assessmentDeadlines(ctx: FamilyContext, norms: Norms): Deadline[] {
  const out: Deadline[] = [];
  for (let cycle = 1; cycle <= ctx.cycle; cycle++) {
    const intake = ctx.reports.filter((r) => r.cycle === cycle && r.intake);
    const first = intake[0];
    if (!first) continue;
    const dueAt = intake
      .map((r) =>
        r.acute
          ? addHours(r.receivedAt, norms.acuteAssessmentHours)
          : addWorkingDays(r.receivedAt, norms.assessmentWorkingDays, norms.holidays),
      )
      .reduce((a, b) => (isBefore(b, a) ? b : a));
    // The deadline is met by the completed safety assessment; a case closed before that is dealt with too.
    const done =
      ctx.decisions.find((d) => d.cycle === cycle && d.kind === 'assessment')?.at ?? closureOf(ctx, cycle);
    out.push({
      kind: 'assessment',
      ref: first.id,
      dueAt,
      status: statusOf(ctx, 'assessment', first.id, dueAt, done),
    });
  }
  return out;
}

function investigationDeadlines(ctx: FamilyContext, norms: Norms): Deadline[] {
  return ctx.decisions
    .filter((d) => d.decision === 'investigate')
    .map((d) => {
      const dueAt = addDays(d.at, norms.investigationWeeks * 7);
      const done =
        ctx.decisions.find((x) => x.cycle === d.cycle && x.kind === 'investigation' && !isBefore(x.at, d.at))
          ?.at ?? closureOf(ctx, d.cycle);
      return {
        kind: 'investigation' as const,
        ref: d.id,
        dueAt,
        status: statusOf(ctx, 'investigation', d.id, dueAt, done),
      };
    });
}

function handoverDeadlines(ctx: FamilyContext, norms: Norms): Deadline[] {
  return ctx.handovers.map((h) => {
    const dueAt = addWorkingDays(h.offeredAt, norms.handoverAcceptanceWorkingDays, norms.holidays);
    return {
      kind: 'handoverAcceptance' as const,
      ref: h.id,
      dueAt,
      status: statusOf(ctx, 'handoverAcceptance', h.id, dueAt, h.respondedAt),
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

function monitoringDeadlines(snapshot: PersistedFamily, norms: Norms): Deadline[] {
  const ctx = snapshot.context;
  const active = monitoringActive(snapshot);
  const out: Deadline[] = [];
  for (const cond of ctx.conditions) {
    if (!cond.dueAt) continue;
    const dueAt = addWorkingDays(cond.dueAt, norms.conditionCheckGraceWorkingDays, norms.holidays);
    const checked = ctx.checks.find(
      (k) => !isBefore(k.recordedAt, cond.setAt) && k.results.some((r) => r.conditionId === cond.id),
    );
    const status = statusOf(ctx, 'monitoringCheck', cond.id, dueAt, checked?.recordedAt ?? null);
    // A condition that lapsed unchecked with its case, or one no longer followed up, has no deadline left.
    if (status === 'open' && (cond.status === 'withdrawn' || !active)) continue;
    out.push({ kind: 'monitoringCheck', ref: cond.id, dueAt, status });
  }
  // Periodic checks: each check or (re)start of follow-up sets the next one due N months later.
  const anchors = [
    ...ctx.followUpStarts.map((at) => ({ at, check: false })),
    ...ctx.checks.map((k) => ({ at: k.recordedAt, check: true })),
  ].sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || Number(a.check) - Number(b.check));
  anchors.forEach((anchor, i) => {
    const ref = `periodic:${anchor.at}`;
    const dueAt = addMonths(anchor.at, norms.monitoringIntervalMonths);
    const next = anchors[i + 1];
    const missed = missedRecorded(ctx, 'monitoringCheck', ref, dueAt);
    if (next) {
      if (next.check)
        out.push({
          kind: 'monitoringCheck',
          ref,
          dueAt,
          status: isBefore(dueAt, next.at) || missed ? 'missed' : 'met',
        });
      else if (missed) out.push({ kind: 'monitoringCheck', ref, dueAt, status: 'missed' });
    } else if (active || missed) {
      out.push({ kind: 'monitoringCheck', ref, dueAt, status: missed ? 'missed' : 'open' });
    }
  });
  return out;
}

function stabilityDeadlines(snapshot: PersistedFamily, norms: Norms): Deadline[] {
  const ctx = snapshot.context;
  const out: Deadline[] = ctx.stabilityConfirmations.map((s) => ({
    kind: 'stabilityReview' as const,
    ref: `review:${s.since}`,
    dueAt: addMonths(s.since, norms.stabilityReviewMonths),
    status: 'met' as const,
  }));
  const since = incidentFreeSince(ctx);
  if (stateOf(snapshot).phase === 'stableSafety' && since) {
    out.push({
      kind: 'stabilityReview',
      ref: `review:${since}`,
      dueAt: addMonths(since, norms.stabilityReviewMonths),
      status: 'open',
    });
  }
  return out;
}

function stagnationDeadlines(ctx: FamilyContext, norms: Norms): Deadline[] {
  const out: Deadline[] = [];
  ctx.phaseHistory.forEach((entry, i) => {
    if (entry.phase === 'closed') return;
    const days = norms.stagnationDays[entry.phase as Exclude<PhaseName, 'closed'>];
    const dueAt = addDays(entry.at, days);
    const left = ctx.phaseHistory[i + 1]?.at ?? null;
    const signalled = ctx.signals.stagnation.some(
      (s) => s.phase === entry.phase && Date.parse(s.since) === Date.parse(entry.at),
    );
    const status: DeadlineStatus = left
      ? isBefore(dueAt, left)
        ? 'missed'
        : 'met'
      : signalled
        ? 'missed'
        : 'open';
    out.push({ kind: 'stagnation', ref: `${entry.phase}@${entry.at}`, dueAt, status });
  });
  return out;
}

/** All deadlines of the case for display (API FamilyView.deadlines), including met and missed ones. */
export function deadlinesOf(snapshot: PersistedFamily, norms: Norms = defaultNorms): Deadline[] {
  const ctx = snapshot.context;
  return [
    ...assessmentDeadlines(ctx, norms),
    ...investigationDeadlines(ctx, norms),
    ...handoverDeadlines(ctx, norms),
    ...measureDeadlines(ctx),
    ...monitoringDeadlines(snapshot, norms),
    ...stabilityDeadlines(snapshot, norms),
    ...stagnationDeadlines(ctx, norms),
  ]
    .map((d) => ({ ...d, dueAt: utc(d.dueAt) }))
    .sort(
      (a, b) =>
        Date.parse(a.dueAt) - Date.parse(b.dueAt) ||
        a.kind.localeCompare(b.kind) ||
        a.ref.localeCompare(b.ref),
    );
}

/** The durable timers this case needs now (pending, not yet fired or met); the server fires `event` when due. */
export function dueTimers(snapshot: PersistedFamily, norms: Norms = defaultNorms): DueTimer[] {
  const ctx = snapshot.context;
  const timers: DueTimer[] = [];
  for (const d of deadlinesOf(snapshot, norms)) {
    if (d.status !== 'open') continue;
    switch (d.kind) {
      case 'assessment':
      case 'investigation':
      case 'handoverAcceptance':
      case 'monitoringCheck':
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
