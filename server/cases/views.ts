import {
  allowedEvents,
  deadlinesOf,
  eventChoices,
  incidentFree,
  mayHaveAccess,
  planDisagreement,
  shieldedFrom,
  stateOf,
  type Deadline,
  type Norms,
  type PersistedFamily,
  familyViewEventTypes,
  type UserEventType,
} from '../../machines/index.ts';
import {
  v1FamilyV2Facts,
  type FamilyReceipt,
  type FamilySummary,
  type FamilyV2Facts,
  type FamilyView,
  type MonitoringItem,
  type UserRef,
} from '../../contract/index.ts';
import type { FamilyContextV2 } from '../../machines/familyCase/contextV2.ts';
import type { Role } from '../../machines/schemas/common.ts';
import type { FamilySummaryRow, MonitoringRow } from '../db/families.ts';
import type { FamilyRecord } from '../engine/index.ts';
import type { MonitoringFacts } from '../engine/projections.ts';

// Projections of the engine's records onto the contract's response shapes. Pure functions: the
// use case reads what they need (users, norms, the clock) and hands it in.

export type UserRefs = ReadonlyMap<string, UserRef>;

function refOf(refs: UserRefs, id: string | null): UserRef | null {
  if (!id) return null;
  return refs.get(id) ?? { id, username: id, displayName: id };
}

/** The union of what the user may send under each role they act in on this family. */
export function allowedFor(snapshot: PersistedFamily, userId: string, roles: readonly Role[]): UserEventType[] {
  const set = new Set<UserEventType>();
  for (const role of roles) for (const t of allowedEvents(snapshot, { id: userId, role })) set.add(t);
  return [...set];
}

/** The v2 context of a family on familyCase@2, else null. */
function contextV2(snapshot: PersistedFamily): FamilyContextV2 | null {
  return snapshot.version >= 2 ? (snapshot.context as FamilyContextV2) : null;
}

/** The users a family's view names: director, pending director, who recorded each check or the triage. */
export function viewUserIds(family: FamilyRecord): (string | null)[] {
  const c = family.snapshot.context;
  return [c.caseDirectorId, family.pendingDirectorId, ...c.checks.map((k) => k.by), contextV2(family.snapshot)?.triage?.by ?? null];
}


/**
 * The familyCase@2 facts of the view, from the flat v2 context and the deadlines already derived for
 * the view (no history is read): what a v1 family gives is `noV2`.
 */
function v2Facts(snap: PersistedFamily, deadlines: readonly Deadline[], refs: UserRefs, now: string, canManage: boolean): FamilyV2Facts {
  const c = contextV2(snap);
  if (!c) return v1FamilyV2Facts();
  const due = (kind: string, ref?: string) =>
    deadlines.find((x) => x.kind === kind && x.status === 'open' && (ref === undefined || x.ref === ref))?.dueAt ?? null;
  const phase = stateOf(snap).phase;
  const waiting = phase === 'reported';
  const after = c.afterHandover;
  return {
    triage: c.triage
      ? {
          urgency: c.triage.urgency,
          instrument: c.triage.instrument,
          score: c.triage.score,
          notes: c.triage.notes,
          at: c.triage.at,
          by: refOf(refs, c.triage.by),
        }
      : null,
    interimContact:
      waiting || c.interimContactAt
        ? { lastAt: c.interimContactAt, with: c.interimContactWith, dueAt: waiting ? due('interimContact') : null }
        : null,
    investigation: phase.startsWith('investigation')
      ? { status: c.investigationStartedAt ? 'ongoing' : 'waiting', startedAt: c.investigationStartedAt }
      : null,
    feedback: {
      reporter: c.informed.reporter,
      household: c.informed.household,
      owed: deadlines
        .filter((x) => (x.kind === 'reporterFeedback' || x.kind === 'householdFeedback') && x.status !== 'met')
        .map((x) => ({ to: x.kind === 'reporterFeedback' ? ('reporter' as const) : ('household' as const), dueAt: x.dueAt, missed: x.status === 'missed' }))
        .sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt)),
    },
    firstContact: after
      ? {
          acceptedAt: after.acceptedAt,
          at: after.firstContactAt,
          with: after.firstContactWith,
          warm: after.warm,
          dueAt: after.firstContactAt ? null : due('firstContact', after.ref),
          firstPlanAt: after.firstPlanAt,
          firstPlanDueAt: after.firstPlanAt ? null : due('firstPlan', after.ref),
        }
      : null,
    conference: c.conference
      ? {
          kind: c.conference.kind,
          heldAt: c.conference.heldAt,
          withMandate: c.conference.withMandate,
          agreements: c.conference.agreements.map((a) => ({ description: a.description, responsible: a.responsible, dueAt: a.dueAt })),
          nextAt: c.conference.nextAt,
        }
      : null,
    riskFactors: c.riskFactors.map((f) => ({ kind: f.kind, status: f.status, notes: f.notes, at: f.at })),
    screenings: c.screenings.map((x) => ({ memberId: x.memberId, outcome: x.outcome, by: x.by, at: x.at })),
    screeningExcused: phase === 'closed' ? c.excused.map((x) => ({ memberId: x.memberId, reason: x.reason })) : [],
    familyAccess: familyAccessOf(c, now, canManage),
    planDisagreement: planDisagreement(c),
  };
}

