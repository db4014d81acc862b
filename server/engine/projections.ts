/**
 * Read-side projections of the event stream, maintained at write time: every writer (createFamily,
 * dispatch, the scheduler through dispatchUnlocked, the seed, the bench's batch generator) derives
 * them from the event it appends and stores them in the same transaction, so the figures and the
 * monitoring list never read snapshots or whole histories.
 *
 * - KPI facts: the KPI fold (formerly a per-family pass over all events at query time) as a left
 *   fold with a stored cursor (`Family.kpiState`): `kpiStep(cursor, event, norms)` returns the next
 *   cursor and the facts the event produces (`KpiFact` rows, each stamped with the event's
 *   recordedAt). GET /kpis aggregates the facts of the period in SQL.
 * - List columns: `waitingSince` + `urgency` (waiting list), `monitorRank` + `monitorDueAt` +
 *   `monitoring` (monitoring list), `overdueAt` + `overdueKind` (the family list's overdue filter and
 *   flag), `planDisagreement` (the family list's signal). With the timer plan's `nextDueAt` and
 *   `nextDueKind` (written by the same appends), a family list row is built from columns alone: the
 *   list never reads a snapshot.
 *
 * Norms are those in force when the event is written (like the durable timers and `nextDueAt`): a
 * later norm change does not rewrite facts already recorded, nor the list columns of a family until
 * its next event. Clearing `projectionVersion` (or raising PROJECTION_VERSION) makes the next start
 * rebuild everything from the events with the norms then in force.
 *
 * The pure part (first half) imports only the machine; the database part (second half) is what the
 * store and the start-up backfill call.
 */
import {
  addDays,
  addWorkingDays,
  dueTimers,
  missedDeadlinesV2,
  normsAt,
  openDeadlinesOf,
  openDeadlinesV2,
  planDisagreement,
  stateOf,
  workingDaysBetween,
  type Deadline,
  type FamilyContextV2,
  type Norms,
  type PersistedFamily,
  type TimerKind,
  type urgency,
  v2TimerKinds,
} from '../../machines/index.ts';
import type { MonitoringItem } from '../../contract/index.ts';
import { foldEvents, foldEventsOf, type EventFoldRow } from '../db/events.ts';
import { countStaleProjections, staleProjections, updateProjectionColumns } from '../db/families.ts';
import type { Db, SqlRunner } from '../db/index.ts';
import { deleteKpiFactsOf, writeKpiFacts, type KpiFactRow } from '../db/kpiFacts.ts';
import { loadNorms } from './norms.ts';

/** Raise when the fold or the columns change meaning: families with an older version are rebuilt at start. */
export const PROJECTION_VERSION = 7;

const DAY_MS = 86_400_000;

// ------------------------------------------------------------------ the KPI fold (pure)

/** What the fold carries from one event of a family to the next. Instants in epoch ms. */
export type KpiCursor = {
  /** The last event folded in: the cursor fits the family only while this equals its version. */
  seq: number;
  /** Top-level phase after the previous event (`directSafety`, not `directSafety.planning`). */
  prevPhase: string | null;
  phaseSince: number | null;
  /** Receipt of the report that put the family on the waiting list, until the assessment starts. */
  waitStart: number | null;
  /** The open assessment deadline (earliest of the reports joining it), until the assessment is completed. */
  assessmentDue: number | null;
  /** Ten weeks (norm) after entering investigation, until it is completed. */
  investigationDue: number | null;
  /** When the open handover offer was made, until it is accepted, declined or taken back. */
  offerAt?: number | null;
  // familyCase@2 (issue 14); absent in cursors written before it.
  /** Oversight after the previous event (a team handover is accepted out of `handoverPending`). */
  prevOversight?: string | null;
  /** A report of the current cycle named its reporter (the reporter is owed feedback). */
  named?: boolean;
  /** Feedback owed after each decision: its due instant and who is still owed it (as the machine keeps them, at most four). */
  feedback?: { due: number; reporter: boolean; household: boolean }[];
  /** The decision to investigate, until investigation.started. */
  investigateAt?: number | null;
  /** The acceptance of a team handover, until the first contact. */
  acceptedAt?: number | null;
  /** The occurrence of the first serious incident not yet followed by a case conference (ISO). */
  incidentAt?: string | null;
  /** The obstacles of the escalations open now. */
  obstacles?: string[];
};

