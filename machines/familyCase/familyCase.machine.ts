import { and, assign, setup, stateIn } from 'xstate';
import type { Decision, EventType, FamilyEvent, FamilyEventOf } from '../schemas/events.ts';
import { utc } from './calendar.ts';
import {
  currentPhase,
  emptyContext,
  pendingHandover,
  type FamilyContext,
  type PhaseName,
} from './context.ts';
import { eventTime, incidentFreeSince, ruleChains, rules, type LegalLimits, type RuleName } from './rules.ts';

// The familyCase statechart. Pure: no delays, no invoked actors, no wall clock. Every fact it records
// comes from the event (its payload, actor and timestamps), so replaying a history rebuilds the case.

type Draft = FamilyContext;
type Mutator<P = undefined> = (c: Draft, ev: FamilyEvent, params: P) => void;

/** Context updates are written as mutations of a private copy: easier to read than nested spreads. */
function update<P = undefined>(fn: Mutator<P>) {
  return assign<FamilyContext, FamilyEvent, P, FamilyEvent, never>(({ context, event }, params) => {
    const draft = structuredClone(context);
    fn(draft, event, params);
    return draft;
  });
}

function newId(c: Draft, prefix: string): string {
  const id = `${prefix}${c.nextId}`;
  c.nextId += 1;
  return id;
}

function as<T extends EventType>(ev: FamilyEvent, type: T): FamilyEventOf<T> | null {
  return ev.type === type ? (ev as FamilyEventOf<T>) : null;
}

function decisionEvent(ev: FamilyEvent) {
  return as(ev, 'assessment.completed') ?? as(ev, 'investigation.completed');
}

function cancelPending(c: Draft, at: string) {
  const pending = pendingHandover(c);
  if (pending) {
    pending.outcome = 'cancelled';
    pending.respondedAt = at;
  }
}

