import { expect } from 'vitest';
import { createActor, type AnyStateNode, type AnyTransitionDefinition } from 'xstate';
import {
  getAdjacencyMap,
  getShortestPaths,
  getStateNodes,
  type AdjacencyMap,
  type AdjacencyValue,
  type StatePath,
} from 'xstate/graph';
import type { FamilyEvent } from '../../schemas/events.ts';
import { addDays, addMonths, maxInstant } from '../calendar.ts';
import { pendingHandover, type FamilyContext } from '../context.ts';
import type { FamilyContextV2 } from '../contextV2.ts';
import { getMachine, type PersistedFamily } from '../engine.ts';
import { incidentFreeSince } from '../rules/stability.ts';
import { DIR, DIR2, SYSTEM, VT, ev, namedDirector, namedVt, planFor, reportPayload, stabilityFor } from './testkit.ts';

// Test kit: every state and every transition of a familyCase version must be reachable with valid
// envelopes. The event generator builds, for any snapshot, one valid event per type and route (decision,
// severity), so the traversal exercises the guarded transitions instead of bouncing off the guards.

type Machine = ReturnType<typeof getMachine>;
type Snap = ReturnType<Machine['resolveState']>;

function valueOfPath(path: readonly string[]): unknown {
  return path.slice(0, -1).reduceRight<unknown>((inner, key) => ({ [key]: inner }), path.at(-1));
}

const isoPattern = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/g;

function latest(ctx: FamilyContext): string {
  const all = JSON.stringify(ctx).match(isoPattern) ?? [];
  return all.reduce((a, b) => maxInstant(a, b), '2025-01-06T09:00:00.000Z');
}

function actorById(id: string | null) {
  if (id === DIR.id) return DIR;
  if (id === DIR2.id) return DIR2;
  if (id === 'u-vt2') return { id, role: 'vt' as const };
  return VT;
}

/** One valid event per type and route for this snapshot of `version`. */
export function eventsFor(snap: Snap, version: number): FamilyEvent[] {
  const ctx = snap.context;
  const s: PersistedFamily = {
    machine: 'familyCase',
    version,
    value: snap.value as PersistedFamily['value'],
    context: ctx,
  };
  const t = addDays(latest(ctx), 1);
  const director = actorById(ctx.caseDirectorId);
  const pending = pendingHandover(ctx);
  const other = ctx.caseDirectorId === DIR.id ? DIR2 : DIR;
  const condition = ctx.conditions.find((c) => c.status !== 'withdrawn');
  const measure = ctx.measures.find((m) => m.status === 'active');
  const since = incidentFreeSince(ctx) ?? t;
  const stableAt = maxInstant(t, addDays(addMonths(since, 6), 1));
  const decision = (type: 'assessment.completed' | 'investigation.completed', d: string) =>
    ev(
      type,
      {
        decision: d,
        acute: false,
        structural: true,
        conditions: [{ description: 'Voorwaarde', dueAt: addDays(t, 30) }],
        ...(d === 'handover'
          ? { directorId: DIR.id }
          : d === 'conditionsAndFollowUp'
            ? { directorId: 'u-vt2' }
            : {}),
      },
      {
        at: t,
        reason: 'Besluit',
        ...(d === 'handover'
          ? { named: namedDirector(DIR.id) }
          : d === 'conditionsAndFollowUp'
            ? { named: namedVt('u-vt2') }
            : {}),
      },
    );
  const list: FamilyEvent[] = [
    ev('report.received', reportPayload(), { at: t }),
    ev('assessment.started', {}, { at: t }),
    ...['close', 'investigate', 'conditionsAndFollowUp', 'handover'].map((d) =>
      decision('assessment.completed', d),
    ),
    ...['close', 'conditionsAndFollowUp', 'handover'].map((d) => decision('investigation.completed', d)),
    ev(
      'handover.offered',
      { directorId: other.id },
      { at: t, actor: director, reason: 'Overdracht', named: namedDirector(other.id) },
    ),
    ev('plan.agreed', planFor(s), { at: t, actor: director }),
    ev('plan.revised', planFor(s), { at: t, actor: director }),
    ev('directSafety.achieved', {}, { at: t, actor: director, reason: 'Veilig' }),
    ev(
      'incident.reported',
      { occurredAt: t, severity: 'minor', description: 'Ruzie' },
      { at: t, actor: director },
    ),
    ev(
      'incident.reported',
      { occurredAt: t, severity: 'serious', description: 'Geweld' },
      { at: t, actor: director },
    ),
    ev('stability.confirmed', stabilityFor(s), { at: stableAt, actor: director, reason: 'Stabiel' }),
    ev('recovery.completed', {}, { at: t, actor: director, reason: 'Klaar' }),
    ev('case.closed', { reasonCode: 'movedAway' }, { at: t, actor: director, reason: 'Verhuisd' }),
    ev('monitoring.takenBack', {}, { at: t, reason: 'Voorwaarden niet nagekomen' }),
    ev('monitoring.ended', {}, { at: t }),
    ev('escalation.raised', { to: 'MDA++' }, { at: t, reason: 'Stagnatie' }),
    ev('escalation.resolved', {}, { at: t, reason: 'Opgelost' }),
    ev('measure.imposed', { kind: 'huisverbod', startsAt: t, endsAt: addDays(t, 10) }, { at: t }),
    ev('deadline.missed', { kind: 'assessment', ref: 'r1', dueAt: t }, { at: t, actor: SYSTEM }),
    ev('stability.reviewDue', { dueAt: t }, { at: t, actor: SYSTEM }),
    ev('stagnation.detected', { phase: 'any', since: t, dueAt: t }, { at: t, actor: SYSTEM }),
  ];
  if (pending) {
    const receiver = actorById(pending.toId);
    list.push(ev('handover.accepted', {}, { at: t, actor: receiver, reason: 'Akkoord' }));
    list.push(ev('handover.declined', {}, { at: t, actor: receiver, reason: 'Geen capaciteit' }));
  }
  if (condition)
    list.push(
      ev('monitoring.checkRecorded', { results: [{ conditionId: condition.id, met: true }] }, { at: t }),
    );
  if (measure) {
    list.push(
      ev('measure.extended', { measureId: measure.id, endsAt: addDays(measure.startsAt, 28) }, { at: t }),
    );
    list.push(ev('measure.ended', { measureId: measure.id }, { at: t }));
    list.push(ev('measure.expired', { measureId: measure.id }, { at: t, actor: SYSTEM }));
  }
  if (version >= 2) list.push(...eventsV2(s, t, director));
  return list;
}

