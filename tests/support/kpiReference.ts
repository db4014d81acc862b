/**
 * The figures and the monitoring list as they were computed before the projections existed
 * (server/cases/kpiFigures.ts, server/db/queries.ts and server/cases/views.ts at commit 9112aba): every
 * event of every family with an event in the period, folded per family at query time; every
 * monitored family's snapshot, sorted in JavaScript. Kept verbatim as the reference the write-time
 * projections (server/engine/projections.ts) must reproduce exactly.
 */
import { addDays, addWorkingDays, deadlinesOf, stateOf, v2TimerKinds, workingDaysBetween, type FamilyContextV2, type Norms, type PersistedFamily, type TimerKind } from '../../machines/index.ts';
import { kpiPhases, type Kpi, type Kpis, type MonitoringItem, type UserRef } from '../../contract/index.ts';
import { visibleFamiliesWhere, type Principal } from '../../server/auth/policy.ts';
import type { Db } from '../../server/db/index.ts';
import { toFamilyRecord, type FamilyRecord } from '../../server/engine/records.ts';
import { definitions, median, percentile } from '../../server/cases/kpiFigures.ts';

const DAY_MS = 86_400_000;

type Def = { nl: string; en: string };

export type KpiEventRow = {
  familyId: string;
  seq: number;
  type: string;
  recordedAt: Date;
  occurredAt: Date | null;
  stateAfter: string;
  payload: string;
};

export type KpiData = { waiting: FamilyRecord[]; events: KpiEventRow[] };

/** The old kpiData, without its access-log row. */
export async function referenceKpiData(db: Db, principal: Principal, scope: { from: Date; to: Date; municipality?: string }): Promise<KpiData> {
  const visible = visibleFamiliesWhere(principal);
  if (!visible) return { waiting: [], events: [] };
  const base: Record<string, unknown>[] = [visible];
  if (scope.municipality) base.push({ municipality: scope.municipality });
  const waiting = (await db.prisma.family.findMany({ where: { AND: [...base, { phase: 'reported' }] } })).map(toFamilyRecord);
  const events = await db.prisma.event.findMany({
    where: {
      recordedAt: { lte: scope.to },
      family: { AND: [...base, { events: { some: { recordedAt: { gte: scope.from, lte: scope.to } } } }] },
    },
    select: { familyId: true, seq: true, type: true, recordedAt: true, occurredAt: true, stateAfter: true, payload: true },
    orderBy: [{ familyId: 'asc' }, { seq: 'asc' }],
  });
  return { waiting, events };
}

function kpi(value: number | null, unit: Kpi['unit'], basis: number, definition: Def): Kpi {
  return { value: value === null ? null : Math.round(value * 1000) / 1000, unit, basis, definition };
}

const topPhase = (phase: string) => phase.split('.')[0] ?? phase;