export const initialKpiCursor: KpiCursor = Object.freeze({
  seq: 0,
  prevPhase: null,
  phaseSince: null,
  waitStart: null,
  assessmentDue: null,
  investigationDue: null,
  offerAt: null,
  prevOversight: null,
  named: false,
  feedback: [],
  investigateAt: null,
  acceptedAt: null,
  incidentAt: null,
  obstacles: [],
});

/** The phases whose stays are measured (every phase but closed) get `phase:<name>` facts. */
export type KpiFactKind =
  | 'wait'
  | 'assessed'
  | 'investigation'
  | 'incidentAfterStable'
  | 'repeatReport'
  | 'escalation'
  | 'stagnation'
  | 'report'
  | 'handoverAcceptance'
  | 'investigationStartWait'
  | 'reporterInformed'
  | 'householdInformed'
  | 'daysWithoutHelp'
  | 'incidentToConference'
  | `escalation:${string}`
  | `escalationObstacle:${string}`
  | `stagnationObstacle:${string}`
  | `phase:${string}`;

export const phaseFactKind = (phase: string): `phase:${string}` => `phase:${phase}`;

export const escalationFactKind = (to: string): `escalation:${string}` => `escalation:${to}`;

/** An escalation raised with this obstacle ("belemmerende factoren", familyCase@2). */
export const escalationObstacleKind = (o: string): `escalationObstacle:${string}` => `escalationObstacle:${o}`;

/** A stagnation signal while an escalation with this obstacle was open (`none`: no escalation open). */
export const stagnationObstacleKind = (o: string): `stagnationObstacle:${string}` => `stagnationObstacle:${o}`;

/**
 * `wait`, `phase:*`, `investigationStartWait`: days. `handoverAcceptance`, `daysWithoutHelp`,
 * `incidentToConference`: working days. `assessed`, `investigation`, `reporterInformed`,
 * `householdInformed`: 1 within the deadline, 0 late. The counters (`incidentAfterStable`,
 * `repeatReport`, `escalation`, `escalation:<to>`, `escalationObstacle:<o>`, `stagnation`,
 * `stagnationObstacle:<o>`, `report`) have no value.
 */
export type KpiFactValue = { kind: KpiFactKind; value: number | null };

/**
 * One event as the fold sees it. `payload` is the parsed payload (read: report.received's `acute`,
 * assessment.completed's `decision`, escalation.raised's `to`).
 */
export type KpiStepEvent = {
  seq: number;
  type: string;
  recordedAt: Date | string;
  occurredAt?: Date | string | null;
  payload: unknown;
  /** stateAfter.phase of the event; null when unknown (then the previous phase holds). */
  phaseAfter: string | null;
  /** stateAfter.oversight and .escalation; null or absent when unknown (then the previous ones hold). */
  oversightAfter?: string | null;
  escalationAfter?: string | null;
};

const topPhase = (phase: string) => phase.split('.')[0] ?? phase;
const ms = (at: Date | string) => (typeof at === 'string' ? Date.parse(at) : at.getTime());

function field(payload: unknown, name: string): unknown {
  return typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>)[name] : undefined;
}

function isAcute(payload: unknown): boolean {
  return field(payload, 'acute') === true;
}

/** The event types whose payload the fold reads (a refold parses only theirs). */
export const KPI_PAYLOAD_TYPES: ReadonlySet<string> = new Set([
  'report.received',
  'assessment.completed',
  'escalation.raised',
  'incident.reported',
  'conference.held',
]);

type Feedback = NonNullable<KpiCursor['feedback']>[number];

/** The feedback of `who` owed now: a fact (1 in time, 0 late, against the earliest owed) and the entries left owing. */
function informed(entries: readonly Feedback[], who: 'reporter' | 'household', at: number): { fact: number | null; left: Feedback[] } {
  const owed = entries.filter((f) => f[who]);
  if (owed.length === 0) return { fact: null, left: [...entries] };
  const due = Math.min(...owed.map((f) => f.due));
  const left = entries.map((f) => (f[who] ? { ...f, [who]: false } : f)).filter((f) => f.reporter || f.household);
  return { fact: at <= due ? 1 : 0, left };
}