/** The events familyCase@2 adds. */
function eventsV2(s: PersistedFamily, t: string, director: { id: string; role: 'vt' | 'director' }): FamilyEvent[] {
  const members = s.context.members.map((m) => m.id);
  return [
    ev('triage.recorded', { urgency: 'high' }, { at: t }),
    ev('contact.interim', { with: 'household' }, { at: t }),
    ev('investigation.started', {}, { at: t }),
    ev('reporter.informed', { channel: 'phone' }, { at: t }),
    ev('household.informed', { channel: 'letter' }, { at: t }),
    ev('contact.first', { with: members.slice(0, 1), warm: true }, { at: t, actor: director }),
    ev(
      'conference.held',
      {
        kind: 'mdaPlusPlus',
        heldAt: t,
        participants: [{ professional: 'Wijkagent', organisation: 'Politie', mandate: true }],
        agreements: [{ description: 'Huisbezoek', responsible: 'Wijkteam', dueAt: addDays(t, 14) }],
      },
      { at: t, actor: director },
    ),
    ev('riskFactors.updated', { factors: [{ kind: 'debts', status: 'resolved' }] }, { at: t, actor: director }),
    ...members.slice(0, 1).map((memberId) =>
      ev('trauma.screened', { memberId, outcome: 'noSigns', by: 'GGZ' }, { at: t, actor: director }),
    ),
    ev(
      'recovery.completed',
      { excused: members.map((memberId) => ({ memberId, reason: 'Niet nodig volgens GGZ' })) },
      { at: t, actor: director, reason: 'Klaar' },
    ),
    ev('case.upgraded', { toVersion: 2 }, { at: t, actor: director, reason: 'Nieuwe werkwijze' }),
    // The family's own view: the first adult gets access, the others are shielded from them; a
    // member with access answers the current plan.
    ...members.slice(0, 1).flatMap((memberId) => [
      ev('member-access.granted', { memberId, expiresAt: addDays(t, 14) }, { at: t, actor: director }),
      ev('member-access.revoked', { memberId }, { at: t, actor: director }),
      ev('member.shielded', { memberId, from: members.slice(1) }, { at: t, actor: director }),
    ]),
    ...(s.context.safetyPlan
      ? members.slice(0, 1).map((memberId) =>
          ev('plan.responded', { planVersion: s.context.safetyPlan!.version, response: 'disagree', comment: 'Te snel' }, { at: t, actor: { id: memberId, role: 'member' } }),
        )
      : []),
  ];
}

/** Abstract state: the value plus the context facts that decide which transitions are enabled. */
export function serializeState(snap: Snap): string {
  const ctx = snap.context;
  return JSON.stringify({
    v: snap.value,
    opened: ctx.cycle > 0,
    dir: ctx.caseDirectorId,
    pending: pendingHandover(ctx)?.toId ?? null,
    rev: ctx.planRevisionRequired,
    measure: ctx.measures.some((m) => m.status === 'active'),
    condition: ctx.conditions.some((c) => c.status !== 'withdrawn'),
    ...v2Facts(ctx as FamilyContextV2),
  });
}

