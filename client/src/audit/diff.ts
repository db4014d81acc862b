import type { TFunction } from 'i18next';
import type { FamilyContext } from '../../../machines/schemas/audit.ts';
import { formatDate } from '../format.ts';
import {
  deadlineKindLabel,
  escalationLabel,
  measureKindLabel,
  oversightLabel,
  phaseLabel,
} from '../labels.ts';
import type { FamilyState } from '../types.ts';
import { listText } from './sentences.ts';
import type { Names } from './names.ts';

// What changed in the case between two replayed steps, in sentences: the two recomputed contexts
// compared field by field (phase, director, handovers, conditions, plan, incidents, measures, checks,
// escalations, closures, signals). Never JSON, never an id: people, members, conditions and measures
// are named through `names`.

export type Snapshot = { state: FamilyState; context: FamilyContext };

const byId = <T extends { id: string }>(list: readonly T[]) => new Map(list.map((x) => [x.id, x]));
const added = <T extends { id: string }>(before: readonly T[], after: readonly T[]) => {
  const old = byId(before);
  return after.filter((x) => !old.has(x.id));
};
const escalationKey = (to: string) => `escalationTarget.${to.replace(/\+/g, 'plus')}`;

export function changesBetween(
  before: Snapshot | null,
  after: Snapshot,
  t: TFunction,
  names: Names,
): string[] {
  const out: string[] = [];
  const a = after.context;
  const b: FamilyContext | null = before?.context ?? null;
  const person = (id: string | null) =>
    id ? (names.person(id) ?? t('history.s.someone')) : t('diff.nobody');
  const condition = (id: string) => names.condition(id) ?? t('history.s.aCondition');

  // The three regions of the chart.
  const sb = before?.state;
  if (!sb || sb.phase !== after.state.phase)
    out.push(
      sb
        ? t('diff.phase', { from: phaseLabel(t, sb.phase), to: phaseLabel(t, after.state.phase) })
        : t('diff.phaseStart', { to: phaseLabel(t, after.state.phase) }),
    );
  if (sb && sb.oversight !== after.state.oversight)
    out.push(
      t('diff.oversight', {
        from: oversightLabel(t, sb.oversight),
        to: oversightLabel(t, after.state.oversight),
      }),
    );
  if (sb && sb.escalation !== after.state.escalation)
    out.push(
      t('diff.escalationState', {
        from: escalationLabel(t, sb.escalation),
        to: escalationLabel(t, after.state.escalation),
      }),
    );

  if (b && a.cycle > b.cycle && b.cycle > 0) out.push(t('diff.reopened', { cycle: a.cycle }));
  if ((b?.caseDirectorId ?? null) !== a.caseDirectorId)
    out.push(t('diff.director', { from: person(b?.caseDirectorId ?? null), to: person(a.caseDirectorId) }));

  const newMembers = added(b?.members ?? [], a.members);
  if (newMembers.length > 0)
    out.push(
      t('diff.members', {
        names: listText(
          t,
          newMembers.map((m) => m.alias),
        ),
      }),
    );
  for (const r of added(b?.reports ?? [], a.reports))
    out.push(t('diff.report', { source: t(`source.${r.source}`), date: formatDate(r.receivedAt) }));
  if (a.assessmentsStarted.length > (b?.assessmentsStarted.length ?? 0))
    out.push(t('diff.assessmentStarted'));
  for (const d of added(b?.decisions ?? [], a.decisions))
    out.push(t('diff.decision', { decision: t(`decision.${d.decision}`) }));

  // Handovers: a new offer, or an offer answered.
  const oldHandovers = byId(b?.handovers ?? []);
  for (const h of a.handovers) {
    const was = oldHandovers.get(h.id);
    if (!was) out.push(t('diff.handoverOffered', { name: person(h.toId) }));
    else if (was.outcome !== h.outcome) out.push(t(`diff.handover_${h.outcome}`, { name: person(h.toId) }));
  }

  // Conditions: set, and their status or last check result.
  const oldConditions = byId(b?.conditions ?? []);
  for (const c of a.conditions) {
    const was = oldConditions.get(c.id);
    if (!was)
      out.push(
        c.dueAt
          ? t('diff.conditionSetDue', { text: c.description, date: formatDate(c.dueAt) })
          : t('diff.conditionSet', { text: c.description }),
      );
    else if (was.status !== c.status)
      out.push(
        t('diff.conditionStatus', {
          text: c.description,
          from: t(`diff.condition_${was.status}`),
          to: t(`diff.condition_${c.status}`),
        }),
      );
    else if (was.lastCheckedAt !== c.lastCheckedAt && c.lastResult !== null)
      out.push(
        t(c.lastResult ? 'diff.conditionChecked' : 'diff.conditionCheckedNotMet', { text: c.description }),
      );
  }

  // The safety plan.
  if (!b?.safetyPlan && a.safetyPlan)
    out.push(t('diff.planAgreed', { version: a.safetyPlan.version, count: a.safetyPlan.agreements.length }));
  else if (b?.safetyPlan && a.safetyPlan && b.safetyPlan.version !== a.safetyPlan.version)
    out.push(
      t('diff.planVersion', {
        from: b.safetyPlan.version,
        to: a.safetyPlan.version,
        count: a.safetyPlan.agreements.length,
      }),
    );
  if ((b?.planRevisionRequired ?? false) !== a.planRevisionRequired)
    out.push(t(a.planRevisionRequired ? 'diff.planRevisionRequired' : 'diff.planRevisionDone'));

  for (const i of added(b?.incidents ?? [], a.incidents))
    out.push(
      t('diff.incident', {
        severity: t(`severity.${i.severity}`).toLowerCase(),
        date: formatDate(i.occurredAt),
      }),
    );

  // Measures: imposed, extended, ended or expired.
  const oldMeasures = byId(b?.measures ?? []);
  for (const m of a.measures) {
    const was = oldMeasures.get(m.id);
    const kind = measureKindLabel(t, m.kind);
    if (!was) out.push(t('diff.measureImposed', { kind, date: formatDate(m.endsAt) }));
    else if (was.endsAt !== m.endsAt)
      out.push(t('diff.measureExtended', { kind, date: formatDate(m.endsAt) }));
    else if (was.status !== m.status) out.push(t(`diff.measure_${m.status}`, { kind }));
  }

  for (const c of added(b?.checks ?? [], a.checks))
    out.push(
      t('diff.check', {
        count: c.results.length,
        list: listText(
          t,
          c.results.map((r) =>
            t(r.met ? 'diff.checkMet' : 'diff.checkNotMet', { text: condition(r.conditionId) }),
          ),
        ),
      }),
    );

  // Escalations.
  const oldEscalations = byId(b?.escalations ?? []);
  for (const e of a.escalations) {
    const was = oldEscalations.get(e.id);
    if (!was) out.push(t('diff.escalationRaised', { to: t(escalationKey(e.to)) }));
    else if (!was.resolvedAt && e.resolvedAt)
      out.push(t('diff.escalationResolved', { to: t(escalationKey(e.to)) }));
  }

  if (added(b?.stabilityConfirmations ?? [], a.stabilityConfirmations).length > 0)
    out.push(t('diff.stability'));
  for (const c of a.closures.slice(b?.closures.length ?? 0))
    out.push(t('diff.closed', { reason: t(`diff.closure_${c.reasonCode}`) }));

  // Signals of the deadline monitoring.
  for (const s of a.signals.missed.slice(b?.signals.missed.length ?? 0))
    out.push(t('diff.missed', { kind: deadlineKindLabel(t, s.kind), date: formatDate(s.dueAt) }));
  for (const s of a.signals.reviewsDue.slice(b?.signals.reviewsDue.length ?? 0))
    out.push(t('diff.reviewDue', { date: formatDate(s.dueAt) }));
  for (const s of a.signals.stagnation.slice(b?.signals.stagnation.length ?? 0))
    out.push(t('diff.stagnation', { phase: phaseLabel(t, s.phase) }));

  return out;
}