const stringList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/**
 * One step of the KPI fold: the cursor after `e` and the facts `e` produces. The figures of a
 * period count the facts whose event was recorded in it.
 */
export function kpiStep(cursor: KpiCursor, e: KpiStepEvent, norms: Norms): { cursor: KpiCursor; facts: KpiFactValue[] } {
  const facts: KpiFactValue[] = [];
  let { prevPhase, phaseSince, waitStart, assessmentDue, investigationDue } = cursor;
  let offerAt = cursor.offerAt ?? null;
  let named = cursor.named ?? false;
  let feedback = cursor.feedback ?? [];
  let investigateAt = cursor.investigateAt ?? null;
  let acceptedAt = cursor.acceptedAt ?? null;
  let incidentAt = cursor.incidentAt ?? null;
  let obstacles = cursor.obstacles ?? [];
  const prevOversight = cursor.prevOversight ?? null;
  const at = ms(e.recordedAt);
  const phase = topPhase(e.phaseAfter ?? prevPhase ?? 'reported');
  const iso = (t: number) => new Date(t).toISOString();
  /** A measured stretch from `start` to this event, when one is running. */
  const measured = (kind: KpiFactKind, start: number | null, value: (from: number) => number) => {
    if (start !== null) facts.push({ kind, value: value(start) });
  };
  const days = (from: number) => (at - from) / DAY_MS;
  const workingDays = (from: number) => workingDaysBetween(iso(from), iso(at), norms.holidays);
  switch (e.type) {
    case 'report.received': {
      const received = new Date(e.occurredAt ?? e.recordedAt).toISOString();
      facts.push({ kind: 'report', value: null });
      // A first report or one reopening a closed case starts a cycle (familyCase@2's namedReportCycle).
      const namedNow = field(e.payload, 'source') !== 'anonymous';
      named = prevPhase === null || prevPhase === 'closed' ? namedNow : named || namedNow;
      if (phase === 'reported' && prevPhase !== 'reported') waitStart = Date.parse(received);
      if (prevPhase === 'closed') facts.push({ kind: 'repeatReport', value: null });
      // Reports received while waiting or in assessment join that assessment's deadline.
      if (phase === 'reported' || phase === 'assessment') {
        const due = isAcute(e.payload)
          ? Date.parse(received) + norms.acuteAssessmentHours * 3_600_000
          : Date.parse(addWorkingDays(received, norms.assessmentWorkingDays, norms.holidays));
        assessmentDue = assessmentDue === null ? due : Math.min(assessmentDue, due);
      }
      break;
    }
    case 'assessment.started':
      measured('wait', waitStart, days);
      waitStart = null;
      break;
    case 'assessment.completed':
      if (assessmentDue !== null) facts.push({ kind: 'assessed', value: at <= assessmentDue ? 1 : 0 });
      assessmentDue = null;
      // Deciding on a handover offers the family to the named director.
      if (field(e.payload, 'decision') === 'handover') offerAt = at;
      if (field(e.payload, 'decision') === 'investigate') investigateAt = at;
      feedback = owedFeedback(feedback, at, named, norms);
      break;
    case 'handover.offered':
      offerAt = at;
      break;
    case 'handover.accepted':
      measured('handoverAcceptance', offerAt, workingDays);
      offerAt = null;
      // A team handover (out of handoverPending) starts the days without help, until the first contact.
      if (prevOversight === 'handoverPending') acceptedAt = at;
      break;
    case 'contact.first':
      measured('daysWithoutHelp', acceptedAt, workingDays);
      acceptedAt = null;
      break;
    case 'investigation.started':
      measured('investigationStartWait', investigateAt, days);
      investigateAt = null;
      break;
    case 'reporter.informed':
    case 'household.informed': {
      const r = informed(feedback, e.type === 'reporter.informed' ? 'reporter' : 'household', at);
      if (r.fact !== null) facts.push({ kind: e.type === 'reporter.informed' ? 'reporterInformed' : 'householdInformed', value: r.fact });
      feedback = r.left;
      break;
    }
    case 'conference.held': {
      const heldAt = field(e.payload, 'heldAt');
      if (incidentAt !== null && typeof heldAt === 'string' && Date.parse(heldAt) >= Date.parse(incidentAt)) {
        facts.push({ kind: 'incidentToConference', value: workingDaysBetween(incidentAt, new Date(heldAt).toISOString(), norms.holidays) });
        incidentAt = null;
      }
      break;
    }
    case 'case.upgraded':
      // The upgrade owes nothing retroactively (migrateV1toV2): no feedback, no first contact.
      feedback = [];
      acceptedAt = null;
      break;
    case 'handover.declined':
    case 'monitoring.takenBack':
      offerAt = null;
      break;
    case 'investigation.completed':
      if (investigationDue !== null) facts.push({ kind: 'investigation', value: at <= investigationDue ? 1 : 0 });
      investigationDue = null;
      feedback = owedFeedback(feedback, at, named, norms);
      break;
    case 'incident.reported': {
      if (prevPhase === 'stableSafety' || prevPhase === 'recovery') facts.push({ kind: 'incidentAfterStable', value: null });
      const occurred = field(e.payload, 'occurredAt');
      if (field(e.payload, 'severity') === 'serious' && incidentAt === null && typeof occurred === 'string') incidentAt = new Date(occurred).toISOString();
      break;
    }
    case 'escalation.raised': {
      facts.push({ kind: 'escalation', value: null });
      const to = field(e.payload, 'to');
      if (typeof to === 'string') facts.push({ kind: escalationFactKind(to), value: null });
      const raised = [...new Set(stringList(field(e.payload, 'obstacles')))];
      for (const o of raised) facts.push({ kind: escalationObstacleKind(o), value: null });
      obstacles = [...new Set([...obstacles, ...raised])];
      break;
    }
    case 'stagnation.detected':
      facts.push({ kind: 'stagnation', value: null });
      for (const o of obstacles.length > 0 ? obstacles : ['none']) facts.push({ kind: stagnationObstacleKind(o), value: null });
      break;
    default:
      break;
  }
  if (phase === 'closed' && prevPhase !== 'closed') {
    assessmentDue = null;
    offerAt = null;
    // Closing ends what belonged to the open case (feedback still owed stays, as in the machine).
    acceptedAt = null;
    incidentAt = null;
    investigateAt = null;
  }
  if ((e.escalationAfter ?? null) === 'none') obstacles = [];
  if (phase !== prevPhase) {
    if (prevPhase !== null && phaseSince !== null && prevPhase !== 'closed') {
      facts.push({ kind: phaseFactKind(prevPhase), value: (at - phaseSince) / DAY_MS });
    }
    if (phase === 'investigation') investigationDue = Date.parse(addDays(new Date(at).toISOString(), norms.investigationWeeks * 7));
    prevPhase = phase;
    phaseSince = at;
  }
  return {
    cursor: {
      seq: e.seq,
      prevPhase,
      phaseSince,
      waitStart,
      assessmentDue,
      investigationDue,
      offerAt,
      prevOversight: e.oversightAfter ?? prevOversight,
      named,
      feedback,
      investigateAt,
      acceptedAt,
      incidentAt,
      obstacles,
    },
    facts,
  };
}