const actions = {
  enterPhase: update<{ phase: PhaseName }>((c, ev, { phase }) => {
    // Starting an actor without a snapshot enters `reported` with xstate's init event: no case yet, no time.
    if (typeof (ev as { recordedAt?: unknown }).recordedAt !== 'string') return;
    c.phaseHistory.push({ phase, at: utc(ev.recordedAt) });
  }),
  recordReport: update((c, ev) => {
    const e = as(ev, 'report.received');
    if (!e) return;
    const phase = currentPhase(c);
    const opening = c.cycle === 0 || phase === 'closed';
    if (opening) c.cycle += 1;
    const at = utc(ev.recordedAt);
    for (const m of e.payload.members) c.members.push({ id: newId(c, 'm'), ...m, addedAt: at });
    c.reports.push({
      id: newId(c, 'r'),
      cycle: c.cycle,
      source: e.payload.source,
      acute: e.payload.acute,
      summary: e.payload.summary,
      violenceForms: e.payload.violenceForms,
      receivedAt: utc(e.payload.receivedAt ?? eventTime(e)),
      recordedAt: at,
      intake: opening || phase === 'reported' || phase === 'assessment',
    });
    // The very first report opens the waiting list; a reopening enters `reported` by its entry action.
    if (c.phaseHistory.length === 0) c.phaseHistory.push({ phase: 'reported', at });
  }),
  startAssessment: update((c, ev) => {
    c.assessmentsStarted.push({ cycle: c.cycle, at: utc(ev.recordedAt), by: ev.actor.id });
  }),
  recordDecision: update((c, ev) => {
    const e = decisionEvent(ev);
    if (!e) return;
    const p = e.payload;
    const at = utc(ev.recordedAt);
    c.decisions.push({
      id: newId(c, 'd'),
      cycle: c.cycle,
      kind: e.type === 'assessment.completed' ? 'assessment' : 'investigation',
      decision: p.decision,
      acute: p.acute,
      structural: p.structural,
      at,
      by: ev.actor.id,
      directorId: p.directorId ?? null,
    });
    if (p.decision === 'handover' || p.decision === 'conditionsAndFollowUp') {
      for (const cond of p.conditions) {
        c.conditions.push({
          id: newId(c, 'c'),
          cycle: c.cycle,
          description: cond.description,
          dueAt: cond.dueAt ? utc(cond.dueAt) : null,
          status: 'open',
          setAt: at,
          lastCheckedAt: null,
          lastResult: null,
        });
      }
      // Handover: the deciding VT worker stays director until the named director accepts.
      c.caseDirectorId = p.decision === 'conditionsAndFollowUp' ? (p.directorId ?? ev.actor.id) : ev.actor.id;
    }
  }),
  offerHandover: update<{ kind: 'team' | 'director' }>((c, ev, { kind }) => {
    const at = utc(ev.recordedAt);
    let toId: string | undefined;
    const offered = as(ev, 'handover.offered');
    if (offered) toId = offered.payload.directorId;
    else toId = decisionEvent(ev)?.payload.directorId;
    if (!toId) return;
    cancelPending(c, at);
    c.handovers.push({
      id: newId(c, 'h'),
      kind,
      fromId: c.caseDirectorId,
      toId,
      offeredBy: ev.actor.id,
      offeredAt: at,
      outcome: 'pending',
      respondedAt: null,
    });
  }),
  acceptHandover: update((c, ev) => {
    const pending = pendingHandover(c);
    if (!pending) return;
    const at = utc(ev.recordedAt);
    pending.outcome = 'accepted';
    pending.respondedAt = at;
    c.caseDirectorId = pending.toId;
    if (pending.kind === 'team') c.followUpStarts.push(at);
  }),
  declineHandover: update((c, ev) => {
    const pending = pendingHandover(c);
    if (!pending) return;
    pending.outcome = 'declined';
    pending.respondedAt = utc(ev.recordedAt);
  }),
  recordPlan: update((c, ev) => {
    const e = as(ev, 'plan.agreed') ?? as(ev, 'plan.revised');
    if (!e) return;
    const at = utc(ev.recordedAt);
    c.safetyPlan = {
      version: (c.safetyPlan?.version ?? 0) + 1,
      agreedAt: e.type === 'plan.agreed' || !c.safetyPlan ? at : c.safetyPlan.agreedAt,
      revisedAt: e.type === 'plan.revised' ? at : null,
      agreements: e.payload.agreements.map((a) => ({ id: newId(c, 'a'), ...a })),
      participants: e.payload.participants,
      childPerspectives: e.payload.childPerspectives,
    };
    c.planRevisionRequired = false;
  }),
  recordIncident: update<{ reviseThePlan: boolean }>((c, ev, { reviseThePlan }) => {
    const e = as(ev, 'incident.reported');
    if (!e) return;
    c.incidents.push({
      id: newId(c, 'i'),
      occurredAt: utc(e.payload.occurredAt),
      recordedAt: utc(ev.recordedAt),
      severity: e.payload.severity,
      description: e.payload.description,
      phase: currentPhase(c),
    });
    if (reviseThePlan) c.planRevisionRequired = true;
  }),
  confirmStability: update((c, ev) => {
    const e = as(ev, 'stability.confirmed');
    if (!e) return;
    c.stabilityConfirmations.push({
      id: newId(c, 's'),
      at: utc(eventTime(e)),
      recordedAt: utc(ev.recordedAt),
      since: incidentFreeSince(c) ?? utc(ev.recordedAt),
      participants: e.payload.participants,
      professionals: e.payload.professionals,
    });
  }),
  startFollowUp: update((c, ev) => {
    c.followUpStarts.push(utc(ev.recordedAt));
  }),
  closeCase: update((c, ev) => {
    const at = utc(ev.recordedAt);
    const closed = as(ev, 'case.closed');
    c.closures.push({
      cycle: c.cycle,
      at,
      by: ev.actor.id,
      reasonCode: closed
        ? closed.payload.reasonCode
        : ev.type === 'recovery.completed'
          ? 'recoveryCompleted'
          : 'decision',
    });
    // A closed case has no director and no pending handover; its open conditions lapse with it.
    cancelPending(c, at);
    c.caseDirectorId = null;
    c.planRevisionRequired = false;
    for (const cond of c.conditions) if (cond.status === 'open') cond.status = 'withdrawn';
  }),
  recordCheck: update((c, ev) => {
    const e = as(ev, 'monitoring.checkRecorded');
    if (!e) return;
    const at = utc(ev.recordedAt);
    c.checks.push({
      id: newId(c, 'k'),
      recordedAt: at,
      by: ev.actor.id,
      results: e.payload.results,
      notes: e.payload.notes ?? null,
    });
    for (const r of e.payload.results) {
      const cond = c.conditions.find((x) => x.id === r.conditionId);
      if (!cond) continue;
      cond.lastCheckedAt = at;
      cond.lastResult = r.met;
      cond.status = r.met ? 'met' : 'open';
    }
  }),
  takeBack: update((c, ev) => {
    const at = utc(ev.recordedAt);
    cancelPending(c, at);
    c.caseDirectorId = ev.actor.id;
    c.followUpStarts.push(at);
  }),
  raiseEscalation: update((c, ev) => {
    const e = as(ev, 'escalation.raised');
    if (!e) return;
    c.escalations.push({
      id: newId(c, 'e'),
      to: e.payload.to,
      raisedAt: utc(ev.recordedAt),
      raisedBy: ev.actor.id,
      reason: ev.reason ?? null,
      resolvedAt: null,
    });
  }),
  resolveEscalations: update((c, ev) => {
    for (const e of c.escalations) if (!e.resolvedAt) e.resolvedAt = utc(ev.recordedAt);
  }),
  imposeMeasure: update((c, ev) => {
    const e = as(ev, 'measure.imposed');
    if (!e) return;
    const endsAt = utc(e.payload.endsAt);
    c.measures.push({
      id: newId(c, 'x'),
      kind: e.payload.kind,
      startsAt: utc(e.payload.startsAt),
      endsAt,
      initialEndsAt: endsAt,
      extensions: [],
      status: 'active',
      endedAt: null,
    });
  }),
  extendMeasure: update((c, ev) => {
    const e = as(ev, 'measure.extended');
    const m = e && c.measures.find((x) => x.id === e.payload.measureId);
    if (!e || !m) return;
    m.endsAt = utc(e.payload.endsAt);
    m.extensions.push({ endsAt: m.endsAt, recordedAt: utc(ev.recordedAt) });
  }),
  endMeasure: update((c, ev) => {
    const e = as(ev, 'measure.ended') ?? as(ev, 'measure.expired');
    const m = e && c.measures.find((x) => x.id === e.payload.measureId);
    if (!e || !m) return;
    m.status = e.type === 'measure.ended' ? 'ended' : 'expired';
    m.endedAt = utc(ev.recordedAt);
  }),
  recordSignal: update((c, ev) => {
    const recordedAt = utc(ev.recordedAt);
    if (ev.type === 'deadline.missed')
      c.signals.missed.push({ ...ev.payload, dueAt: utc(ev.payload.dueAt), recordedAt });
    if (ev.type === 'stability.reviewDue')
      c.signals.reviewsDue.push({ dueAt: utc(ev.payload.dueAt), recordedAt });
    if (ev.type === 'stagnation.detected') {
      c.signals.stagnation.push({
        ...ev.payload,
        since: utc(ev.payload.since),
        dueAt: utc(ev.payload.dueAt),
        recordedAt,
      });
    }
  }),
};

