import type { TFunction } from 'i18next';
import { parsePayload, type EventType, type PayloadOf } from '../../../machines/schemas/events.ts';
import { formatDate } from '../format.ts';
import { deadlineKindLabel, eventName, measureKindLabel, phaseLabel } from '../labels.ts';
import type { Names } from './names.ts';

// One readable sentence per recorded event, for the auditor's timeline, replay and printed report:
// what the payload says, with people, members, conditions and measures named, dates in nl-NL. No
// JSON, no ids. The switch is exhaustive over the machine's event types (lint and the compiler check
// it; sentences.test.ts checks that every type gets a real sentence in both languages).

/** Who recorded it: a user by `id`; a household member (issue 15) by `memberId` as the history names them, or `id` as replay does. */
type SentenceActor = { role: string; id?: string; memberId?: string };

export type SentenceEvent = {
  [T in EventType]: { type: T; payload: PayloadOf<T>; actor: SentenceActor };
}[EventType];

const escalationKey = (to: string) => `escalationTarget.${to.replace(/\+/g, 'plus')}`;

/** "a, b en c" in the UI language. */
export function listText(t: TFunction, items: readonly string[]): string {
  if (items.length === 0) return '';
  if (items.length === 1) return items[0] ?? '';
  return t('history.s.list', { head: items.slice(0, -1).join(', '), last: items.at(-1) });
}

/** A recorded event as the history and replay answer it (the payload checked here against its type). */
export type RecordedEvent = { type: EventType; payload: unknown; actor: SentenceActor };

export function eventSentence(e: RecordedEvent, t: TFunction, names: Names): string {
  const parsed = parsePayload(e.type, e.payload);
  if (!parsed.success) return t('history.s.unreadable', { event: eventName(t, e.type) });
  // Parsed with the schema of e.type just above, so type and payload belong together.
  return sentenceOf({ type: e.type, payload: parsed.data, actor: e.actor } as SentenceEvent, t, names);
}