/** After a decision: feedback owed within the norm, as familyCase@2 keeps it (the last three still owed, then this one). */
function owedFeedback(entries: readonly Feedback[], at: number, named: boolean, norms: Norms): Feedback[] {
  // The norm in force at the decision, as for the feedback timer (machines/familyCase/timersV2.ts).
  const n = normsAt(norms, new Date(at).toISOString());
  const due = Date.parse(addWorkingDays(new Date(at).toISOString(), n.feedbackWorkingDays, n.holidays));
  return [...entries.filter((f) => f.reporter || f.household).slice(-3), { due, reporter: named, household: true }];
}

// ------------------------------------------------------------------ list columns (pure)

export const MONITORED_OVERSIGHT = ['monitoring', 'handoverPending'] as const;
/**
 * Oversight back with Veilig Thuis after the receiving director declined: listed as work to do (offer
 * again) while the family is open, with `monitorDueAt` at the decline (due at once).
 */
export const DECLINED_OVERSIGHT = 'vtInvolved';

/** What the monitoring list shows of a family besides its plain columns (stored as JSON). */
export type MonitoringFacts = Pick<MonitoringItem, 'conditions' | 'lastCheckAt' | 'nextCheckDue' | 'acceptanceDue' | 'missedDeadlines'> & {
  /** The declined offer that put the family back with Veilig Thuis (user id and when), else absent. */
  declined?: { directorId: string; at: string };
};

