import { and, setup } from 'xstate';
import type { FamilyEvent } from '../schemas/events.ts';
import { as } from './actions.ts';
import { actionsV2 } from './actionsV2.ts';
import { allOf, assessmentRules, assessmentStarted, decisionRoutes, directSafetyAchieved, enter, escalationRegion, incidentRecorded, incidentRules, investigationRules, oversightRegion, planRules, recordIncident, recoveryIncidents, stabilityConfirmedBy, stableSafetyIncidents, systemEvents, whileOpen } from './chartParts.ts';
import { emptyContextV2, type FamilyContextV2 } from './contextV2.ts';
import { guardsFor, route, ruleGuards } from './guards.ts';
import type { LegalLimits } from './limits.ts';
import { escalatedToMdaPlusPlus } from './rules/conferences.ts';
import { rulesV2 } from './rules/index.ts';

// The familyCase statechart, version 2 (DOMAIN.md "familyCase version 2"): v1's chart with the loops
// the sources ask to close — interim contact on the waiting list, an investigation that waits before it
// starts, feedback to the reporter and the household, first contact and a first plan after a handover,
// case conferences, risk factors instead of a checkbox, trauma screening before recovery is complete.
// The context is flat (contextV2.ts); v1's rules and actions are reused where they are the same
// (chartParts.ts, rules/), the new rules are in rules/followUp.ts, conferences.ts, recovery.ts and
// versions.ts, the new actions in actionsV2.ts. Durable timers: timersV2.ts.

export type FamilyMachineV2Options = { version: number; limits: LegalLimits };

// v2 records more after some of v1's transitions.
const decided = ['recordDecision', 'recordDecisionV2'] as const;
const reportRecorded = ['recordReport', 'recordReportV2'] as const;
const v2Decision = <const R extends readonly string[]>(rules: R) => [...rules, 'investigationStarted'] as const;