function parseJson<T>(text: string): T | null {
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

/** The start of the current wait: the earliest report of the case's current cycle. */
function waitingSince(f: FamilyRecord): string {
  const ctx = f.snapshot.context;
  const reports = ctx.reports.filter((r) => r.cycle === ctx.cycle);
  return reports.reduce((min, r) => (r.receivedAt < min ? r.receivedAt : min), reports[0]?.receivedAt ?? f.reportedAt);
}

type Tally = {
  waits: number[];
  assessed: number;
  assessedInTime: number;
  investigations: number;
  investigationsInTime: number;
  phaseDays: Map<string, number[]>;
  incidentsAfterStable: number;
  repeatReports: number;
  escalations: number;
  stagnation: number;
};

function tallyFamily(events: readonly KpiEventRow[], from: number, to: number, norms: Norms, t: Tally): void {
  let prevPhase: string | null = null;
  let phaseSince: number | null = null;
  let waitStart: number | null = null;
  let assessmentDue: number | null = null;
  let investigationDue: number | null = null;
  for (const e of events) {
    const at = e.recordedAt.getTime();
    const inPeriod = at >= from && at <= to;
    const phase = topPhase(parseJson<{ phase: string }>(e.stateAfter)?.phase ?? prevPhase ?? 'reported');
    switch (e.type) {
      case 'report.received': {
        const received = (e.occurredAt ?? e.recordedAt).toISOString();
        if (phase === 'reported' && prevPhase !== 'reported') waitStart = Date.parse(received);
        if (inPeriod && prevPhase === 'closed') t.repeatReports++;
        // Reports received while waiting or in assessment join that assessment's deadline.
        if (phase === 'reported' || phase === 'assessment') {
          const acute = parseJson<{ acute?: boolean }>(e.payload)?.acute === true;
          const due = acute
            ? Date.parse(received) + norms.acuteAssessmentHours * 3_600_000
            : Date.parse(addWorkingDays(received, norms.assessmentWorkingDays, norms.holidays));
          assessmentDue = assessmentDue === null ? due : Math.min(assessmentDue, due);
        }
        break;
      }
      case 'assessment.started':
        if (inPeriod && waitStart !== null) t.waits.push((at - waitStart) / DAY_MS);
        waitStart = null;
        break;
      case 'assessment.completed':
        if (inPeriod && assessmentDue !== null) {
          t.assessed++;
          if (at <= assessmentDue) t.assessedInTime++;
        }
        assessmentDue = null;
        break;
      case 'investigation.completed':
        if (inPeriod && investigationDue !== null) {
          t.investigations++;
          if (at <= investigationDue) t.investigationsInTime++;
        }
        investigationDue = null;
        break;
      case 'incident.reported':
        if (inPeriod && (prevPhase === 'stableSafety' || prevPhase === 'recovery')) t.incidentsAfterStable++;
        break;
      case 'escalation.raised':
        if (inPeriod) t.escalations++;
        break;
      case 'stagnation.detected':
        if (inPeriod) t.stagnation++;
        break;
      default:
        break;
    }
    if (phase === 'closed' && prevPhase !== 'closed') assessmentDue = null;
    if (phase !== prevPhase) {
      if (prevPhase !== null && phaseSince !== null && inPeriod && prevPhase !== 'closed') {
        const list = t.phaseDays.get(prevPhase) ?? [];
        list.push((at - phaseSince) / DAY_MS);
        t.phaseDays.set(prevPhase, list);
      }
      if (phase === 'investigation') investigationDue = Date.parse(addDays(e.recordedAt.toISOString(), norms.investigationWeeks * 7));
      prevPhase = phase;
      phaseSince = at;
    }
  }
}

/** The figures as they were before issue 13 added targets, handover acceptance, reports and escalations by destination. */
export type ReferenceKpis = Omit<
  Kpis,
  'handoverAcceptance' | 'reports' | 'escalationsByDestination' | V2Figure
>;

export function referenceKpis(
  data: KpiData,
  scope: { from: Date; to: Date; municipality?: string },
  norms: Norms,
  now: Date,
): ReferenceKpis {
  const t: Tally = {
    waits: [],
    assessed: 0,
    assessedInTime: 0,
    investigations: 0,
    investigationsInTime: 0,
    phaseDays: new Map(),
    incidentsAfterStable: 0,
    repeatReports: 0,
    escalations: 0,
    stagnation: 0,
  };
  const from = scope.from.getTime();
  const to = scope.to.getTime();
  let start = 0;
  for (let i = 1; i <= data.events.length; i++) {
    if (i === data.events.length || data.events[i]!.familyId !== data.events[start]!.familyId) {
      tallyFamily(data.events.slice(start, i), from, to, norms, t);
      start = i;
    }
  }

  const oldest = data.waiting.map(waitingSince).sort()[0] ?? null;
  const share = (part: number, whole: number) => (whole === 0 ? null : part / whole);
  return {
    from: scope.from.toISOString(),
    to: scope.to.toISOString(),
    municipality: scope.municipality ?? null,
    generatedAt: now.toISOString(),
    waitingList: {
      count: kpi(data.waiting.length, 'count', data.waiting.length, definitions.waitingCount),
      oldestDays: kpi(oldest ? Math.max(0, (now.getTime() - Date.parse(oldest)) / DAY_MS) : null, 'days', data.waiting.length, definitions.waitingOldest),
      oldestSince: oldest,
    },
    assessmentWait: {
      median: kpi(median(t.waits), 'days', t.waits.length, definitions.waitMedian),
      p90: kpi(percentile(t.waits, 90), 'days', t.waits.length, definitions.waitP90),
    },
    assessedWithinDeadline: kpi(share(t.assessedInTime, t.assessed), 'share', t.assessed, definitions.assessedInTime),
    investigationsWithinTenWeeks: kpi(
      share(t.investigationsInTime, t.investigations),
      'share',
      t.investigations,
      definitions.investigationsInTime,
    ),
    timePerPhase: Object.fromEntries(
      kpiPhases.map((p) => {
        const days = t.phaseDays.get(p) ?? [];
        return [p, kpi(median(days), 'days', days.length, definitions.phase(p))];
      }),
    ) as Kpis['timePerPhase'],
    incidentsAfterStableSafety: kpi(t.incidentsAfterStable, 'count', t.incidentsAfterStable, definitions.incidentsAfterStable),
    repeatReports: kpi(t.repeatReports, 'count', t.repeatReports, definitions.repeatReports),
    escalations: kpi(t.escalations, 'count', t.escalations, definitions.escalations),
    stagnationSignals: kpi(t.stagnation, 'count', t.stagnation, definitions.stagnation),
  };
}

/** The old monitoringItem (views.ts) and the route's sort. */
export function referenceMonitoringItem(
  family: FamilyRecord,
  refs: ReadonlyMap<string, UserRef>,
  norms: Norms,
  now: Date,
  declineReason: string | null = null,
): MonitoringItem {
  const refOf = (id: string | null) => (id ? (refs.get(id) ?? { id, username: id, displayName: id }) : null);
  const c = family.snapshot.context;
  const ctxNoMissed: PersistedFamily = {
    ...family.snapshot,
    context: { ...c, signals: { ...c.signals, missed: [] } },
  };
  const open = deadlinesOf(ctxNoMissed, norms).filter((d) => d.status === 'open');
  const earliest = (kind: string) =>
    open.filter((d) => d.kind === kind).reduce<string | null>((min, d) => (min === null || d.dueAt < min ? d.dueAt : min), null);
  const lastCheck = c.checks.reduce<string | null>((max, k) => (max === null || k.recordedAt > max ? k.recordedAt : max), null);
  const nextCheckDue = earliest('monitoringCheck');
  const acceptanceDue = family.oversight === 'handoverPending' ? earliest('handoverAcceptance') : null;
  // Back with VT after the last offer was declined (family open): work to do at once.
  const last = c.handovers.at(-1);
  const declined =
    family.oversight === 'vtInvolved' && family.phase !== 'closed' && last?.outcome === 'declined' && last.respondedAt
      ? { declinedBy: refOf(last.toId)!, at: last.respondedAt, reason: declineReason }
      : null;
  const missedDeadlines = referenceMissedV2(family.snapshot, norms);
  const due = [nextCheckDue, acceptanceDue, declined?.at ?? null, ...missedDeadlines.map((d) => d.dueAt)].filter((d): d is string => d !== null);
  return {
    id: family.id,
    reference: family.reference,
    municipality: family.municipality,
    state: stateOf(family.snapshot),
    caseDirector: refOf(family.directorId),
    pendingDirector: refOf(family.pendingDirectorId),
    conditions: c.conditions
      .filter((x) => x.status === 'open')
      .map((x) => ({
        id: x.id,
        description: x.description,
        dueAt: x.dueAt,
        status: x.status,
        lastCheckedAt: x.lastCheckedAt,
        lastResult: x.lastResult,
      })),
    lastCheckAt: lastCheck,
    nextCheckDue,
    acceptanceDue,
    declinedHandover: declined,
    missedDeadlines,
    overdue: due.some((d) => Date.parse(d) <= now.getTime()),
  };
}

const V2_KINDS: readonly string[] = v2TimerKinds;

/**
 * Issue 14: the familyCase@2 deadlines signalled missed and still owed, from the snapshot's signals and
 * deadlinesOf without them (an open deadline of the same kind and ref is still owed; an interim
 * contact is owed while the family waits and no contact came after its due date).
 */
function referenceMissedV2(snapshot: PersistedFamily, norms: Norms): { kind: TimerKind; dueAt: string }[] {
  if (snapshot.version < 2) return [];
  const c = snapshot.context as FamilyContextV2;
  const signalled = c.signals.missed.filter((m) => V2_KINDS.includes(m.kind));
  const open = deadlinesOf({ ...snapshot, context: { ...c, signals: { ...c.signals, missed: [] } } }, norms).filter((d) => d.status === 'open');
  return signalled
    .filter((m) =>
      m.kind === 'interimContact'
        ? stateOf(snapshot).phase === 'reported' && !(c.interimContactAt !== null && c.interimContactAt >= m.dueAt)
        : open.some((d) => d.kind === m.kind && d.ref === m.ref),
    )
    .map((m) => ({ kind: m.kind, dueAt: m.dueAt }))
    .sort((a, b) => (a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
}

/** The old GET /monitoring: every monitored family the principal may see, overdue first. */
export async function referenceMonitoring(
  db: Db,
  principal: Principal,
  refs: ReadonlyMap<string, UserRef>,
  norms: Norms,
  now: Date,
): Promise<MonitoringItem[]> {
  const visible = visibleFamiliesWhere(principal);
  if (!visible) return [];
  const families = (
    await db.prisma.family.findMany({ where: visible })
  ).map(toFamilyRecord);
  // The reason of a declined offer is the motivation of the family's last handover.declined event.
  const reasons = new Map<string, string | null>();
  for (const f of families) {
    const declined = await db.prisma.event.findFirst({ where: { familyId: f.id, type: 'handover.declined' }, orderBy: { seq: 'desc' } });
    if (declined) reasons.set(f.id, declined.reason);
  }
  const items = families
    .map((f) => referenceMonitoringItem(f, refs, norms, now, reasons.get(f.id) ?? null))
    .filter((i) => ['monitoring', 'handoverPending'].includes(i.state.oversight) || i.declinedHandover !== null || i.missedDeadlines.length > 0);
  const dueOf = (i: (typeof items)[number]) =>
    [i.nextCheckDue, i.acceptanceDue, i.declinedHandover?.at ?? null, ...i.missedDeadlines.map((d) => d.dueAt)].filter((d): d is string => d !== null).sort()[0] ?? '9999';
  // Issue 14: missed first contacts and first plans first.
  const firstHelp = (i: (typeof items)[number]) => Number(i.missedDeadlines.some((d) => d.kind === 'firstContact' || d.kind === 'firstPlan'));
  // The old tie-break was reference.localeCompare; the list now breaks ties by reference then id in SQL.
  items.sort((a, b) => firstHelp(b) - firstHelp(a) || Number(b.overdue) - Number(a.overdue) || dueOf(a).localeCompare(dueOf(b)) || (a.reference < b.reference ? -1 : a.reference > b.reference ? 1 : a.id < b.id ? -1 : 1));
  return items;
}

// ------------------------------------------------------------------ issue 14: the familyCase@2 figures

/** The figures issue 14 added (familyCase@2), recomputed here from the histories at query time. */
export type V2Figure = 'investigationStartWait' | 'feedbackInTime' | 'daysWithoutHelp' | 'incidentToConference' | 'obstacles';

const OBSTACLES = ['waitingList', 'noCapacity', 'noConsent', 'familyDeclines', 'legal', 'other'] as const;

type V2Tally = {
  investigationStart: number[];
  reporter: number[];
  household: number[];
  withoutHelp: number[];
  toConference: number[];
  escalationObstacles: Map<string, number>;
  stagnationObstacles: Map<string, number>;
};

/**
 * One family's history, event by event, as DOMAIN.md "familyCase version 2" defines the figures:
 * the wait from the decision to investigate to investigation.started (days); each reporter.informed /
 * household.informed in time against the oldest decision still owing it (5 working days); working days
 * from the acceptance of a team handover (out of handoverPending) to contact.first; working days from
 * the first serious incident not yet conferred on to the next conference held on or after it; the
 * obstacles of each escalation, and of the escalations open at each stagnation signal (`none` without).
 * Decisions before a case.upgraded owe nothing; closing ends what belonged to the open case.
 */
function tallyFamilyV2(events: readonly KpiEventRow[], from: number, to: number, norms: Norms, t: V2Tally): void {
  let phase: string | null = null;
  let oversight: string | null = null;
  let namedCycle = false;
  let owed: { due: number; reporter: boolean; household: boolean }[] = [];
  let decidedToInvestigate: number | null = null;
  let accepted: number | null = null;
  let incident: string | null = null;
  let open: string[] = [];
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  for (const e of events) {
    const at = e.recordedAt.getTime();
    const inPeriod = at >= from && at <= to;
    const state = parseJson<{ phase?: string; oversight?: string; escalation?: string }>(e.stateAfter);
    const p = parseJson<Record<string, unknown>>(e.payload) ?? {};
    const before = phase;
    const after = topPhase(state?.phase ?? phase ?? 'reported');
    if (e.type === 'report.received') {
      const named = p.source !== 'anonymous';
      namedCycle = before === null || before === 'closed' ? named : namedCycle || named;
    }
    if (e.type === 'assessment.completed' || e.type === 'investigation.completed') {
      if (e.type === 'assessment.completed' && p.decision === 'investigate') decidedToInvestigate = at;
      owed = owed.filter((o) => o.reporter || o.household).slice(-3);
      owed.push({ due: Date.parse(addWorkingDays(e.recordedAt.toISOString(), norms.feedbackWorkingDays, norms.holidays)), reporter: namedCycle, household: true });
    }
    if (e.type === 'investigation.started' && decidedToInvestigate !== null) {
      if (inPeriod) t.investigationStart.push((at - decidedToInvestigate) / DAY_MS);
      decidedToInvestigate = null;
    }
    if (e.type === 'reporter.informed' || e.type === 'household.informed') {
      const who = e.type === 'reporter.informed' ? 'reporter' : 'household';
      const dues = owed.filter((o) => o[who]).map((o) => o.due);
      if (dues.length > 0 && inPeriod) t[who].push(at <= Math.min(...dues) ? 1 : 0);
      for (const o of owed) o[who] = false;
      owed = owed.filter((o) => o.reporter || o.household);
    }
    if (e.type === 'handover.accepted' && oversight === 'handoverPending') accepted = at;
    if (e.type === 'contact.first' && accepted !== null) {
      if (inPeriod) t.withoutHelp.push(workingDaysBetween(new Date(accepted).toISOString(), e.recordedAt.toISOString(), norms.holidays));
      accepted = null;
    }
    if (e.type === 'incident.reported' && p.severity === 'serious' && incident === null) incident = new Date(String(p.occurredAt)).toISOString();
    if (e.type === 'conference.held' && incident !== null && Date.parse(String(p.heldAt)) >= Date.parse(incident)) {
      if (inPeriod) t.toConference.push(workingDaysBetween(incident, new Date(String(p.heldAt)).toISOString(), norms.holidays));
      incident = null;
    }
    if (e.type === 'case.upgraded') {
      owed = [];
      accepted = null;
    }
    if (e.type === 'escalation.raised') {
      const named = [...new Set(Array.isArray(p.obstacles) ? (p.obstacles as string[]) : [])];
      if (inPeriod) for (const o of named) bump(t.escalationObstacles, o);
      open = [...new Set([...open, ...named])];
    }
    if (e.type === 'stagnation.detected' && inPeriod) for (const o of open.length > 0 ? open : ['none']) bump(t.stagnationObstacles, o);
    if (after === 'closed' && before !== 'closed') {
      accepted = null;
      incident = null;
      decidedToInvestigate = null;
    }
    if (state?.escalation === 'none') open = [];
    phase = after;
    oversight = state?.oversight ?? oversight;
  }
}

export function referenceV2Figures(data: KpiData, scope: { from: Date; to: Date }, norms: Norms): Pick<Kpis, V2Figure> {
  const t: V2Tally = {
    investigationStart: [],
    reporter: [],
    household: [],
    withoutHelp: [],
    toConference: [],
    escalationObstacles: new Map(),
    stagnationObstacles: new Map(),
  };
  let start = 0;
  for (let i = 1; i <= data.events.length; i++) {
    if (i === data.events.length || data.events[i]!.familyId !== data.events[start]!.familyId) {
      tallyFamilyV2(data.events.slice(start, i), scope.from.getTime(), scope.to.getTime(), norms, t);
      start = i;
    }
  }
  const share = (xs: number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);
  const spread = (xs: number[], unit: Kpi['unit'], defs: [Def, Def]) => ({
    median: kpi(median(xs), unit, xs.length, defs[0]),
    p90: kpi(percentile(xs, 90), unit, xs.length, defs[1]),
  });
  const counted = (m: Map<string, number>, keys: readonly string[], def: (o: string) => Def) =>
    Object.fromEntries(keys.map((o) => [o, kpi(m.get(o) ?? 0, 'count', m.get(o) ?? 0, def(o))]));
  return {
    investigationStartWait: spread(t.investigationStart, 'days', [definitions.investigationStartMedian, definitions.investigationStartP90]),
    feedbackInTime: {
      reporter: kpi(share(t.reporter), 'share', t.reporter.length, definitions.reporterInformed),
      household: kpi(share(t.household), 'share', t.household.length, definitions.householdInformed),
    },
    daysWithoutHelp: spread(t.withoutHelp, 'workingDays', [definitions.daysWithoutHelpMedian, definitions.daysWithoutHelpP90]),
    incidentToConference: spread(t.toConference, 'workingDays', [definitions.incidentToConferenceMedian, definitions.incidentToConferenceP90]),
    obstacles: {
      escalations: counted(t.escalationObstacles, OBSTACLES, definitions.escalationObstacle) as Kpis['obstacles']['escalations'],
      stagnation: counted(t.stagnationObstacles, [...OBSTACLES, 'none'], definitions.stagnationObstacle) as Kpis['obstacles']['stagnation'],
    },
  };
}