/** The start of the current wait while the family waits: the earliest report of the case's current cycle. */
export function waitingSinceOf(snapshot: PersistedFamily, reportedAt: Date | string): Date | null {
  if (stateOf(snapshot).phase !== 'reported') return null;
  const ctx = snapshot.context;
  const reports = ctx.reports.filter((r) => r.cycle === ctx.cycle);
  const fallback = typeof reportedAt === 'string' ? reportedAt : reportedAt.toISOString();
  const since = reports.reduce((min, r) => (r.receivedAt < min ? r.receivedAt : min), reports[0]?.receivedAt ?? fallback);
  return new Date(since);
}

/** familyCase@2 deadlines whose miss means the family has no help yet: VT sees them first. */
export const FIRST_HELP_KINDS: ReadonlySet<string> = new Set(['firstContact', 'firstPlan']);

/**
 * The familyCase@2 deadlines the scheduler recorded as missed (`deadline.missed`) and that are still
 * owed now, earliest first: interim contact until the next contact or the end of the wait, the
 * others while their deadline is still open (the answer, e.g. `contact.first`, closes it).
 */
export function owedMissedV2(snapshot: PersistedFamily, norms: Norms): { kind: TimerKind; dueAt: string }[] {
  if (snapshot.version < 2) return [];
  const ctx = snapshot.context as FamilyContextV2;
  const missed = missedDeadlinesV2(ctx);
  if (missed.length === 0) return [];
  const key = (kind: string, ref: string) => `${kind}\u0000${ref}`;
  const open = new Set(openDeadlinesV2(ctx, norms, () => false).map((d) => key(d.kind, d.ref)));
  const inPhase = stateOf(snapshot).phase === 'reported';
  return missed
    .filter((m) =>
      m.kind === 'interimContact'
        ? inPhase && (ctx.interimContactAt === null || Date.parse(ctx.interimContactAt) < Date.parse(m.dueAt))
        : open.has(key(m.kind, m.ref)),
    )
    .map((m) => ({ kind: m.kind, dueAt: m.dueAt }))
    .sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt) || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
}

/**
 * The monitoring list's facts of a family under monitoring or with a handover pending, back with VT
 * after a declined offer, or owing a missed familyCase@2 deadline; else null. Deadlines recorded as
 * missed still count as due: the list asks what is owed now.
 */
export function monitoringFactsOf(snapshot: PersistedFamily, norms: Norms): MonitoringFacts | null {
  const { oversight, phase } = stateOf(snapshot);
  const c = snapshot.context;
  const lastHandover = c.handovers.at(-1);
  const declined =
    oversight === DECLINED_OVERSIGHT && phase !== 'closed' && lastHandover?.outcome === 'declined' && lastHandover.respondedAt
      ? { directorId: lastHandover.toId, at: lastHandover.respondedAt }
      : null;
  const missedDeadlines = owedMissedV2(snapshot, norms);
  if (!declined && missedDeadlines.length === 0 && !(MONITORED_OVERSIGHT as readonly string[]).includes(oversight)) return null;
  // A recorded miss turns a deadline's status to `missed`; without the misses of these two kinds it
  // reads `open` again, which is what the list asks.
  const listed = (kind: string) => kind === 'monitoringCheck' || kind === 'handoverAcceptance';
  const unsignalled: PersistedFamily = c.signals.missed.some((m) => listed(m.kind))
    ? { ...snapshot, context: { ...c, signals: { ...c.signals, missed: c.signals.missed.filter((m) => !listed(m.kind)) } } }
    : snapshot;
  const open = openDeadlinesOf(unsignalled, norms);
  const earliest = (kind: string) =>
    open.filter((d) => d.kind === kind).reduce<string | null>((min, d) => (min === null || d.dueAt < min ? d.dueAt : min), null);
  return {
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
    lastCheckAt: c.checks.reduce<string | null>((max, k) => (max === null || k.recordedAt > max ? k.recordedAt : max), null),
    nextCheckDue: earliest('monitoringCheck'),
    acceptanceDue: oversight === 'handoverPending' ? earliest('handoverAcceptance') : null,
    missedDeadlines,
    ...(declined ? { declined } : {}),
  };
}