/** The v2 facts that enable transitions (absent in a v1 context, so v1's abstract states stay as they were). */
function v2Facts(ctx: FamilyContextV2) {
  if (!('upgrade' in ctx)) return {};
  return {
    up: ctx.upgrade?.at === null,
    owed: ctx.feedback.some((f) => f.householdAt === null || (f.reporterNeeded && f.reporterAt === null)),
    first: ctx.afterHandover?.firstContactAt === null,
    mda: ctx.escalations.some((e) => e.to === 'MDA++' && e.resolvedAt === null),
    access: ctx.familyView?.access.some((a) => a.revokedAt === null) ?? false,
  };
}

function allTransitions(machine: Machine): Map<AnyTransitionDefinition, string> {
  const out = new Map<AnyTransitionDefinition, string>();
  const nodes: AnyStateNode[] = [machine.root, ...getStateNodes(machine.root)];
  for (const node of nodes) {
    for (const [type, defs] of node.transitions)
      defs.forEach((d, i) => out.set(d, `${node.id} on ${type} #${i}`));
    (node.always ?? []).forEach((d, i) => out.set(d, `${node.id} always #${i}`));
  }
  return out;
}


/**
 * Walks the chart of `version` from `start`: shortest paths to every abstract state plus every edge
 * from it, replayed through an actor that records the transitions it takes. Prints the coverage; fails
 * when a state node or a transition (including `always`) is never taken.
 */
export function expectFullCoverage(version: number, start: PersistedFamily): void {
  const machine = getMachine(version);
    const fromState = machine.resolveState({ value: start.value, context: start.context });
  const options = {
    fromState,
    events: (snap: Snap) => eventsFor(snap, version),
    serializeState: (snap: Snap) => serializeState(snap),
    limit: 100_000,
  };
  // Shortest paths reach every (abstract) state; extending each by every event the generator offers
  // there gives one path per edge, which is what exercises targetless and self transitions too.
  const shortest = getShortestPaths(machine, options);
  const adjacency: AdjacencyMap<Snap, FamilyEvent> = getAdjacencyMap(machine, options);
  const byState = new Map(shortest.map((p) => [serializeState(p.state), p]));
  const paths: StatePath<Snap, FamilyEvent>[] = [];
  type Vertex = AdjacencyValue<Snap, FamilyEvent>;
  for (const [key, { state, transitions: edges }] of Object.entries(adjacency) as [string, Vertex][]) {
    const head = byState.get(key);
    if (!head) continue;
    for (const { event, state: next } of Object.values(
      edges,
    ) as Vertex['transitions'][keyof Vertex['transitions']][]) {
      if (next === state) continue; // refused by a guard: nothing to exercise
      paths.push({ state: next, weight: head.weight + 1, steps: [...head.steps, { state: next, event }] });
    }
  }

  const transitions = allTransitions(machine);
  const taken = new Set<AnyTransitionDefinition>();
  const stateNodes = getStateNodes(machine.root);
  const visited = new Set<AnyStateNode>();
  // The active state nodes, through the public API: a node is active when the snapshot matches its path.
  const visit = (snap: Snap) => {
    for (const node of stateNodes) {
      if (node.path.length === 0) visited.add(node);
      else if (snap.matches(valueOfPath(node.path) as never)) visited.add(node);
    }
  };

  for (const path of paths) {
    const actor = createActor(machine, {
      snapshot: fromState,
      inspect: (inspection) => {
        if (inspection.type === '@xstate.microstep') {
          // The inspection API's microstep event lists the transitions it took.
          for (const tr of inspection._transitions) taken.add(tr);
        }
      },
    });
    actor.start();
    visit(actor.getSnapshot());
    for (const step of path.steps) {
      if (step.event.type.startsWith('xstate.')) continue;
      actor.send(step.event);
      visit(actor.getSnapshot());
    }
    // The actor replays the path exactly as the traversal computed it.
    expect(serializeState(actor.getSnapshot())).toBe(serializeState(path.state));
    actor.stop();
  }

  const missingStates = stateNodes.filter((n) => !visited.has(n)).map((n) => n.id);
  const missingTransitions = [...transitions].filter(([t]) => !taken.has(t)).map(([, name]) => name);
  const coveredTransitions = [...transitions.keys()].filter((t) => taken.has(t)).length;
  console.log(
    `familyCase@${version} coverage: abstract states ${shortest.length}, paths ${paths.length}; ` +
      `states ${stateNodes.length - missingStates.length}/${stateNodes.length}; transitions ${coveredTransitions}/${transitions.size}`,
  );
  expect(missingStates).toEqual([]);
  expect(missingTransitions).toEqual([]);
}