function sentenceOf(e: SentenceEvent, t: TFunction, names: Names): string {
  const someone = t('history.s.someone');
  const person = (id: string | null | undefined) => names.person(id) ?? someone;
  const actor = e.actor.role === 'system' ? null : person(e.actor.id);
  const member = (id: string) => names.member(id) ?? t('history.s.aMember');
  const measure = (id: string) => names.measure(id) ?? t('history.s.aMeasure');
  const participants = (list: readonly ({ memberId: string } | { professional: string })[]) =>
    listText(
      t,
      list.map((p) => ('memberId' in p ? member(p.memberId) : p.professional)),
    );
  const parts: string[] = [];
  /** What the director kept out of the family's own view (issue 15), named. */
  const hidden = (items: readonly string[]) => {
    if (items.length > 0) parts.push(t('history.s.hiddenFromFamily', { list: listText(t, items) }));
  };
  switch (e.type) {
    case 'report.received': {
      const p = e.payload;
      parts.push(
        t(p.acute ? 'history.s.reportAcute' : 'history.s.report', {
          source: t(`source.${p.source}`),
          date: formatDate(p.receivedAt),
        }),
      );
      if (p.members.length > 0)
        parts.push(
          t('history.s.members', {
            names: listText(
              t,
              p.members.map((m) =>
                m.kind === 'unborn' && m.expectedMonth
                  ? t('history.s.unbornMember', { alias: m.alias, month: m.expectedMonth })
                  : m.alias,
              ),
            ),
          }),
        );
      if (p.violenceForms.length > 0)
        parts.push(
          t('history.s.violenceForms', {
            forms: listText(
              t,
              p.violenceForms.map((f) => t(`violenceForm.${f}`, { defaultValue: f })),
            ),
          }),
        );
      break;
    }
    case 'assessment.started':
      parts.push(t('history.s.assessmentStarted'));
      break;
    case 'assessment.completed':
    case 'investigation.completed': {
      const p = e.payload;
      parts.push(t('history.s.decision', { decision: t(`decision.${p.decision}`) }));
      if (p.acute || p.structural)
        parts.push(
          t('history.s.unsafety', {
            kinds: listText(t, [
              ...(p.acute ? [t('history.s.acute')] : []),
              ...(p.structural ? [t('history.s.structural')] : []),
            ]),
          }),
        );
      if (p.directorId)
        parts.push(
          t(p.decision === 'handover' ? 'history.s.handoverOffered' : 'history.s.directorNamed', {
            name: person(p.directorId),
          }),
        );
      if (p.riskFactors && p.riskFactors.length > 0)
        parts.push(
          t('history.s.riskFactorsFound', {
            list: listText(t, p.riskFactors.map((f) => t(`history.s.rf_${f.kind}`))),
          }),
        );
      if (p.conditions.length > 0)
        parts.push(
          t('history.s.conditionsSet', {
            count: p.conditions.length,
            list: listText(
              t,
              p.conditions.map((c) =>
                c.dueAt
                  ? t('history.s.conditionDue', { text: c.description, date: formatDate(c.dueAt) })
                  : c.description,
              ),
            ),
          }),
        );
      hidden(p.conditions.filter((c) => c.visibleToFamily === false).map((c) => `«${c.description}»`));
      break;
    }
    case 'handover.offered':
      parts.push(t('history.s.handoverOffered', { name: person(e.payload.directorId) }));
      break;
    case 'handover.accepted':
      parts.push(t('history.s.handoverAccepted', { name: actor ?? someone }));
      break;
    case 'handover.declined':
      parts.push(t('history.s.handoverDeclined', { name: actor ?? someone }));
      break;
    case 'plan.agreed':
    case 'plan.revised': {
      const p = e.payload;
      parts.push(
        t(e.type === 'plan.agreed' ? 'history.s.planAgreed' : 'history.s.planRevised', {
          count: p.agreements.length,
        }),
      );
      if (p.participants.length > 0)
        parts.push(t('history.s.participants', { names: participants(p.participants) }));
      const covered = [...new Set(p.agreements.flatMap((a) => a.coversConditionIds))];
      if (covered.length > 0)
        parts.push(
          t('history.s.covers', {
            list: listText(
              t,
              covered.map((id) => names.condition(id) ?? t('history.s.aCondition')),
            ),
          }),
        );
      if (p.childPerspectives.length > 0)
        parts.push(
          t('history.s.childPerspectives', {
            names: listText(
              t,
              p.childPerspectives.map((c) => member(c.memberId)),
            ),
          }),
        );
      hidden([
        ...p.agreements.filter((a) => a.visibleToFamily === false).map((a) => `«${a.description}»`),
        ...p.childPerspectives
          .filter((c) => c.visibleToFamily === false)
          .map((c) => t('history.s.perspectiveOf', { name: member(c.memberId) })),
      ]);
      break;
    }
    case 'directSafety.achieved':
      parts.push(t('history.s.directSafetyAchieved'));
      break;
    case 'incident.reported':
      parts.push(
        t('history.s.incident', {
          severity: t(`severity.${e.payload.severity}`).toLowerCase(),
          date: formatDate(e.payload.occurredAt),
        }),
      );
      break;
    case 'stability.confirmed': {
      const p = e.payload;
      parts.push(t('history.s.stabilityConfirmed'));
      const present = p.participants.filter((x) => !x.absentReason).map((x) => member(x.memberId));
      const absent = p.participants.filter((x) => x.absentReason).map((x) => member(x.memberId));
      if (present.length > 0) parts.push(t('history.s.withMembers', { names: listText(t, present) }));
      if (absent.length > 0) parts.push(t('history.s.absentMembers', { names: listText(t, absent) }));
      if (p.professionals.length > 0)
        parts.push(t('history.s.professionals', { names: listText(t, p.professionals) }));
      if (p.riskFactorsResolved) parts.push(t('history.s.riskFactorsResolved'));
      break;
    }
    case 'recovery.completed':
      parts.push(t('history.s.recoveryCompleted'));
      if (e.payload.excused && e.payload.excused.length > 0)
        parts.push(
          t('history.s.recoveryExcused', {
            names: listText(t, e.payload.excused.map((x) => `${member(x.memberId)} (${x.reason})`)),
          }),
        );
      break;
    case 'case.closed':
      parts.push(t('history.s.caseClosed', { reason: t(`closeReason.${e.payload.reasonCode}`) }));
      break;
    case 'monitoring.checkRecorded': {
      const results = e.payload.results;
      const met = results
        .filter((r) => r.met)
        .map((r) => names.condition(r.conditionId) ?? t('history.s.aCondition'));
      const notMet = results
        .filter((r) => !r.met)
        .map((r) => names.condition(r.conditionId) ?? t('history.s.aCondition'));
      parts.push(t('history.s.checkRecorded', { count: results.length }));
      if (met.length > 0) parts.push(t('history.s.checkMet', { list: listText(t, met) }));
      if (notMet.length > 0) parts.push(t('history.s.checkNotMet', { list: listText(t, notMet) }));
      if (e.payload.recoveryAttention) parts.push(t('history.s.recoveryAttention'));
      break;
    }
    case 'monitoring.takenBack':
      parts.push(t('history.s.takenBack'));
      break;
    case 'monitoring.ended':
      parts.push(t('history.s.monitoringEnded'));
      break;
    case 'escalation.raised':
      parts.push(t('history.s.escalationRaised', { to: t(escalationKey(e.payload.to)) }));
      if (e.payload.obstacles && e.payload.obstacles.length > 0)
        parts.push(
          t('history.s.obstacles', {
            list: listText(t, e.payload.obstacles.map((o) => t(`history.s.ob_${o}`))),
          }),
        );
      break;
    case 'escalation.resolved':
      parts.push(t('history.s.escalationResolved'));
      break;
    case 'measure.imposed':
      parts.push(
        t('history.s.measureImposed', {
          kind: measureKindLabel(t, e.payload.kind),
          from: formatDate(e.payload.startsAt),
          to: formatDate(e.payload.endsAt),
        }),
      );
      break;
    case 'measure.extended':
      parts.push(
        t('history.s.measureExtended', {
          kind: measure(e.payload.measureId),
          date: formatDate(e.payload.endsAt),
        }),
      );
      break;
    case 'measure.ended':
      parts.push(t('history.s.measureEnded', { kind: measure(e.payload.measureId) }));
      break;
    // System events: which timer fired, and what it means.
    case 'measure.expired':
      parts.push(t('history.s.measureExpired', { kind: measure(e.payload.measureId) }));
      break;
    case 'deadline.missed':
      parts.push(
        t('history.s.deadlineMissed', {
          kind: deadlineKindLabel(t, e.payload.kind),
          date: formatDate(e.payload.dueAt),
        }),
      );
      break;
    case 'stability.reviewDue':
      parts.push(t('history.s.reviewDue', { date: formatDate(e.payload.dueAt) }));
      break;
    case 'stagnation.detected':
      parts.push(
        t('history.s.stagnation', {
          phase: phaseLabel(t, e.payload.phase),
          since: formatDate(e.payload.since),
          date: formatDate(e.payload.dueAt),
        }),
      );
      break;
    // familyCase@2
    case 'triage.recorded':
      parts.push(t('history.s.triage', { urgency: t(`history.s.urgency_${e.payload.urgency}`) }));
      if (e.payload.instrument && e.payload.instrument !== 'other')
        parts.push(t('history.s.triageInstrument', { instrument: e.payload.instrument.toUpperCase() }));
      if (e.payload.score !== undefined) parts.push(t('history.s.triageScore', { score: e.payload.score }));
      break;
    case 'contact.interim':
      parts.push(t('history.s.interimContact', { with: t(`history.s.with_${e.payload.with}`) }));
      break;
    case 'investigation.started':
      parts.push(t('history.s.investigationStarted'));
      break;
    case 'reporter.informed':
      parts.push(t('history.s.reporterInformed', { channel: t(`history.s.channel_${e.payload.channel}`) }));
      break;
    case 'household.informed':
      parts.push(t('history.s.householdInformed', { channel: t(`history.s.channel_${e.payload.channel}`) }));
      break;
    case 'contact.first':
      parts.push(
        t(e.payload.warm ? 'history.s.firstContactWarm' : 'history.s.firstContact', {
          names: listText(t, e.payload.with.map(member)),
        }),
      );
      break;
    case 'conference.held':
      parts.push(
        t('history.s.conference', {
          kind: t(`history.s.conferenceKind_${e.payload.kind}`),
          date: formatDate(e.payload.heldAt),
          count: e.payload.agreements.length,
        }),
      );
      parts.push(
        t('history.s.conferenceParticipants', {
          names: listText(
            t,
            e.payload.participants.map((p) =>
              'memberId' in p
                ? member(p.memberId)
                : t(p.mandate ? 'history.s.professionalWithMandate' : 'history.s.professionalOf', {
                    name: p.professional,
                    organisation: p.organisation,
                  }),
            ),
          ),
        }),
      );
      for (const a of e.payload.agreements)
        parts.push(
          t(a.dueAt ? 'history.s.conferenceAgreementDue' : 'history.s.conferenceAgreement', {
            what: a.description,
            who: a.responsible,
            date: a.dueAt ? formatDate(a.dueAt) : '',
          }),
        );
      if (e.payload.nextAt) parts.push(t('history.s.conferenceNext', { date: formatDate(e.payload.nextAt) }));
      break;
    case 'riskFactors.updated':
      parts.push(
        t('history.s.riskFactorsUpdated', {
          list: listText(
            t,
            e.payload.factors.map((f) =>
              t('history.s.riskFactorStatus', {
                kind: t(`history.s.rf_${f.kind}`),
                status: t(`history.s.rfs_${f.status}`),
              }),
            ),
          ),
        }),
      );
      break;
    case 'trauma.screened':
      parts.push(
        t('history.s.traumaScreened', {
          member: member(e.payload.memberId),
          by: e.payload.by,
          outcome: t(`history.s.outcome_${e.payload.outcome}`),
        }),
      );
      break;
    case 'case.upgraded':
      parts.push(t('history.s.caseUpgraded', { version: e.payload.toVersion }));
      break;
    // The family's own view (issue 15): the member answering is the actor, by their id in the case.
    case 'member-access.granted':
      parts.push(t('history.s.accessGranted', { member: member(e.payload.memberId), date: formatDate(e.payload.expiresAt) }));
      break;
    case 'member-access.revoked':
      parts.push(t('history.s.accessRevoked', { member: member(e.payload.memberId) }));
      break;
    case 'plan.responded':
      parts.push(
        t(e.payload.response === 'agree' ? 'history.s.planAgreedBy' : 'history.s.planDisagreedBy', {
          member: member(e.actor.memberId ?? e.actor.id ?? ''),
          version: e.payload.planVersion,
        }),
      );
      if (e.payload.comment) parts.push(t('history.s.responseComment', { comment: e.payload.comment }));
      break;
    case 'member.shielded':
      parts.push(
        e.payload.from.length > 0
          ? t('history.s.shielded', { member: member(e.payload.memberId), names: listText(t, e.payload.from.map(member)) })
          : t('history.s.shieldLifted', { member: member(e.payload.memberId) }),
      );
      break;
  }
  return parts.join(' ');
}