/** The earliest due date the list orders by; a family is overdue once it has passed. */
export function monitorDueOf(m: MonitoringFacts | null): Date | null {
  if (!m) return null;
  const due = [m.nextCheckDue, m.acceptanceDue, m.declined?.at ?? null, ...m.missedDeadlines.map((d) => d.dueAt)]
    .filter((d): d is string => d !== null)
    .sort()[0];
  return due ? new Date(due) : null;
}

/** The list's first key: missed first contacts and first plans (no help yet) before everything else. */
export function monitorRankOf(m: MonitoringFacts | null): number | null {
  if (!m) return null;
  return m.missedDeadlines.some((d) => FIRST_HELP_KINDS.has(d.kind)) ? 0 : 1;
}

/**
 * A family's urgency on the waiting list: its triage (familyCase@2 `triage.recorded`), else `acute`
 * when a report of the current cycle was marked acute (the 24-hour norm applies to it either way),
 * else null (untriaged).
 */
export function urgencyOf(snapshot: PersistedFamily): (typeof urgency.options)[number] | null {
  const ctx = snapshot.context;
  const triage = snapshot.version >= 2 ? (ctx as FamilyContextV2).triage : null;
  if (triage) return triage.urgency;
  return ctx.reports.some((r) => r.cycle === ctx.cycle && r.acute) ? 'acute' : null;
}

/**
 * Kinds whose missed deadline means somebody has to act: v1's, and familyCase@2's interim contact
 * while waiting, the feedback owed to reporter and household, first contact and first plan after a
 * handover, a conference's agreements and its next conference. Stagnation, reviews and a measure's
 * end are signals, not debts.
 */
const OVERDUE_KINDS = new Set([
  'assessment',
  'investigation',
  'handoverAcceptance',
  'monitoringCheck',
  // familyCase@2's durable timers are all debts (timersV2.ts).
  ...v2TimerKinds,
]);

/**
 * The deadlines still to be met that count as overdue once their due date passes, earliest first.
 * deadlinesOf marks a deadline `missed` both when it was met late and when the miss was signalled and
 * nothing happened yet; without the recorded miss signals the latter reads `open` again, which is
 * what "overdue now" asks. Independent of the clock: `overdueAt` is the first due date.
 */
export function owedDeadlines(snapshot: PersistedFamily, norms: Norms): Deadline[] {
  const ctx = snapshot.context;
  const unsignalled: PersistedFamily = { ...snapshot, context: { ...ctx, signals: { ...ctx.signals, missed: [] } } };
  return openDeadlinesOf(unsignalled, norms)
    .filter((d) => OVERDUE_KINDS.has(d.kind))
    .sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt));
}

/**
 * The kind of the durable timer due at `nextDueAt`: what the timer plan writes with it
 * (server/engine/timers.ts planTimers), derived again for a family whose row predates the column.
 */
export function nextDueKindAt(snapshot: PersistedFamily, norms: Norms, nextDueAt: Date | null): string | null {
  if (nextDueAt === null) return null;
  const at = nextDueAt.getTime();
  return dueTimers(snapshot, norms).find((t) => Date.parse(t.dueAt) === at)?.kind ?? null;
}

// ------------------------------------------------------------------ one append (pure)

/** The Family columns the projection owns. */
export type ProjectionColumns = {
  projectionVersion: number;
  kpiState: string;
  waitingSince: Date | null;
  monitorDueAt: Date | null;
  monitorRank: number | null;
  monitoring: string | null;
  overdueAt: Date | null;
  /** The kind of the deadline behind overdueAt. */
  overdueKind: string | null;
  urgency: string | null;
  /** familyCase@2: a member disagrees with the current version of the safety plan. */
  planDisagreement: boolean;
};

export type { KpiFactRow };

export type Projection = {
  familyId: string;
  /** The fold's cursor after the event (also in `columns.kpiState`, serialised): the next append starts from it. */
  cursor: KpiCursor;
  columns: ProjectionColumns;
  facts: KpiFactRow[];
  /** The family's stored facts are replaced (a rebuild), not appended to. */
  replaceFacts: boolean;
};

