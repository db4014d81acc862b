import { and, setup, stateIn } from 'xstate';
import type { FamilyEvent } from '../schemas/events.ts';
import { actions } from './actions.ts';
import { emptyContext, type FamilyContext, type PhaseName } from './context.ts';
import { guardsFor } from './guards.ts';
import type { LegalLimits } from './limits.ts';

// The familyCase statechart (DOMAIN.md): three parallel regions, `phase`, `oversight` (Veilig Thuis)
// and `escalation`. Each transition names the rules that guard it, in the order a refusal explains
// them: the first rule that refuses is the one the professional reads. The rules are in rules/ by
// topic, the actions in actions.ts. Who may ever send an event (rules/roles.ts `roleMaySend`) is
// checked before the chart is asked.
//
// Pure: no delays, no invoked actors, no wall clock. Durable timers are derived from the context
// (timers.ts) and come back as system events.

export type FamilyMachineOptions = { version: number; limits: LegalLimits };

const enter = (phase: PhaseName) => ({ type: 'enterPhase' as const, params: { phase } });
const recordIncident = (reviseThePlan: boolean) => ({
  type: 'recordIncident' as const,
  params: { reviseThePlan },
});
const offerHandover = (kind: 'team' | 'director') => ({ type: 'offerHandover' as const, params: { kind } });

