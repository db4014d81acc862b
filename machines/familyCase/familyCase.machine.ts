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
import {
  carryListFacts,
  measureIndexById,
  unresolvedEscalationIndices,
  type ListChange,
} from './listFacts.ts';
import { eventTime, incidentFreeSince, ruleChains, rules, type LegalLimits, type RuleName } from './rules.ts';

// The familyCase statechart. Pure: no delays, no invoked actors, no wall clock. Every fact it records
// comes from the event (its payload, actor and timestamps), so replaying a history rebuilds the case.

type ListKey = {
  [K in keyof FamilyContext]: FamilyContext[K] extends unknown[] ? K : never;
}[keyof FamilyContext];
type ItemOf<K extends ListKey> = FamilyContext[K][number];
type SignalKey = keyof FamilyContext['signals'];

/** Read-only at every depth: what an action shares with the previous snapshot. */
type Shared<T> = T extends readonly (infer E)[]
  ? readonly Shared<E>[]
  : T extends object
    ? { readonly [K in keyof T]: Shared<T[K]> }
    : T;

/**
 * The context one action builds. The previous snapshot stays untouched and shares everything the action
 * does not change, so the action copies exactly what it changes: the top-level object (its scalar fields
 * are written directly), each list it appends to or edits (once), each item it edits. Copying the whole
 * context instead made every event cost as much as the history was long.
 */
class Draft {
  /**
   * Scalars are this draft's own (written directly), objects are replaced whole; lists and everything
   * in them are shared (read-only) and change only through `push` and `edit`, which report each change
   * to the list facts.
   */
  readonly c: { -readonly [K in Exclude<keyof FamilyContext, ListKey>]: Shared<FamilyContext[K]> } & {
    readonly [K in ListKey]: Shared<FamilyContext[K]>;
  };
  private readonly base: FamilyContext;
  private readonly changes = new Map<ListKey, ListChange<unknown>[]>();

  constructor(base: FamilyContext) {
    this.base = base;
    this.c = { ...base };
  }

  /** The context as the pure readers (rules, context.ts) take it. */
  get read(): FamilyContext {
    return this.c as FamilyContext;
  }

  private list<K extends ListKey>(key: K): { items: ItemOf<K>[]; changes: ListChange<unknown>[] } {
    let changes = this.changes.get(key);
    if (!changes) {
      this.changes.set(key, (changes = []));
      (this.c as FamilyContext)[key] = [...this.base[key]] as never;
    }
    return { items: this.c[key] as ItemOf<K>[], changes };
  }

  push<K extends ListKey>(key: K, ...added: ItemOf<K>[]): void {
    const { items, changes } = this.list(key);
    for (const after of added) {
      changes.push({ index: items.length, before: undefined, after });
      items.push(after);
    }
  }

  /** Replaces item `index` of a list by a copy with `patch` applied (keys keep their places). */
  edit<K extends ListKey>(key: K, index: number, patch: Partial<ItemOf<K>>): void {
    const { items, changes } = this.list(key);
    const before = items[index];
    if (before === undefined) return;
    const after = { ...(before as object), ...patch } as ItemOf<K>;
    changes.push({ index, before, after });
    items[index] = after;
  }

  pushSignal<K extends SignalKey>(key: K, item: FamilyContext['signals'][K][number]): void {
    this.c.signals = { ...this.c.signals, [key]: [...this.c.signals[key], item] };
  }

  newId(prefix: string): string {
    const id = `${prefix}${this.c.nextId}`;
    this.c.nextId += 1;
    return id;
  }

  done(): FamilyContext {
    for (const [key, changes] of this.changes) carryListFacts(this.base[key], this.c[key], changes);
    return this.c as FamilyContext;
  }
}

type Mutator<P = undefined> = (d: Draft, ev: FamilyEvent, params: P) => void;

function update<P = undefined>(fn: Mutator<P>) {
  return assign<FamilyContext, FamilyEvent, P, FamilyEvent, never>(({ context, event }, params) => {
    const draft = new Draft(context);
    fn(draft, event, params);
    return draft.done();
  });
}

function as<T extends EventType>(ev: FamilyEvent, type: T): FamilyEventOf<T> | null {
  return ev.type === type ? (ev as FamilyEventOf<T>) : null;
}

function decisionEvent(ev: FamilyEvent) {
  return as(ev, 'assessment.completed') ?? as(ev, 'investigation.completed');
}

/** The pending handover is always the last one (an offer cancels the one before it). */
function respondToPending(d: Draft, outcome: 'accepted' | 'declined' | 'cancelled', at: string) {
  const pending = pendingHandover(d.read);
  if (pending) d.edit('handovers', d.c.handovers.length - 1, { outcome, respondedAt: at });
  return pending;
}