/** The kinds of event the timeline filters by. */
export const eventKinds = [
  'report',
  'assessment',
  'handover',
  'plan',
  'phase',
  'incident',
  'measure',
  'monitoring',
  'escalation',
  'system',
] as const;
export type EventKind = (typeof eventKinds)[number];

const kindOfType: Record<EventType, EventKind> = {
  'report.received': 'report',
  'assessment.started': 'assessment',
  'assessment.completed': 'assessment',
  'investigation.completed': 'assessment',
  'handover.offered': 'handover',
  'handover.accepted': 'handover',
  'handover.declined': 'handover',
  'plan.agreed': 'plan',
  'plan.revised': 'plan',
  'directSafety.achieved': 'phase',
  'stability.confirmed': 'phase',
  'recovery.completed': 'phase',
  'case.closed': 'phase',
  'incident.reported': 'incident',
  'measure.imposed': 'measure',
  'measure.extended': 'measure',
  'measure.ended': 'measure',
  'monitoring.checkRecorded': 'monitoring',
  'monitoring.takenBack': 'monitoring',
  'monitoring.ended': 'monitoring',
  'escalation.raised': 'escalation',
  'escalation.resolved': 'escalation',
  'measure.expired': 'system',
  'deadline.missed': 'system',
  'stability.reviewDue': 'system',
  'stagnation.detected': 'system',
  'triage.recorded': 'assessment',
  'contact.interim': 'report',
  'investigation.started': 'assessment',
  'reporter.informed': 'report',
  'household.informed': 'assessment',
  'contact.first': 'handover',
  'conference.held': 'escalation',
  'riskFactors.updated': 'plan',
  'trauma.screened': 'phase',
  'case.upgraded': 'phase',
  'member-access.granted': 'plan',
  'member-access.revoked': 'plan',
  'plan.responded': 'plan',
  'member.shielded': 'plan',
};

export const kindOf = (type: EventType): EventKind => kindOfType[type];
