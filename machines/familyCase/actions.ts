import { assign } from 'xstate';
import type { EventType, FamilyEvent, FamilyEventOf } from '../schemas/events.ts';
import { utc } from './calendar.ts';
import { currentPhase, pendingHandover, type FamilyContext, type PhaseName } from './context.ts';
import { Draft } from './draft.ts';
import { measureIndexById, unresolvedEscalationIndices } from './listFacts.ts';
import { incidentFreeSince } from './rules/stability.ts';
import { eventTime } from './rules/time.ts';

// What the chart's transitions record. Every fact comes from the event (its payload, actor and
// timestamps), so replaying a history rebuilds the case. Each action copies only what it changes
// (draft.ts), so an event costs the same at 10 or 10,000 events of history.

type Mutator<P = undefined> = (d: Draft, ev: FamilyEvent, params: P) => void;
/** What a later version does after each of these actions (familyCase@2 keeps only current facts). */
export type Finish = (d: Draft, ev: FamilyEvent) => void;

/** A mutator with its params type, as the chart names it. */
const update = <P = undefined>(fn: Mutator<P>) => fn;

function assignWith<C extends FamilyContext, P>(fn: Mutator<P>, finish?: Finish) {
  return assign<C, FamilyEvent, P, FamilyEvent, never>(({ context, event }, params) => {
    const draft = new Draft(context);
    fn(draft, event, params);
    finish?.(draft, event);
    return draft.done() as C;
  });
}

export function as<T extends EventType>(ev: FamilyEvent, type: T): FamilyEventOf<T> | null {
  return ev.type === type ? (ev as FamilyEventOf<T>) : null;
}

export function decisionEvent(ev: FamilyEvent) {
  return as(ev, 'assessment.completed') ?? as(ev, 'investigation.completed');
}

/** The pending handover is always the last one (an offer cancels the one before it). */
function respondToPending(d: Draft, outcome: 'accepted' | 'declined' | 'cancelled', at: string) {
  const pending = pendingHandover(d.read);
  if (pending) d.edit('handovers', d.c.handovers.length - 1, { outcome, respondedAt: at });
  return pending;
}

/** What each action of the chart records, on a draft of the context. */
export const mutators = {
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
          // Only a condition kept out of the family's view says so: earlier histories replay unchanged.
          ...(cond.visibleToFamily === false ? { visibleToFamily: false } : {}),
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

type Mutators = typeof mutators;
type ParamsOf<M> = M extends Mutator<infer P> ? P : never;
export type ActionsOf<C extends FamilyContext> = {
  [K in keyof Mutators]: ReturnType<typeof assignWith<C, ParamsOf<Mutators[K]>>>;
};

/** The chart's actions over context `C`, each followed by `finish` (a later version's bookkeeping). */
export function actionsFor<C extends FamilyContext>(finish?: Finish): ActionsOf<C> {
  const out = {} as Record<string, unknown>;
  for (const [name, fn] of Object.entries(mutators)) out[name] = assignWith(fn as Mutator<unknown>, finish);
  return out as ActionsOf<C>;
}

export const actions = actionsFor<FamilyContext>();