type GuardFn = (args: { context: FamilyContext; event: FamilyEvent }) => boolean;

function ruleGuards(limits: LegalLimits): Record<RuleName, GuardFn> {
  const out = {} as Record<RuleName, GuardFn>;
  for (const name of Object.keys(rules) as RuleName[]) {
    out[name] = ({ context, event }) => rules[name].check(context, event, limits) === null;
  }
  return out;
}

export type FamilyMachineOptions = { version: number; limits: LegalLimits };

export function createFamilyCaseMachine({ version, limits }: FamilyMachineOptions) {
  const m = setup({
    types: {
      context: {} as FamilyContext,
      events: {} as FamilyEvent,
    },
    guards: {
      ...ruleGuards(limits),
      decisionIs: ({ event }: { event: FamilyEvent }, params: { decision: Decision }) =>
        decisionEvent(event)?.payload.decision === params.decision,
      severityIs: ({ event }: { event: FamilyEvent }, params: { severity: 'minor' | 'serious' }) =>
        as(event, 'incident.reported')?.payload.severity === params.severity,
    },
    actions,
  });

  // The rule chain of an event type as one guard; transitions add routing guards (which decision, which severity).
  const rulesOf = (type: EventType) => and(ruleChains[type] as RuleName[]);
  type Route =
    | { type: 'decisionIs'; params: { decision: Decision } }
    | { type: 'severityIs'; params: { severity: 'minor' | 'serious' } };
  const routed = (type: EventType, route: Route) => and([rulesOf(type), route]);
  const decision = (d: Decision) => ({ type: 'decisionIs' as const, params: { decision: d } });
  const severity = (s: 'minor' | 'serious') => ({ type: 'severityIs' as const, params: { severity: s } });
  const phaseClosed = stateIn({ phase: 'closed' });

  const toDirectSafety = '#familyCase.phase.directSafety';
  const toClosed = '#familyCase.phase.closed';

  const openCaseEvents = {
    'report.received': { guard: rulesOf('report.received'), actions: 'recordReport' },
    'measure.imposed': { guard: rulesOf('measure.imposed'), actions: 'imposeMeasure' },
    'measure.extended': { guard: rulesOf('measure.extended'), actions: 'extendMeasure' },
    'measure.ended': { guard: rulesOf('measure.ended'), actions: 'endMeasure' },
    'case.closed': { guard: rulesOf('case.closed'), target: toClosed },
  } as const;
  const recordIncident = (reviseThePlan: boolean) => ({
    type: 'recordIncident' as const,
    params: { reviseThePlan },
  });
  const incidentStays = { guard: rulesOf('incident.reported'), actions: recordIncident(false) };
  const enter = (phase: PhaseName) => ({ type: 'enterPhase' as const, params: { phase } });

  const decisionTransitions = (
    type: 'assessment.completed' | 'investigation.completed',
    decisions: readonly Decision[],
  ) =>
    decisions.map((d) => ({
      guard: routed(type, decision(d)),
      target:
        d === 'close' ? toClosed : d === 'investigate' ? '#familyCase.phase.investigation' : toDirectSafety,
      actions: 'recordDecision' as const,
    }));

  const handoverByDecision = (type: 'assessment.completed' | 'investigation.completed') => ({
    guard: routed(type, decision('handover')),
    target: 'handoverPending',
    actions: { type: 'offerHandover' as const, params: { kind: 'team' as const } },
  });

  return m.createMachine({
    id: 'familyCase',
    type: 'parallel',
    context: () => emptyContext(),
    meta: { version },
    on: {
      'measure.expired': { guard: rulesOf('measure.expired'), actions: 'endMeasure' },
      'deadline.missed': { guard: rulesOf('deadline.missed'), actions: 'recordSignal' },
      'stability.reviewDue': { guard: rulesOf('stability.reviewDue'), actions: 'recordSignal' },
      'stagnation.detected': { guard: rulesOf('stagnation.detected'), actions: 'recordSignal' },
    },
    states: {
      phase: {
        initial: 'reported',
        states: {
          reported: {
            entry: enter('reported'),
            on: {
              ...openCaseEvents,
              'incident.reported': incidentStays,
              'assessment.started': {
                guard: rulesOf('assessment.started'),
                target: 'assessment',
                actions: 'startAssessment',
              },
            },
          },
          assessment: {
            entry: enter('assessment'),
            on: {
              ...openCaseEvents,
              'incident.reported': incidentStays,
              'assessment.completed': decisionTransitions('assessment.completed', [
                'close',
                'investigate',
                'conditionsAndFollowUp',
                'handover',
              ]),
            },
          },
          investigation: {
            entry: enter('investigation'),
            on: {
              ...openCaseEvents,
              'incident.reported': incidentStays,
              'investigation.completed': decisionTransitions('investigation.completed', [
                'close',
                'conditionsAndFollowUp',
                'handover',
              ]),
            },
          },
          directSafety: {
            entry: [enter('directSafety'), 'startFollowUp'],
            initial: 'planning',
            on: {
              ...openCaseEvents,
              // Direct safety is re-checked in every phase: here an incident means the plan must be revised.
              'incident.reported': { guard: rulesOf('incident.reported'), actions: recordIncident(true) },
            },
            states: {
              planning: {
                on: {
                  'plan.agreed': {
                    guard: rulesOf('plan.agreed'),
                    target: 'planAgreed',
                    actions: 'recordPlan',
                  },
                },
              },
              planAgreed: {
                on: {
                  'plan.revised': { guard: rulesOf('plan.revised'), actions: 'recordPlan' },
                  'directSafety.achieved': {
                    guard: rulesOf('directSafety.achieved'),
                    target: '#familyCase.phase.stableSafety',
                  },
                },
              },
            },
          },
          stableSafety: {
            entry: enter('stableSafety'),
            on: {
              ...openCaseEvents,
              'incident.reported': [
                {
                  guard: routed('incident.reported', severity('serious')),
                  target: `${toDirectSafety}.planAgreed`,
                  actions: recordIncident(true),
                },
                // A minor incident keeps the phase; the six-month clock restarts from it.
                { guard: routed('incident.reported', severity('minor')), actions: recordIncident(false) },
              ],
              'stability.confirmed': {
                guard: rulesOf('stability.confirmed'),
                target: 'recovery',
                actions: 'confirmStability',
              },
            },
          },
          recovery: {
            entry: enter('recovery'),
            on: {
              ...openCaseEvents,
              'incident.reported': [
                {
                  guard: routed('incident.reported', severity('serious')),
                  target: `${toDirectSafety}.planAgreed`,
                  actions: recordIncident(true),
                },
                {
                  guard: routed('incident.reported', severity('minor')),
                  target: 'stableSafety',
                  actions: recordIncident(false),
                },
              ],
              'recovery.completed': { guard: rulesOf('recovery.completed'), target: 'closed' },
            },
          },
          closed: {
            entry: [enter('closed'), 'closeCase'],
            on: {
              // A repeat report reopens the same family's history (radar function).
              'report.received': {
                guard: rulesOf('report.received'),
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
          vtInvolved: {
            always: { guard: phaseClosed, target: 'ended' },
            on: {
              'assessment.completed': handoverByDecision('assessment.completed'),
              'investigation.completed': handoverByDecision('investigation.completed'),
              'handover.offered': {
                guard: rulesOf('handover.offered'),
                target: 'handoverPending',
                actions: { type: 'offerHandover', params: { kind: 'team' } },
              },
              'monitoring.checkRecorded': {
                guard: rulesOf('monitoring.checkRecorded'),
                actions: 'recordCheck',
              },
            },
          },
          handoverPending: {
            always: { guard: phaseClosed, target: 'ended' },
            on: {
              // A new offer replaces the pending one (e.g. the named director is unavailable).
              'handover.offered': {
                guard: rulesOf('handover.offered'),
                actions: { type: 'offerHandover', params: { kind: 'team' } },
              },
              'handover.accepted': {
                guard: rulesOf('handover.accepted'),
                target: 'monitoring',
                actions: 'acceptHandover',
              },
              'handover.declined': {
                guard: rulesOf('handover.declined'),
                target: 'vtInvolved',
                actions: 'declineHandover',
              },
              'monitoring.checkRecorded': {
                guard: rulesOf('monitoring.checkRecorded'),
                actions: 'recordCheck',
              },
            },
          },
          monitoring: {
            always: { guard: phaseClosed, target: 'ended' },
            on: {
              'handover.offered': {
                guard: rulesOf('handover.offered'),
                actions: { type: 'offerHandover', params: { kind: 'director' } },
              },
              'handover.accepted': { guard: rulesOf('handover.accepted'), actions: 'acceptHandover' },
              'handover.declined': { guard: rulesOf('handover.declined'), actions: 'declineHandover' },
              'monitoring.checkRecorded': {
                guard: rulesOf('monitoring.checkRecorded'),
                actions: 'recordCheck',
              },
              'monitoring.takenBack': {
                guard: rulesOf('monitoring.takenBack'),
                target: 'vtInvolved',
                actions: 'takeBack',
              },
              'monitoring.ended': { guard: rulesOf('monitoring.ended'), target: 'ended' },
            },
          },
          ended: {
            on: {
              // After Veilig Thuis closed its file, directors still hand over among themselves.
              'handover.offered': {
                guard: rulesOf('handover.offered'),
                actions: { type: 'offerHandover', params: { kind: 'director' } },
              },
              'handover.accepted': { guard: rulesOf('handover.accepted'), actions: 'acceptHandover' },
              'handover.declined': { guard: rulesOf('handover.declined'), actions: 'declineHandover' },
              'report.received': {
                guard: and([rulesOf('report.received'), phaseClosed]),
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
                guard: rulesOf('escalation.raised'),
                target: 'escalated',
                actions: 'raiseEscalation',
              },
            },
          },
          escalated: {
            always: { guard: phaseClosed, target: 'none', actions: 'resolveEscalations' },
            on: {
              'escalation.resolved': {
                guard: rulesOf('escalation.resolved'),
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