export function createFamilyCaseMachine({ version, limits }: FamilyMachineOptions) {
  const chart = setup({
    types: { context: {} as FamilyContext, events: {} as FamilyEvent },
    guards: guardsFor(limits),
    actions,
  });

  const phaseClosed = stateIn({ phase: 'closed' });
  const directSafety = '#familyCase.phase.directSafety';
  const closed = '#familyCase.phase.closed';

  // What every open phase accepts: another report (combined with this one: the radar function),
  // legal measures, and closing the case with a motivated reason.
  const whileOpen = {
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

  // Before stable safety an incident changes no phase; it is recorded.
  const incidentRules = and(['caseOpened', 'assignedToCase', 'incidentNotInFuture']);
  const incidentRecorded = { guard: incidentRules, actions: recordIncident(false) };

  // The outcome of a safety assessment or an investigation (the rules, then which decision it is).
  const assessmentRules = [
    'caseOpened',
    'inAssessment',
    'reasonRequired',
    'namedUserResolved',
    'handoverNamesDirector',
    'notToOneself',
    'directorIsVtColleague',
    'safetyConditionRequired',
  ] as const;
  const investigationRules = [
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

  // A handover to another director: offered by the current director (or VT), answered by the one named.
  const offerRules = and([
    'caseOpened',
    'caseDirectorAssigned',
    'assignedToCase',
    'reasonRequired',
    'namedUserResolved',
    'offeredToDirector',
    'notToCurrentDirector',
    'notToOneself',
  ]);
  const declineRules = and(['caseOpened', 'handoverIsPending', 'isNamedReceiver', 'reasonRequired']);
  const acceptRules = and([
    'caseOpened',
    'handoverIsPending',
    'isNamedReceiver',
    'notOwnOffer',
    'reasonRequired',
  ]);
  const checkRules = and(['caseOpened', 'conditionsToCheck', 'unknownCondition', 'conditionCheckedOnce']);

  // The safety plan: made with the family, covering every open safety condition.
  const planRules = and([
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

  return chart.createMachine({
    id: 'familyCase',
    type: 'parallel',
    context: () => emptyContext(),
    meta: { version },
    // System events: the scheduler turns durable timers into these, once each.
    on: {
      'measure.expired': {
        guard: and(['caseOpened', 'activeMeasureExists', 'measureActive']),
        actions: 'endMeasure',
      },
      'deadline.missed': { guard: and(['caseOpened', 'signalNew']), actions: 'recordSignal' },
      'stability.reviewDue': { guard: and(['caseOpened', 'signalNew']), actions: 'recordSignal' },
      'stagnation.detected': { guard: and(['caseOpened', 'signalNew']), actions: 'recordSignal' },
    },
    states: {
      phase: {
        initial: 'reported',
        states: {
          // The waiting list.
          reported: {
            entry: enter('reported'),
            on: {
              ...whileOpen,
              'incident.reported': incidentRecorded,
              'assessment.started': {
                guard: 'caseOpened',
                target: 'assessment',
                actions: 'startAssessment',
              },
            },
          },
          // The safety assessment (veiligheidsbeoordeling).
          assessment: {
            entry: enter('assessment'),
            on: {
              ...whileOpen,
              'incident.reported': incidentRecorded,
              'assessment.completed': [
                {
                  guard: and([...assessmentRules, 'decidedToClose']),
                  target: closed,
                  actions: 'recordDecision',
                },
                {
                  guard: and([...assessmentRules, 'decidedToInvestigate']),
                  target: 'investigation',
                  actions: 'recordDecision',
                },
                {
                  guard: and([...assessmentRules, 'decidedOnConditionsAndFollowUp']),
                  target: directSafety,
                  actions: 'recordDecision',
                },
                {
                  guard: and([...assessmentRules, 'decidedToHandOver']),
                  target: directSafety,
                  actions: 'recordDecision',
                },
              ],
            },
          },
          // Veilig Thuis's own investigation.
          investigation: {
            entry: enter('investigation'),
            on: {
              ...whileOpen,
              'incident.reported': incidentRecorded,
              'investigation.completed': [
                {
                  guard: and([...investigationRules, 'decidedToClose']),
                  target: closed,
                  actions: 'recordDecision',
                },
                {
                  guard: and([...investigationRules, 'decidedOnConditionsAndFollowUp']),
                  target: directSafety,
                  actions: 'recordDecision',
                },
                {
                  guard: and([...investigationRules, 'decidedToHandOver']),
                  target: directSafety,
                  actions: 'recordDecision',
                },
              ],
            },
          },
          // Stop the violence now: a safety plan made with the family.
          directSafety: {
            entry: [enter('directSafety'), 'startFollowUp'],
            initial: 'planning',
            on: {
              ...whileOpen,
              // Direct safety is re-checked in every phase: here an incident means the plan must be revised.
              'incident.reported': { guard: incidentRules, actions: recordIncident(true) },
            },
            states: {
              planning: {
                on: {
                  'plan.agreed': { guard: planRules, target: 'planAgreed', actions: 'recordPlan' },
                },
              },
              planAgreed: {
                on: {
                  'plan.revised': { guard: planRules, actions: 'recordPlan' },
                  'directSafety.achieved': {
                    guard: and(['caseOpened', 'assignedToCase', 'reasonRequired', 'planRevisionPending']),
                    target: '#familyCase.phase.stableSafety',
                  },
                },
              },
            },
          },
          // Risk-driven care on the underlying problems; the six-month clock runs.
          stableSafety: {
            entry: enter('stableSafety'),
            on: {
              ...whileOpen,
              'incident.reported': [
                {
                  guard: and([incidentRules, 'seriousIncident']),
                  target: `${directSafety}.planAgreed`,
                  actions: recordIncident(true),
                },
                // A minor incident keeps the phase; the six-month clock restarts from it.
                { guard: and([incidentRules, 'minorIncident']), actions: recordIncident(false) },
              ],
              'stability.confirmed': {
                guard: and([
                  'caseOpened',
                  'assignedToCase',
                  'reasonRequired',
                  'unknownMember',
                  'memberNamedOnce',
                  'allMembersAssessed',
                  'riskFactorsResolved',
                  'sixMonthsIncidentFree',
                ]),
                target: 'recovery',
                actions: 'confirmStability',
              },
            },
          },
          // Recovery-oriented care; an incident sends the family back.
          recovery: {
            entry: enter('recovery'),
            on: {
              ...whileOpen,
              'incident.reported': [
                {
                  guard: and([incidentRules, 'seriousIncident']),
                  target: `${directSafety}.planAgreed`,
                  actions: recordIncident(true),
                },
                {
                  guard: and([incidentRules, 'minorIncident']),
                  target: 'stableSafety',
                  actions: recordIncident(false),
                },
              ],
              'recovery.completed': {
                guard: and(['caseOpened', 'assignedToCase', 'reasonRequired']),
                target: 'closed',
              },
            },
          },
          // Closed, history kept: a repeat report reopens the same family's history (radar function).
          closed: {
            entry: [enter('closed'), 'closeCase'],
            on: {
              'report.received': {
                guard: and(['membersRequired', 'reportNotInFuture']),
                target: 'reported',
                actions: 'recordReport',
              },
            },
          },
        },
      },
      oversight: {
        initial: 'vtInvolved',
        states: {
          // Veilig Thuis holds "zicht op veiligheid" from the report on.
          vtInvolved: {
            always: { guard: phaseClosed, target: 'ended' },
            on: {
              'assessment.completed': {
                guard: and([...assessmentRules, 'decidedToHandOver']),
                target: 'handoverPending',
                actions: offerHandover('team'),
              },
              'investigation.completed': {
                guard: and([...investigationRules, 'decidedToHandOver']),
                target: 'handoverPending',
                actions: offerHandover('team'),
              },
              'handover.offered': {
                guard: offerRules,
                target: 'handoverPending',
                actions: offerHandover('team'),
              },
              'monitoring.checkRecorded': { guard: checkRules, actions: 'recordCheck' },
            },
          },
          // Until the named director accepts, the VT worker who decided stays case director.
          handoverPending: {
            always: { guard: phaseClosed, target: 'ended' },
            on: {
              // A new offer replaces the pending one (e.g. the named director is unavailable).
              'handover.offered': { guard: offerRules, actions: offerHandover('team') },
              'handover.accepted': { guard: acceptRules, target: 'monitoring', actions: 'acceptHandover' },
              'handover.declined': { guard: declineRules, target: 'vtInvolved', actions: 'declineHandover' },
              'monitoring.checkRecorded': { guard: checkRules, actions: 'recordCheck' },
            },
          },
          // Veilig Thuis monitors the local team's follow-up.
          monitoring: {
            always: { guard: phaseClosed, target: 'ended' },
            on: {
              'handover.offered': { guard: offerRules, actions: offerHandover('director') },
              'handover.accepted': { guard: acceptRules, actions: 'acceptHandover' },
              'handover.declined': { guard: declineRules, actions: 'declineHandover' },
              'monitoring.checkRecorded': { guard: checkRules, actions: 'recordCheck' },
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
              'handover.offered': { guard: offerRules, actions: offerHandover('director') },
              'handover.accepted': { guard: acceptRules, actions: 'acceptHandover' },
              'handover.declined': { guard: declineRules, actions: 'declineHandover' },
              'report.received': {
                guard: and(['membersRequired', 'reportNotInFuture', phaseClosed]),
                target: 'vtInvolved',
              },
            },
          },
        },
      },
      escalation: {
        initial: 'none',
        states: {
          none: {
            on: {
              'escalation.raised': {
                guard: and(['caseOpened', 'phaseNotClosed', 'assignedToCase', 'reasonRequired']),
                target: 'escalated',
                actions: 'raiseEscalation',
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
            },
          },
        },
      },
    },
  });
}

export type FamilyCaseMachine = ReturnType<typeof createFamilyCaseMachine>;
