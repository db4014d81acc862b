import { and, stateIn } from 'xstate';
import type { PhaseName } from './context.ts';

// The pieces of the familyCase chart that more than one machine version shares: the rule lists a
// transition names and the transitions that stay the same. Each version's chart file composes them and
// reads top to bottom as the domain (familyCase.machine.ts for v1, familyCaseV2.machine.ts for v2).

export const enter = (phase: PhaseName) => ({ type: 'enterPhase' as const, params: { phase } });
export const recordIncident = (reviseThePlan: boolean) => ({
  type: 'recordIncident' as const,
  params: { reviseThePlan },
});
export const offerHandover = (kind: 'team' | 'director') => ({ type: 'offerHandover' as const, params: { kind } });

/**
 * `and(names)` for a list composed at run time (a version's rules plus a route). Its type names one rule
 * every version has: the chart's type check cannot follow a composed list; the graph tests take every
 * transition, and XState throws on a guard name a version does not implement.
 */
export const allOf = (names: readonly string[]) => and(names as unknown as ['caseOpened']);

export const phaseClosed = stateIn({ phase: 'closed' });
export const directSafety = '#familyCase.phase.directSafety';
export const closed = '#familyCase.phase.closed';

// What every open phase accepts: another report (combined with this one: the radar function),
// legal measures, and closing the case with a motivated reason.
export const whileOpen = {
  'report.received': { guard: and(['membersRequired', 'reportNotInFuture']), actions: 'recordReport' },
  'measure.imposed': {
    guard: and(['caseOpened', 'assignedToCase', 'measureEndsAfterStart', 'measureWithinLegalLimit']),
    actions: 'imposeMeasure',
  },
  'measure.extended': {
    guard: and([
      'caseOpened',
      'activeMeasureExists',
      'assignedToCase',
      'measureActive',
      'extensionEndsLater',
      'measureWithinLegalLimit',
    ]),
    actions: 'extendMeasure',
  },
  'measure.ended': {
    guard: and(['caseOpened', 'activeMeasureExists', 'assignedToCase', 'measureActive']),
    actions: 'endMeasure',
  },
  'case.closed': { guard: and(['caseOpened', 'assignedToCase', 'reasonRequired']), target: closed },
} as const;

/** The waiting list ends when Veilig Thuis starts the safety assessment. */
export const assessmentStarted = { guard: 'caseOpened', target: 'assessment', actions: 'startAssessment' } as const;

// Before stable safety an incident changes no phase; it is recorded.
export const incidentRules = and(['caseOpened', 'assignedToCase', 'incidentNotInFuture']);
export const incidentRecorded = { guard: incidentRules, actions: recordIncident(false) };

/** After stable safety: a serious incident sends the family back to direct safety (the plan is revised). */
export const seriousIncidentBack = {
  guard: and([incidentRules, 'seriousIncident']),
  target: `${directSafety}.planAgreed`,
  actions: recordIncident(true),
} as const;

/** Stable safety: a serious incident sends the family back, a minor one restarts the six-month clock. */
export const stableSafetyIncidents = [
  seriousIncidentBack,
  { guard: and([incidentRules, 'minorIncident']), actions: recordIncident(false) },
] as const;

/** Recovery: a serious incident sends the family back to direct safety, a minor one to stable safety. */
export const recoveryIncidents = [
  seriousIncidentBack,
  { guard: and([incidentRules, 'minorIncident']), target: 'stableSafety', actions: recordIncident(false) },
] as const;

/** Direct safety is achieved once a plan is agreed and, after an incident, revised. */
export const directSafetyAchieved = {
  guard: and(['caseOpened', 'assignedToCase', 'reasonRequired', 'planRevisionPending']),
  target: '#familyCase.phase.stableSafety',
} as const;

/** Stable safety is confirmed with every member after six incident-free months; `risk` is the version's risk rule. */
export const stabilityConfirmedBy = (risk: string) => ({
  guard: allOf([
    'caseOpened',
    'assignedToCase',
    'reasonRequired',
    'unknownMember',
    'memberNamedOnce',
    'allMembersAssessed',
    risk,
    'sixMonthsIncidentFree',
  ]),
  target: 'recovery',
  actions: 'confirmStability',
} as const);

// The outcome of a safety assessment or an investigation (the rules, then which decision it is).
export const assessmentRules = [
  'caseOpened',
  'inAssessment',
  'reasonRequired',
  'namedUserResolved',
  'handoverNamesDirector',
  'notToOneself',
  'directorIsVtColleague',
  'safetyConditionRequired',
] as const;
export const investigationRules = [
  'caseOpened',
  'inInvestigation',
  'reasonRequired',
  'investigateOnlyFromAssessment',
  'namedUserResolved',
  'handoverNamesDirector',
  'notToOneself',
  'directorIsVtColleague',
  'safetyConditionRequired',
] as const;

/** The decisions of an assessment (`investigate` included) or an investigation, each to its phase. */
export function decisionRoutes<const R extends readonly string[], const A>(
  rules: R,
  actions: A,
  investigation: string | null,
) {
  return [
    { guard: allOf([...rules, 'decidedToClose']), target: closed, actions },
    ...(investigation ? [{ guard: allOf([...rules, 'decidedToInvestigate']), target: investigation, actions }] : []),
    { guard: allOf([...rules, 'decidedOnConditionsAndFollowUp']), target: directSafety, actions },
    { guard: allOf([...rules, 'decidedToHandOver']), target: directSafety, actions },
  ];
}