/** The answer a writer asked for: the full view, or (`Prefer: return=minimal`) the receipt. */
export type AnswerShape = 'full' | 'minimal';

/** A write's answer: the family's view, or (`minimal`: `Prefer: return=minimal`) its receipt. */
export type WriteAnswer<A extends AnswerShape> = A extends 'minimal' ? FamilyReceipt : FamilyView;

/** The family after a write as `Prefer: return=minimal` asks for it: the view's version and state, nothing else. */
export function familyReceipt(family: FamilyRecord): FamilyReceipt {
  return {
    id: family.id,
    version: family.version,
    machineVersion: family.machineVersion,
    state: stateOf(family.snapshot),
    updatedAt: family.updatedAt,
  };
}

/** The family's own view as its director manages it: per member access, shield and latest answer. */
function familyAccessOf(c: FamilyContextV2, now: string, canManage: boolean): NonNullable<FamilyView['familyAccess']> {
  const view = c.familyView;
  return {
    canManage,
    members: c.members.map((m) => {
      const access = view?.access.find((a) => a.memberId === m.id);
      const response = view?.responses.find((r) => r.memberId === m.id);
      return {
        memberId: m.id,
        eligible: mayHaveAccess(m, now),
        access: access ? { grantedAt: access.grantedAt, expiresAt: access.expiresAt, revokedAt: access.revokedAt } : null,
        shieldedFrom: [...shieldedFrom(c, m.id)],
        response: response
          ? { planVersion: response.planVersion, response: response.response, comment: response.comment, at: response.at }
          : null,
      };
    }),
  };
}