const actions = {
  enterPhase: update<{ phase: PhaseName }>((d, ev, { phase }) => {
    // Starting an actor without a snapshot enters `reported` with xstate's init event: no case yet, no time.
    if (typeof (ev as { recordedAt?: unknown }).recordedAt !== 'string') return;
    d.push('phaseHistory', { phase, at: utc(ev.recordedAt) });
  }),
  recordReport: update((d, ev) => {
    const e = as(ev, 'report.received');
    if (!e) return;
    const phase = currentPhase(d.read);
    const opening = d.c.cycle === 0 || phase === 'closed';
    if (opening) d.c.cycle += 1;
    const at = utc(ev.recordedAt);
    for (const m of e.payload.members) d.push('members', { id: d.newId('m'), ...m, addedAt: at });
    d.push('reports', {
      id: d.newId('r'),
      cycle: d.c.cycle,
      source: e.payload.source,
      acute: e.payload.acute,
      summary: e.payload.summary,
      violenceForms: e.payload.violenceForms,
      receivedAt: utc(e.payload.receivedAt ?? eventTime(e)),
      recordedAt: at,
      intake: opening || phase === 'reported' || phase === 'assessment',
    });
    // The very first report opens the waiting list; a reopening enters `reported` by its entry action.
    if (d.c.phaseHistory.length === 0) d.push('phaseHistory', { phase: 'reported', at });
  }),
  startAssessment: update((d, ev) => {
    d.push('assessmentsStarted', { cycle: d.c.cycle, at: utc(ev.recordedAt), by: ev.actor.id });
  }),
  recordDecision: update((d, ev) => {
    const e = decisionEvent(ev);
    if (!e) return;
    const p = e.payload;
    const at = utc(ev.recordedAt);
    d.push('decisions', {
      id: d.newId('d'),
      cycle: d.c.cycle,
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
        d.push('conditions', {
          id: d.newId('c'),
          cycle: d.c.cycle,
          description: cond.description,
          dueAt: cond.dueAt ? utc(cond.dueAt) : null,
          status: 'open',
          setAt: at,
          lastCheckedAt: null,
          lastResult: null,
        });
      }
      // Handover: the deciding VT worker stays director until the named director accepts.
      d.c.caseDirectorId =
        p.decision === 'conditionsAndFollowUp' ? (p.directorId ?? ev.actor.id) : ev.actor.id;
    }
  }),
  offerHandover: update<{ kind: 'team' | 'director' }>((d, ev, { kind }) => {
    const at = utc(ev.recordedAt);
    let toId: string | undefined;
    const offered = as(ev, 'handover.offered');
    if (offered) toId = offered.payload.directorId;
    else toId = decisionEvent(ev)?.payload.directorId;
    if (!toId) return;
    respondToPending(d, 'cancelled', at);
    d.push('handovers', {
      id: d.newId('h'),
      kind,
      fromId: d.c.caseDirectorId,
      toId,
      offeredBy: ev.actor.id,
      offeredAt: at,
      outcome: 'pending',
      respondedAt: null,
    });
  }),
  acceptHandover: update((d, ev) => {
    const at = utc(ev.recordedAt);
    const pending = respondToPending(d, 'accepted', at);
    if (!pending) return;
    d.c.caseDirectorId = pending.toId;
    if (pending.kind === 'team') d.push('followUpStarts', at);
  }),
  declineHandover: update((d, ev) => {
    respondToPending(d, 'declined', utc(ev.recordedAt));
  }),
  recordPlan: update((d, ev) => {
    const e = as(ev, 'plan.agreed') ?? as(ev, 'plan.revised');
    if (!e) return;
    const at = utc(ev.recordedAt);
    const previous = d.c.safetyPlan;
    d.c.safetyPlan = {
      version: (previous?.version ?? 0) + 1,
      agreedAt: e.type === 'plan.agreed' || !previous ? at : previous.agreedAt,
      revisedAt: e.type === 'plan.revised' ? at : null,
      agreements: e.payload.agreements.map((a) => ({ id: d.newId('a'), ...a })),
      participants: e.payload.participants,
      childPerspectives: e.payload.childPerspectives,
    };
    d.c.planRevisionRequired = false;
  }),
  recordIncident: update<{ reviseThePlan: boolean }>((d, ev, { reviseThePlan }) => {
    const e = as(ev, 'incident.reported');
    if (!e) return;
    d.push('incidents', {
      id: d.newId('i'),
      occurredAt: utc(e.payload.occurredAt),
      recordedAt: utc(ev.recordedAt),
      severity: e.payload.severity,
      description: e.payload.description,
      phase: currentPhase(d.read),
    });
    if (reviseThePlan) d.c.planRevisionRequired = true;
  }),
  confirmStability: update((d, ev) => {
    const e = as(ev, 'stability.confirmed');
    if (!e) return;
    d.push('stabilityConfirmations', {
      id: d.newId('s'),
      at: utc(eventTime(e)),
      recordedAt: utc(ev.recordedAt),
      since: incidentFreeSince(d.read) ?? utc(ev.recordedAt),
      participants: e.payload.participants,
      professionals: e.payload.professionals,
    });
  }),
  startFollowUp: update((d, ev) => {
    d.push('followUpStarts', utc(ev.recordedAt));
  }),
  closeCase: update((d, ev) => {
    const at = utc(ev.recordedAt);
    const closed = as(ev, 'case.closed');
    d.push('closures', {
      cycle: d.c.cycle,
      at,
      by: ev.actor.id,
      reasonCode: closed
        ? closed.payload.reasonCode
        : ev.type === 'recovery.completed'
          ? 'recoveryCompleted'
          : 'decision',
    });
    // A closed case has no director and no pending handover; its open conditions lapse with it.
    respondToPending(d, 'cancelled', at);
    d.c.caseDirectorId = null;
    d.c.planRevisionRequired = false;
    d.c.conditions.forEach((cond, i) => {
      if (cond.status === 'open') d.edit('conditions', i, { status: 'withdrawn' });
    });
  }),
  recordCheck: update((d, ev) => {
    const e = as(ev, 'monitoring.checkRecorded');
    if (!e) return;
    const at = utc(ev.recordedAt);
    d.push('checks', {
      id: d.newId('k'),
      recordedAt: at,
      by: ev.actor.id,
      results: e.payload.results,
      notes: e.payload.notes ?? null,
    });
    for (const r of e.payload.results) {
      const i = d.c.conditions.findIndex((x) => x.id === r.conditionId);
      if (i < 0) continue;
      d.edit('conditions', i, { lastCheckedAt: at, lastResult: r.met, status: r.met ? 'met' : 'open' });
    }
  }),
  takeBack: update((d, ev) => {
    const at = utc(ev.recordedAt);
    respondToPending(d, 'cancelled', at);
    d.c.caseDirectorId = ev.actor.id;
    d.push('followUpStarts', at);
  }),
  raiseEscalation: update((d, ev) => {
    const e = as(ev, 'escalation.raised');
    if (!e) return;
    d.push('escalations', {
      id: d.newId('e'),
      to: e.payload.to,
      raisedAt: utc(ev.recordedAt),
      raisedBy: ev.actor.id,
      reason: ev.reason ?? null,
      resolvedAt: null,
    });
  }),
  resolveEscalations: update((d, ev) => {
    const at = utc(ev.recordedAt);
    for (const i of unresolvedEscalationIndices(d.c.escalations))
      d.edit('escalations', i, { resolvedAt: at });
  }),
  imposeMeasure: update((d, ev) => {
    const e = as(ev, 'measure.imposed');
    if (!e) return;
    const endsAt = utc(e.payload.endsAt);
    d.push('measures', {
      id: d.newId('x'),
      kind: e.payload.kind,
      startsAt: utc(e.payload.startsAt),
      endsAt,
      initialEndsAt: endsAt,
      extensions: [],
      status: 'active',
      endedAt: null,
    });
  }),
  extendMeasure: update((d, ev) => {
    const e = as(ev, 'measure.extended');
    if (!e) return;
    const i = measureIndexById(d.read.measures, e.payload.measureId);
    const m = d.c.measures[i];
    if (!m) return;
    const endsAt = utc(e.payload.endsAt);
    d.edit('measures', i, {
      endsAt,
      extensions: [...m.extensions, { endsAt, recordedAt: utc(ev.recordedAt) }],
    });
  }),
  endMeasure: update((d, ev) => {
    const e = as(ev, 'measure.ended') ?? as(ev, 'measure.expired');
    if (!e) return;
    const i = measureIndexById(d.read.measures, e.payload.measureId);
    if (!d.c.measures[i]) return;
    d.edit('measures', i, {
      status: e.type === 'measure.ended' ? 'ended' : 'expired',
      endedAt: utc(ev.recordedAt),
    });
  }),
  recordSignal: update((d, ev) => {
    const recordedAt = utc(ev.recordedAt);
    if (ev.type === 'deadline.missed')
      d.pushSignal('missed', { ...ev.payload, dueAt: utc(ev.payload.dueAt), recordedAt });
    if (ev.type === 'stability.reviewDue')
      d.pushSignal('reviewsDue', { dueAt: utc(ev.payload.dueAt), recordedAt });
    if (ev.type === 'stagnation.detected') {
      d.pushSignal('stagnation', {
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