/** The appended event and the family after it. */
export type AppendedEvent = {
  familyId: string;
  seq: number;
  event: { type: string; recordedAt: string; occurredAt?: string | null; payload: unknown };
  /** The snapshot after the event. */
  snapshot: PersistedFamily;
  /** The family's reportedAt column. */
  reportedAt: Date | string;
};

/** The columns for a family whose fold stands at `cursor` and whose snapshot is `snapshot`. */
export function projectionColumns(cursor: KpiCursor, snapshot: PersistedFamily, reportedAt: Date | string, norms: Norms): ProjectionColumns {
  const monitoring = monitoringFactsOf(snapshot, norms);
  const owed = owedDeadlines(snapshot, norms)[0];
  return {
    projectionVersion: PROJECTION_VERSION,
    kpiState: JSON.stringify(cursor),
    waitingSince: waitingSinceOf(snapshot, reportedAt),
    monitorDueAt: monitorDueOf(monitoring),
    monitorRank: monitorRankOf(monitoring),
    monitoring: monitoring ? JSON.stringify(monitoring) : null,
    overdueAt: owed ? new Date(owed.dueAt) : null,
    overdueKind: owed?.kind ?? null,
    urgency: urgencyOf(snapshot),
    planDisagreement: snapshot.version >= 2 && planDisagreement(snapshot.context as FamilyContextV2),
  };
}

/**
 * The projection after appending one event to a family whose fold stands at `cursor` (for a new
 * family `initialKpiCursor`). Pure: the bench's batch generator calls it for every simulated append.
 */
export function projectEvent(cursor: KpiCursor, a: AppendedEvent, norms: Norms): Projection {
  const step = kpiStep(
    cursor,
    {
      seq: a.seq,
      type: a.event.type,
      recordedAt: a.event.recordedAt,
      occurredAt: a.event.occurredAt ?? null,
      payload: a.event.payload,
      ...stepState(stateOf(a.snapshot)),
    },
    norms,
  );
  const at = new Date(a.event.recordedAt);
  return {
    familyId: a.familyId,
    cursor: step.cursor,
    columns: projectionColumns(step.cursor, a.snapshot, a.reportedAt, norms),
    facts: step.facts.map((f) => ({ familyId: a.familyId, seq: a.seq, at, kind: f.kind, value: f.value })),
    replaceFacts: false,
  };
}

/** The stored cursor, when it is current for a family at `version`; null when the family must be refolded. */
export function storedCursor(row: { kpiState: string | null; projectionVersion: number | null; version: number }): KpiCursor | null {
  // Number(): a driver may hand integers out as BigInt.
  if (row.projectionVersion === null || Number(row.projectionVersion) !== PROJECTION_VERSION || row.kpiState === null) return null;
  try {
    const cursor = JSON.parse(row.kpiState) as KpiCursor;
    return cursor.seq === Number(row.version) ? cursor : null;
  } catch {
    return null;
  }
}

const text = (v: unknown) => (typeof v === 'string' ? v : null);

/** The state after an event as the fold reads it (stateAfter, or the snapshot's state). */
function stepState(state: { phase?: unknown; oversight?: unknown; escalation?: unknown } | null) {
  return { phaseAfter: text(state?.phase), oversightAfter: text(state?.oversight), escalationAfter: text(state?.escalation) };
}

/** An Event row as read for a refold. */
export type KpiEventRow = EventFoldRow;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** Folds a family's history (by seq) from the start: the cursor after it and every fact. */
export function foldKpiHistory(familyId: string, events: readonly KpiEventRow[], norms: Norms): { cursor: KpiCursor; facts: KpiFactRow[] } {
  let cursor = initialKpiCursor;
  const facts: KpiFactRow[] = [];
  for (const e of events) {
    const state = parseJson(e.stateAfter) as { phase?: unknown; oversight?: unknown; escalation?: unknown } | null;
    const step = kpiStep(
      cursor,
      {
        seq: e.seq,
        type: e.type,
        recordedAt: e.recordedAt,
        occurredAt: e.occurredAt,
        // Only a few types' payloads are read: skip parsing the others.
        payload: KPI_PAYLOAD_TYPES.has(e.type) ? parseJson(e.payload) : null,
        ...stepState(state),
      },
      norms,
    );
    cursor = step.cursor;
    for (const f of step.facts) facts.push({ familyId, seq: e.seq, at: e.recordedAt, kind: f.kind, value: f.value });
  }
  return { cursor, facts };
}