export function familyView(
  family: FamilyRecord,
  ctx: { refs: UserRefs; norms: Norms; now: Date; userId: string; actingRoles: readonly Role[] },
): FamilyView {
  const snap = family.snapshot;
  const c = snap.context;
  const now = ctx.now.toISOString();
  const free = incidentFree(snap, now);
  const { allowed, blocked } = eventChoices(snap, { id: ctx.userId, roles: ctx.actingRoles }, now);
  // The family's own view has a panel of its own (familyAccess), not the family's event forms.
  const ownPanel = (type: string) => (familyViewEventTypes as readonly string[]).includes(type);
  const deadlines = deadlinesOf(snap, ctx.norms);
  return {
    id: family.id,
    reference: family.reference,
    municipality: family.municipality,
    region: family.region,
    version: family.version,
    machineVersion: family.machineVersion,
    state: stateOf(snap),
    caseDirector: refOf(ctx.refs, c.caseDirectorId),
    pendingDirector: refOf(ctx.refs, family.pendingDirectorId),
    acute: family.acute,
    reportedAt: family.reportedAt,
    members: c.members.map((m) => ({
      id: m.id,
      alias: m.alias,
      kind: m.kind,
      birthYear: m.birthYear,
      expectedMonth: (m as { expectedMonth?: string }).expectedMonth ?? null,
    })),
    conditions: c.conditions.map((x) => ({
      id: x.id,
      description: x.description,
      dueAt: x.dueAt,
      status: x.status,
      lastCheckedAt: x.lastCheckedAt,
      lastResult: x.lastResult,
      visibleToFamily: x.visibleToFamily !== false,
    })),
    safetyPlan: c.safetyPlan
      ? {
          version: c.safetyPlan.version,
          agreedAt: c.safetyPlan.agreedAt,
          revisedAt: c.safetyPlan.revisedAt,
          agreements: c.safetyPlan.agreements.map((a) => ({
            id: a.id,
            description: a.description,
            responsible: a.responsible,
            coversConditionIds: a.coversConditionIds,
            visibleToFamily: a.visibleToFamily !== false,
          })),
          participants: c.safetyPlan.participants,
          childPerspectives: c.safetyPlan.childPerspectives.map((p) => ({
            memberId: p.memberId,
            perspective: p.perspective,
            visibleToFamily: p.visibleToFamily !== false,
          })),
        }
      : null,
    planRevisionRequired: c.planRevisionRequired,
    incidents: c.incidents.map((i) => ({
      id: i.id,
      occurredAt: i.occurredAt,
      recordedAt: i.recordedAt,
      severity: i.severity,
      description: i.description,
      phase: i.phase,
    })),
    measures: c.measures.map((m) => ({
      id: m.id,
      kind: m.kind,
      startsAt: m.startsAt,
      endsAt: m.endsAt,
      status: m.status,
      initialEndsAt: m.initialEndsAt,
      endedAt: m.endedAt,
    })),
    escalations: c.escalations.map((e) => ({
      id: e.id,
      to: e.to,
      raisedAt: e.raisedAt,
      resolvedAt: e.resolvedAt,
      reason: e.reason,
      obstacles: (e as FamilyContextV2['escalations'][number]).obstacles ?? [],
    })),
    deadlines: deadlines.map((d) => ({ kind: d.kind, ref: d.ref, dueAt: d.dueAt, status: d.status })),
    incidentFree: { since: free.since, days: free.since ? free.days : null, stableSafetyFrom: free.stableSafetyFrom },
    phaseHistory: c.phaseHistory.map((p) => ({ phase: p.phase, at: p.at })),
    checks: c.checks.map((k) => ({
      id: k.id,
      recordedAt: k.recordedAt,
      by: refOf(ctx.refs, k.by),
      results: k.results,
      notes: k.notes,
      recoveryAttention: (k as FamilyContextV2['checks'][number]).recoveryAttention ?? null,
    })),
    ...v2Facts(snap, deadlines, ctx.refs, now, allowed.includes('member.shielded')),
    allowedEvents: allowed.filter((type) => !ownPanel(type)),
    blockedEvents: blocked.filter((b) => !ownPanel(b.type)),
    nextDueAt: family.nextDueAt,
    createdAt: family.createdAt,
    updatedAt: family.updatedAt,
  };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * A family list row from the columns the writers keep (no snapshot): the state, the next timer and
 * its kind (the timer plan), the earliest owed deadline and its kind, urgency, wait and plan
 * disagreement (the projection). Overdue is judged now: the earliest owed deadline has passed.
 */
export function familySummary(row: FamilySummaryRow, refs: UserRefs, now: Date): FamilySummary {
  const overdue = row.overdueAt !== null && row.overdueAt.getTime() <= now.getTime();
  return {
    id: row.id,
    reference: row.reference,
    municipality: row.municipality,
    version: row.version,
    state: { phase: row.phase, oversight: row.oversight, escalation: row.escalation },
    caseDirector: refOf(refs, row.directorId),
    pendingDirector: refOf(refs, row.pendingDirectorId),
    acute: row.acute,
    reportedAt: row.reportedAt.toISOString(),
    nextDueAt: iso(row.nextDueAt),
    nextDueKind: row.nextDueKind,
    overdue,
    overdueKind: overdue ? row.overdueKind : null,
    overdueSince: overdue ? iso(row.overdueAt) : null,
    urgency: row.urgency as FamilySummary['urgency'],
    waitingSince: iso(row.waitingSince),
    planDisagreement: row.planDisagreement,
    updatedAt: row.updatedAt.toISOString(),
  };
}

const NO_FACTS: MonitoringFacts = Object.freeze({ conditions: [], lastCheckAt: null, nextCheckDue: null, acceptanceDue: null, missedDeadlines: [] });

/**
 * The monitoring column's facts by their text: a family's facts change only when an event is appended
 * to it, so the list's pages (50 families each, asked again and again by every VT worker of a region)
 * parse each text once. Bounded: emptied when it holds more than 2,000 texts (about 2 MB). The facts
 * are shared between answers and never changed (an answer only serialises them).
 */
const parsedFacts = new Map<string, MonitoringFacts>();
const PARSED_FACTS_MAX = 2_000;

/** A monitoring row's `monitoring` column, parsed once per text (the list asks for it more than once per row). */
function factsOf(row: MonitoringRow): MonitoringFacts {
  const text = row.monitoring;
  if (!text) return NO_FACTS;
  let m = parsedFacts.get(text);
  if (m === undefined) {
    m = JSON.parse(text) as MonitoringFacts;
    if (parsedFacts.size >= PARSED_FACTS_MAX) parsedFacts.clear();
    parsedFacts.set(text, m);
  }
  return m;
}

/** The director who declined the offer that put a monitoring row back with VT, if any. */
export function declinedBy(row: MonitoringRow): string | null {
  return factsOf(row).declined?.directorId ?? null;
}

/** A monitoring list row from the columns the projection keeps (no snapshot); overdue is judged now. */
export function monitoringItem(row: MonitoringRow, refs: UserRefs, now: Date, declineReasons: ReadonlyMap<string, string | null> = new Map()): MonitoringItem {
  const m = factsOf(row);
  return {
    id: row.id,
    reference: row.reference,
    municipality: row.municipality,
    state: { phase: row.phase, oversight: row.oversight, escalation: row.escalation },
    caseDirector: refOf(refs, row.directorId),
    pendingDirector: refOf(refs, row.pendingDirectorId),
    conditions: m.conditions,
    lastCheckAt: m.lastCheckAt,
    nextCheckDue: m.nextCheckDue,
    acceptanceDue: m.acceptanceDue,
    declinedHandover: m.declined
      ? { declinedBy: refOf(refs, m.declined.directorId)!, at: m.declined.at, reason: declineReasons.get(row.id) ?? null }
      : null,
    missedDeadlines: m.missedDeadlines,
    overdue: row.monitorDueAt !== null && row.monitorDueAt.getTime() <= now.getTime(),
  };
}
