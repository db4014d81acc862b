import { and, setup } from 'xstate';
import type { FamilyEvent } from '../schemas/events.ts';
import { actions } from './actions.ts';
import { assessmentRules, assessmentStarted, decisionRoutes, directSafetyAchieved, enter, escalationRegion, incidentRecorded, incidentRules, investigationRules, oversightRegion, planRules, recordIncident, recoveryIncidents, stabilityConfirmedBy, stableSafetyIncidents, systemEvents, whileOpen } from './chartParts.ts';
import { emptyContext, type FamilyContext } from './context.ts';
import { guardsFor } from './guards.ts';
import type { LegalLimits } from './limits.ts';

// The familyCase statechart (DOMAIN.md), version 1: three parallel regions, `phase`, `oversight`
// (Veilig Thuis) and `escalation`. Each transition names the rules that guard it, in the order a
// refusal explains them: the first rule that refuses is the one the professional reads. The rules are
// in rules/ by topic, the actions in actions.ts, the pieces later versions share in chartParts.ts. Who
// may ever send an event (rules/roles.ts `roleMaySend`) is checked before the chart is asked.
//
// Pure: no delays, no invoked actors, no wall clock. Durable timers are derived from the context
// (timers.ts) and come back as system events.

export type FamilyMachineOptions = { version: number; limits: LegalLimits };

export function createFamilyCaseMachine({ version, limits }: FamilyMachineOptions) {
  const chart = setup({
    types: { context: {} as FamilyContext, events: {} as FamilyEvent },
    guards: guardsFor(limits),
    actions,
  });

  return chart.createMachine({
    id: 'familyCase',
    type: 'parallel',
    context: () => emptyContext(),
    meta: { version },
    on: systemEvents,
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
              'assessment.started': assessmentStarted,
            },
          },
          // The safety assessment (veiligheidsbeoordeling).
          assessment: {
            entry: enter('assessment'),
            on: {
              ...whileOpen,
              'incident.reported': incidentRecorded,
              'assessment.completed': decisionRoutes(assessmentRules, 'recordDecision', 'investigation'),
            },
          },
          // Veilig Thuis's own investigation.
          investigation: {
            entry: enter('investigation'),
            on: {
              ...whileOpen,
              'incident.reported': incidentRecorded,
              'investigation.completed': decisionRoutes(investigationRules, 'recordDecision', null),
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
                  'directSafety.achieved': directSafetyAchieved,
                },
              },
            },
          },
          // Risk-driven care on the underlying problems; the six-month clock runs.
          stableSafety: {
            entry: enter('stableSafety'),
            on: {
              ...whileOpen,
              // A serious incident sends the family back; a minor one restarts the six-month clock.
              'incident.reported': stableSafetyIncidents,
              'stability.confirmed': stabilityConfirmedBy('riskFactorsResolved'),
            },
          },
          // Recovery-oriented care; an incident sends the family back.
          recovery: {
            entry: enter('recovery'),
            on: {
              ...whileOpen,
              'incident.reported': recoveryIncidents,
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
      oversight: oversightRegion({
        assessment: assessmentRules,
        investigation: investigationRules,
        accepted: 'acceptHandover',
        checked: 'recordCheck',
      }),
      escalation: escalationRegion({ raised: 'raiseEscalation', escalatedOn: {} }),
    },
  });
}

export type FamilyCaseMachine = ReturnType<typeof createFamilyCaseMachine>;