// ------------------------------------------------------------------ database side

/**
 * The projection of an append to an existing family. Normally one pure step from the stored
 * cursor; when the cursor is missing or does not match the family's version (written before the
 * projection existed, or by an older server), the family's history is read and refolded and its
 * facts replaced. Called before the append transaction: the transaction's conditional version
 * update guarantees the history read here is the one appended to.
 */
export async function projectAppend(
  db: Db,
  family: { id: string; version: number; kpiState: string | null; projectionVersion: number | null },
  a: AppendedEvent,
  norms: Norms,
): Promise<Projection> {
  const cursor = storedCursor(family);
  if (cursor) return projectEvent(cursor, a, norms);
  const history = await foldEvents(db.direct, family.id, Number(family.version));
  const folded = foldKpiHistory(family.id, history, norms);
  const next = projectEvent(folded.cursor, a, norms);
  return { ...next, facts: [...folded.facts, ...next.facts], replaceFacts: true };
}

/** Writes the facts of a projection inside the append transaction (its columns go with the family row). */
export async function writeProjection(q: SqlRunner, p: Projection): Promise<void> {
  await writeKpiFacts(q, p.facts, p.replaceFacts ? p.familyId : undefined);
}

export type BackfillResult = { families: number; facts: number; skipped: number };

const BACKFILL_BATCH = 200;

/**
 * Builds the projection of every family that lacks a current one (written before it existed, or by
 * an older PROJECTION_VERSION) by folding its events, in batches of families, each batch in one
 * transaction. Idempotent: a family is only updated while its version and projection version are
 * still the ones read, so a family a writer touched meanwhile is left to that writer (whose append
 * refolds it). Run at start, before the server answers.
 */
export async function backfillProjections(
  db: Db,
  opts: { log?: (message: string, data: Record<string, unknown>) => void; batchSize?: number } = {},
): Promise<BackfillResult> {
  // Direct SQL throughout: reading thousands of events through Prisma costs more than folding them,
  // and Prisma writes Float columns to SQLite with 15 significant digits only, while the facts must
  // be the very doubles the fold computed.
  const total = await countStaleProjections(db.direct, PROJECTION_VERSION);
  const result: BackfillResult = { families: 0, facts: 0, skipped: 0 };
  if (total === 0) return result;
  const started = Date.now();
  opts.log?.('building KPI facts and list columns for families without them', { families: total });
  const batchSize = opts.batchSize ?? BACKFILL_BATCH;
  let after = '';
  for (;;) {
    const norms = await loadNorms(db);
    const families = await staleProjections(db.direct, PROJECTION_VERSION, after, batchSize);
    if (families.length === 0) break;
    after = families.at(-1)!.id;
    const events = await foldEventsOf(
      db.direct,
      families.map((f) => f.id),
    );
    const byFamily = new Map<string, KpiEventRow[]>();
    for (const e of events) {
      const list = byFamily.get(e.familyId) ?? [];
      list.push(e);
      byFamily.set(e.familyId, list);
    }
    const planned = families.map((f) => {
      const history = (byFamily.get(f.id) ?? []).filter((e) => e.seq <= f.version);
      const folded = foldKpiHistory(f.id, history, norms);
      const snapshot = JSON.parse(f.snapshot) as PersistedFamily;
      const columns = { ...projectionColumns(folded.cursor, snapshot, f.reportedAt, norms), nextDueKind: nextDueKindAt(snapshot, norms, f.nextDueAt) };
      return { f, folded, columns, complete: history.length === f.version };
    });
    await db.direct.transaction(async (q) => {
      const done: string[] = [];
      const facts: KpiFactRow[] = [];
      for (const p of planned) {
        // A gap in the history is verify's business; do not project a family it cannot account for.
        if (!p.complete || !(await updateProjectionColumns(q, p.f, p.columns))) {
          result.skipped++;
          continue;
        }
        done.push(p.f.id);
        facts.push(...p.folded.facts);
      }
      await deleteKpiFactsOf(q, done);
      await writeKpiFacts(q, facts);
      result.families += done.length;
      result.facts += facts.length;
    });
  }
  opts.log?.('KPI facts and list columns built', { ...result, ms: Date.now() - started });
  return result;
}