// A handover to another director: offered by the current director (or VT), answered by the one named.
export const offerRules = and([
  'caseOpened',
  'caseDirectorAssigned',
  'assignedToCase',
  'reasonRequired',
  'namedUserResolved',
  'offeredToDirector',
  'notToCurrentDirector',
  'notToOneself',
]);
export const declineRules = and(['caseOpened', 'handoverIsPending', 'isNamedReceiver', 'reasonRequired']);
export const acceptRules = and([
  'caseOpened',
  'handoverIsPending',
  'isNamedReceiver',
  'notOwnOffer',
  'reasonRequired',
]);
export const checkRules = and(['caseOpened', 'conditionsToCheck', 'unknownCondition', 'conditionCheckedOnce']);

// The safety plan: made with the family, covering every open safety condition.
export const planRules = and([
  'caseOpened',
  'assignedToCase',
  'agreementRequired',
  'unknownCondition',
  'conditionCoveredOnce',
  'conditionsCovered',
  'unknownMember',
  'memberNamedOnce',
  'perspectiveOnlyForChild',
  'childPerspectiveOnce',
  'adultParticipantRequired',
  'childPerspectiveRequired',
]);

// System events: the scheduler turns durable timers into these, once each.
export const systemEvents = {
  'measure.expired': {
    guard: and(['caseOpened', 'activeMeasureExists', 'measureActive']),
    actions: 'endMeasure',
  },
  'deadline.missed': { guard: and(['caseOpened', 'signalNew']), actions: 'recordSignal' },
  'stability.reviewDue': { guard: and(['caseOpened', 'signalNew']), actions: 'recordSignal' },
  'stagnation.detected': { guard: and(['caseOpened', 'signalNew']), actions: 'recordSignal' },
} as const;

/**
 * Region `oversight` (Veilig Thuis) and handovers. `decided` names the rules of the assessment's and the
 * investigation's outcome; `accepted` what an accepted handover records; `checked` what a check records.
 */
/** Handovers between directors, once Veilig Thuis monitors or has closed its file. */
const betweenDirectors = <const AA>(accepted: AA) =>
  ({
    'handover.offered': { guard: offerRules, actions: offerHandover('director') },
    'handover.accepted': { guard: acceptRules, actions: accepted },
    'handover.declined': { guard: declineRules, actions: 'declineHandover' },
  }) as const;

export function oversightRegion<const RA extends readonly string[], const RI extends readonly string[], const AA, const AC>(opts: {
  assessment: RA;
  investigation: RI;
  accepted: AA;
  checked: AC;
}) {
  const checkRecorded = { guard: checkRules, actions: opts.checked };
  return {
    initial: 'vtInvolved',
    states: {
      // Veilig Thuis holds "zicht op veiligheid" from the report on.
      vtInvolved: {
        always: { guard: phaseClosed, target: 'ended' },
        on: {
          'assessment.completed': {
            guard: allOf([...opts.assessment, 'decidedToHandOver']),
            target: 'handoverPending',
            actions: offerHandover('team'),
          },
          'investigation.completed': {
            guard: allOf([...opts.investigation, 'decidedToHandOver']),
            target: 'handoverPending',
            actions: offerHandover('team'),
          },
          'handover.offered': {
            guard: offerRules,
            target: 'handoverPending',
            actions: offerHandover('team'),
          },
          'monitoring.checkRecorded': checkRecorded,
        },
      },
      // Until the named director accepts, the VT worker who decided stays case director.
      handoverPending: {
        always: { guard: phaseClosed, target: 'ended' },
        on: {
          // A new offer replaces the pending one (e.g. the named director is unavailable).
          'handover.offered': { guard: offerRules, actions: offerHandover('team') },
          'handover.accepted': { guard: acceptRules, target: 'monitoring', actions: opts.accepted },
          'handover.declined': { guard: declineRules, target: 'vtInvolved', actions: 'declineHandover' },
          'monitoring.checkRecorded': checkRecorded,
        },
      },
      // Veilig Thuis monitors the local team's follow-up.
      monitoring: {
        always: { guard: phaseClosed, target: 'ended' },
        on: {
          ...betweenDirectors(opts.accepted),
          'monitoring.checkRecorded': checkRecorded,
          // VT takes the case back when the conditions are not met.
          'monitoring.takenBack': {
            guard: and(['caseOpened', 'reasonRequired']),
            target: 'vtInvolved',
            actions: 'takeBack',
          },
          'monitoring.ended': { guard: and(['caseOpened', 'stableSafetyReached']), target: 'ended' },
        },
      },
      // After Veilig Thuis closed its file, directors still hand over among themselves.
      ended: {
        on: {
          ...betweenDirectors(opts.accepted),
          'report.received': {
            guard: and(['membersRequired', 'reportNotInFuture', phaseClosed]),
            target: 'vtInvolved',
          },
        },
      },
    },
  } as const;
}

/** Region `escalation`: `raised` is what raising records; `escalatedOn` what else resolves it (v2: a conference). */
export function escalationRegion<const AR, const E extends object>(opts: { raised: AR; escalatedOn: E }) {
  return {
    initial: 'none',
    states: {
      none: {
        on: {
          'escalation.raised': {
            guard: and(['caseOpened', 'phaseNotClosed', 'assignedToCase', 'reasonRequired']),
            target: 'escalated',
            actions: opts.raised,
          },
        },
      },
      escalated: {
        // Whenever the case closes, escalations are resolved with it.
        always: { guard: phaseClosed, target: 'none', actions: 'resolveEscalations' },
        on: {
          'escalation.resolved': {
            guard: and(['caseOpened', 'assignedToCase', 'reasonRequired']),
            target: 'none',
            actions: 'resolveEscalations',
          },
          ...opts.escalatedOn,
        },
      },
    },
  } as const;
}