export function createFamilyCaseMachineV2({ version, limits }: FamilyMachineV2Options) {
  const chart = setup({
    types: { context: {} as FamilyContextV2, events: {} as FamilyEvent },
    guards: {
      ...guardsFor(limits),
      ...ruleGuards(rulesV2, limits),
      mdaPlusPlusConference: route((ev) => as(ev, 'conference.held')?.payload.kind === 'mdaPlusPlus'),
      escalatedToMdaPlusPlus: ({ context }: { context: FamilyContextV2 }) => escalatedToMdaPlusPlus(context),
    },
    actions: actionsV2,
  });

  const investigationV2Rules = v2Decision(investigationRules);

  // What every open phase accepts in v2 besides v1's: case conferences and keeping risk factors current.
  const whileOpenV2 = {
    ...whileOpen,
    'report.received': { ...whileOpen['report.received'], actions: reportRecorded },
    'conference.held': {
      guard: and([
        'caseOpened',
        'assignedToCase',
        'conferenceNotInFuture',
        'conferenceDatesAfter',
        'unknownMember',
        'memberNamedOnce',
      ]),
      actions: 'recordConference',
    },
    'riskFactors.updated': { guard: and(['caseOpened', 'assignedToCase']), actions: 'updateRiskFactors' },
  } as const;

  // After a handover (direct safety on): the new director's first contact with the family, and the
  // phases it may happen in; in stable safety and recovery also a trauma screening.
  const afterHandover = {
    ...whileOpenV2,
    'contact.first': {
      guard: and(['caseOpened', 'assignedToCase', 'firstContactOwed', 'unknownMember', 'memberNamedOnce']),
      actions: 'recordFirstContact',
    },
  } as const;

  const screened = { guard: and(['caseOpened', 'assignedToCase', 'unknownMember']), actions: 'recordScreening' } as const;

  return chart.createMachine({
    id: 'familyCase',
    type: 'parallel',
    context: () => emptyContextV2(),
    meta: { version },
    on: {
      ...systemEvents,
      // Feedback after a decision is owed also when the decision closed the case.
      'reporter.informed': { guard: and(['caseOpened', 'reporterFeedbackOwed']), actions: 'recordInformed' },
      'household.informed': { guard: and(['caseOpened', 'householdFeedbackOwed']), actions: 'recordInformed' },
      // The move from an older version, recorded once (the engine migrates the snapshot first).
      'case.upgraded': {
        guard: and(['caseOpened', 'assignedToCase', 'reasonRequired', 'upgradePending']),
        actions: 'recordUpgrade',
      },
      // The family's own view: the director gives a member a one-time code (an adult, or a child of 12
      // or older), revokes it, hides one member's data from others; a member with access answers the
      // current plan. An answer never blocks the plan. Closing the case ends every member's access.
      'member-access.granted': {
        guard: and([
          'caseOpened',
          'phaseNotClosed',
          'familyDirectorActs',
          'unknownMember',
          'accessForAdultOrChildOf12',
          'accessExpiresLater',
        ]),
        actions: 'grantAccess',
      },
      'member-access.revoked': {
        guard: and(['caseOpened', 'familyDirectorActs', 'unknownMember', 'accessToRevoke']),
        actions: 'revokeAccess',
      },
      'member.shielded': {
        guard: and(['caseOpened', 'phaseNotClosed', 'familyDirectorActs', 'unknownMember', 'notShieldedFromSelf']),
        actions: 'shieldMember',
      },
      'plan.responded': {
        guard: and(['caseOpened', 'phaseNotClosed', 'memberHasAccess', 'planToAnswer', 'planVersionCurrent']),
        actions: 'recordResponse',
      },
    },
    states: {
      phase: {
        initial: 'reported',
        states: {
          // The waiting list: ordered by urgency, and nobody waits without contact.
          reported: {
            entry: enter('reported'),
            on: {
              ...whileOpenV2,
              'incident.reported': incidentRecorded,
              'triage.recorded': { guard: 'caseOpened', actions: 'recordTriage' },
              'contact.interim': { guard: 'caseOpened', actions: 'recordInterimContact' },
              'assessment.started': assessmentStarted,
            },
          },
          // The safety assessment (veiligheidsbeoordeling).
          assessment: {
            entry: enter('assessment'),
            on: {
              ...whileOpenV2,
              'incident.reported': incidentRecorded,
              'triage.recorded': { guard: 'caseOpened', actions: 'recordTriage' },
              'assessment.completed': decisionRoutes(assessmentRules, decided, 'investigation'),
            },
          },
          // Veilig Thuis's own investigation: decided, then started (the wait between is a KPI); the
          // ten-week term runs from the decision.
          investigation: {
            entry: enter('investigation'),
            initial: 'waiting',
            on: {
              ...whileOpenV2,
              'incident.reported': incidentRecorded,
              'investigation.completed': decisionRoutes(investigationV2Rules, decided, null),
            },
            states: {
              waiting: {
                on: {
                  'investigation.started': { guard: 'caseOpened', target: 'ongoing', actions: 'startInvestigation' },
                },
              },
              ongoing: {},
            },
          },
          // Stop the violence now: a safety plan made with the family.
          directSafety: {
            entry: [enter('directSafety'), 'startFollowUp'],
            initial: 'planning',
            on: {
              ...afterHandover,
              // Direct safety is re-checked in every phase: here an incident means the plan must be revised.
              'incident.reported': { guard: incidentRules, actions: recordIncident(true) },
            },
            states: {
              planning: {
                on: {
                  'plan.agreed': {
                    guard: planRules,
                    target: 'planAgreed',
                    actions: ['recordPlan', 'recordPlanV2'],
                  },
                },
              },
              planAgreed: {
                on: {
                  'plan.revised': { guard: planRules, actions: ['recordPlan', 'recordPlanV2'] },
                  'directSafety.achieved': directSafetyAchieved,
                },
              },
            },
          },
          // Risk-driven care on the underlying problems; the six-month clock runs.
          stableSafety: {
            entry: enter('stableSafety'),
            on: {
              ...afterHandover,
              // A serious incident sends the family back; a minor one restarts the six-month clock.
              'incident.reported': stableSafetyIncidents,
              'trauma.screened': screened,
              // v2: every recorded risk factor reduced or resolved, instead of one checkbox.
              'stability.confirmed': stabilityConfirmedBy('riskFactorsReduced'),
            },
          },
          // Recovery-oriented care, checked: a trauma screening per member before it is complete.
          recovery: {
            entry: enter('recovery'),
            on: {
              ...afterHandover,
              'incident.reported': recoveryIncidents,
              'trauma.screened': screened,
              'recovery.completed': {
                guard: allOf(['caseOpened', 'assignedToCase', 'reasonRequired', 'unknownMember', 'everyMemberScreened']),
                target: 'closed',
                actions: 'recordRecoveryV2',
              },
            },
          },
          // Closed, history kept: a repeat report reopens the same family's history (radar function).
          closed: {
            entry: [enter('closed'), 'closeCase', 'closeCaseV2'],
            on: {
              'report.received': {
                guard: and(['membersRequired', 'reportNotInFuture']),
                target: 'reported',
                actions: reportRecorded,
              },
            },
          },
        },
      },
      oversight: oversightRegion({
        assessment: assessmentRules,
        investigation: investigationV2Rules,
        accepted: ['acceptHandover', 'acceptHandoverV2'],
        checked: ['recordCheck', 'recordCheckV2'],
      }),
      escalation: escalationRegion({
        raised: ['raiseEscalation', 'recordObstacles'],
        // An escalation to MDA++ is resolved by the MDA++ conference itself.
        escalatedOn: {
          'conference.held': {
            guard: and(['caseOpened', 'assignedToCase', 'conferenceNotInFuture', 'mdaPlusPlusConference', 'escalatedToMdaPlusPlus']),
            target: 'none',
            actions: 'resolveEscalations',
          },
        },
      }),
    },
  });
}

export type FamilyCaseMachineV2 = ReturnType<typeof createFamilyCaseMachineV2>;
