import fc from 'fast-check';
import { eventTypes, type EventType, type FamilyEvent } from '../../schemas/events.ts';
import { addHours } from '../calendar.ts';
import { pendingHandover } from '../context.ts';
import type { FamilyContextV2 } from '../contextV2.ts';
import { allowedEvents, applyEvent, type PersistedFamily } from '../engine.ts';
import { isSystemEvent } from '../rules/roles.ts';
import { dueTimers } from '../timers.ts';
import {
  AUDITOR,
  DIR,
  DIR2,
  SYSTEM,
  VT,
  VT2,
  ev,
  namedDirector,
  namedVt,
  planFor,
  reportPayload,
  stabilityFor,
} from './testkit.ts';

// Test support: turns abstract commands into event envelopes for random histories from various actors.
// Most events are plausible (right actor, payload built from the current case), some are wrong on
// purpose, so both acceptance and refusal paths are exercised. Used by the property tests (commands from
// fast-check) and the snapshot-identity golden test (commands from a seeded generator).

export type Command = {
  type: EventType;
  plausible: boolean;
  pick: number;
  who: number;
  variant: number;
  hours: number;
};

const pool = [VT, VT2, DIR, DIR2, AUDITOR, SYSTEM];
const directorEvents = [
  'plan.agreed',
  'plan.revised',
  'directSafety.achieved',
  'stability.confirmed',
  'recovery.completed',
  'case.closed',
  'member-access.granted',
  'member-access.revoked',
  'member.shielded',
];

/** Upper bound (exclusive) of `Command.who`: values from `pool.length` on pick the plausible sender. */
export const whoCount = 10;

/** Commands for fast-check: mostly an event someone may send now, so histories get past the first phases. */
export function commandArb(types: readonly EventType[] = eventTypes): fc.Arbitrary<Command> {
  return fc.record({
    type: fc.constantFrom(...types),
    plausible: fc.nat({ max: 3 }).map((n) => n > 0),
    pick: fc.nat({ max: 1000 }),
    who: fc.nat({ max: whoCount - 1 }),
    variant: fc.nat({ max: 20 }),
    hours: fc.integer({ min: 1, max: 24 * 45 }),
  });
}

function actorFor(s: PersistedFamily, c: Command) {
  if (c.who >= pool.length) {
    // The plausible sender for this event.
    if (isSystemEvent(c.type)) return SYSTEM;
    if (c.type === 'handover.accepted' || c.type === 'handover.declined') {
      const to = pendingHandover(s.context)?.toId;
      return to === DIR2.id ? DIR2 : DIR;
    }
    const director = s.context.caseDirectorId;
    if (directorEvents.includes(c.type) || c.type === 'handover.offered') {
      if (director === DIR.id) return DIR;
      if (director === DIR2.id) return DIR2;
      if (director === VT2.id) return VT2;
    }
    return VT;
  }
  return pool[c.who]!;
}

/** A member with access to the family's view (v2), as the sender of `plan.responded`. */
function memberActor(s: PersistedFamily, variant: number) {
  const access = (s.context as FamilyContextV2).familyView?.access.filter((a) => a.revokedAt === null) ?? [];
  const id = access[variant % Math.max(1, access.length)]?.memberId ?? s.context.members[0]?.id ?? 'm999';
  return { id, role: 'member' as const };
}

/** Types that someone plausible may send now (users by `allowedEvents`, the scheduler by its timers). */
function plausibleTypes(s: PersistedFamily): EventType[] {
  const users = [VT, DIR, DIR2, VT2, memberActor(s, 0)];
  const types = new Set<EventType>(users.flatMap((u) => allowedEvents(s, u)));
  for (const timer of dueTimers(s)) types.add(timer.event.type);
  return eventTypes.filter((t) => types.has(t));
}

export function materialize(s: PersistedFamily, command: Command, t: string): FamilyEvent {
  let c = command;
  if (c.plausible) {
    // Closing, repeat reports and incidents set the route back; keep them rarer so histories also reach recovery.
    const candidates = plausibleTypes(s).filter(
      (type) =>
        c.variant % 4 === 0 ||
        (type !== 'case.closed' && type !== 'report.received' && type !== 'incident.reported'),
    );
    if (candidates.length > 0)
      c = { ...c, type: candidates[c.pick % candidates.length]!, who: Math.max(c.who, pool.length) };
  }
  const actor = actorFor(s, c);
  const v = c.variant;
  const reason = v % 7 === 6 ? undefined : 'Motivering';
  const base = { at: t, actor, ...(reason ? { reason } : {}) };
  const ctx = s.context;
  const memberIds = ctx.members.map((m) => m.id);
  const condition = ctx.conditions.find((x) => x.status !== 'withdrawn')?.id ?? 'c999';
  const measure = ctx.measures.find((m) => m.status === 'active');
  const timerOf = (type: string) => dueTimers(s).filter((x) => x.event.type === type)[v % 3];
  const otherDirector = ctx.caseDirectorId === DIR.id || v % 2 ? DIR2 : DIR;
  switch (c.type) {
    case 'report.received':
      return ev(c.type, reportPayload(undefined, v % 3 === 0), base);
    case 'assessment.started':
    case 'handover.accepted':
    case 'handover.declined':
    case 'directSafety.achieved':
    case 'monitoring.takenBack':
    case 'monitoring.ended':
    case 'escalation.resolved':
      return ev(c.type, {}, base);
    case 'recovery.completed':
      // v2 asks a trauma screening or a reason per member; half of the time every member is excused.
      return ev(
        c.type,
        s.version >= 2 && v % 2 ? { excused: memberIds.map((memberId) => ({ memberId, reason: 'Besproken' })) } : {},
        base,
      );
    case 'assessment.completed':
    case 'investigation.completed': {
      const decision = (['close', 'investigate', 'conditionsAndFollowUp', 'handover'] as const)[v % 4]!;
      const named =
        decision === 'handover' ? namedDirector(otherDirector.id) : v % 5 === 0 ? namedVt(VT2.id) : undefined;
      return ev(
        c.type,
        {
          decision,
          acute: false,
          structural: true,
          ...(named ? { directorId: named.id } : {}),
          conditions: v % 6 === 5 ? [] : [{ description: 'Voorwaarde', dueAt: addHours(t, 24 * 20) }],
        },
        { ...base, ...(named && v % 9 !== 8 ? { named } : {}) },
      );
    }
    case 'handover.offered':
      return ev(
        c.type,
        { directorId: otherDirector.id },
        { ...base, named: v % 8 === 7 ? namedVt(otherDirector.id) : namedDirector(otherDirector.id) },
      );
    case 'plan.agreed':
    case 'plan.revised': {
      const plan = planFor(s);
      return ev(c.type, v % 5 === 4 ? { ...plan, childPerspectives: [] } : plan, base);
    }
    case 'incident.reported':
      return ev(
        c.type,
        {
          occurredAt: addHours(t, -(v % 4) * 5),
          severity: v % 2 ? 'serious' : 'minor',
          description: 'Incident',
        },
        base,
      );
    case 'stability.confirmed':
      return ev(
        c.type,
        v % 6 === 5 ? { ...stabilityFor(s), riskFactorsResolved: false } : stabilityFor(s),
        base,
      );
    case 'case.closed':
      return ev(
        c.type,
        { reasonCode: (['movedAway', 'transferred', 'noGrounds', 'other'] as const)[v % 4] },
        base,
      );
    case 'monitoring.checkRecorded':
      return ev(
        c.type,
        { results: [{ conditionId: v % 4 === 3 ? 'c999' : condition, met: v % 2 === 0 }] },
        base,
      );
    case 'escalation.raised':
      return ev(c.type, { to: (['MDA++', 'ZVH', 'RvdK'] as const)[v % 3] }, base);
    case 'measure.imposed':
      return ev(
        c.type,
        {
          kind: v % 2 ? 'huisverbod' : 'shelter',
          startsAt: t,
          endsAt: addHours(t, 24 * (v % 2 ? 10 + (v % 3 === 0 ? 1 : 0) : 60)),
        },
        base,
      );
    case 'measure.extended':
      return ev(
        c.type,
        { measureId: measure?.id ?? 'x999', endsAt: addHours(measure?.startsAt ?? t, 24 * (20 + v)) },
        base,
      );
    case 'measure.ended':
    case 'measure.expired':
      return ev(c.type, { measureId: measure?.id ?? 'x999' }, base);
    case 'deadline.missed': {
      const timer = timerOf('deadline.missed');
      return ev(c.type, timer?.event.payload ?? { kind: 'assessment', ref: 'r999', dueAt: t }, base);
    }
    case 'stability.reviewDue':
      return ev(c.type, timerOf('stability.reviewDue')?.event.payload ?? { dueAt: t }, base);
    case 'stagnation.detected':
      return ev(
        c.type,
        timerOf('stagnation.detected')?.event.payload ?? { phase: 'reported', since: t, dueAt: t },
        base,
      );
    // familyCase@2
    case 'triage.recorded':
      return ev(c.type, { urgency: (['acute', 'high', 'regular'] as const)[v % 3], instrument: 'lirik' }, base);
    case 'contact.interim':
      return ev(c.type, { with: (['reporter', 'household', 'professional'] as const)[v % 3] }, base);
    case 'investigation.started':
      return ev(c.type, {}, base);
    case 'reporter.informed':
    case 'household.informed':
      return ev(c.type, { channel: (['phone', 'letter', 'secure-mail', 'in-person'] as const)[v % 4] }, base);
    case 'contact.first':
      return ev(c.type, { with: v % 5 === 4 ? ['m999'] : memberIds.slice(0, 1 + (v % 2)), warm: v % 2 === 0 }, base);
    case 'conference.held':
      return ev(
        c.type,
        {
          kind: (['triage', 'mdaPlusPlus', 'actieOverleg', 'netwerkberaad'] as const)[v % 4],
          heldAt: t,
          participants: [
            ...memberIds.slice(0, 1).map((memberId) => ({ memberId })),
            { professional: 'Wijkagent', organisation: 'Politie', mandate: v % 3 !== 0 },
          ],
          agreements: [{ description: 'Huisbezoek', responsible: 'Wijkteam', ...(v % 2 ? { dueAt: addHours(t, 24 * 14) } : {}) }],
          ...(v % 3 === 1 ? { nextAt: addHours(t, 24 * 42) } : {}),
        },
        base,
      );
    case 'riskFactors.updated':
      return ev(
        c.type,
        {
          factors: (['debts', 'addiction', 'housing'] as const)
            .slice(0, 1 + (v % 3))
            .map((kind, i) => ({ kind, status: (['present', 'reduced', 'resolved'] as const)[(v + i) % 3] })),
        },
        base,
      );
    case 'trauma.screened':
      return ev(
        c.type,
        {
          memberId: memberIds[v % Math.max(1, memberIds.length)] ?? 'm999',
          outcome: (['noSigns', 'referred', 'inTreatment'] as const)[v % 3],
          by: 'GGZ',
        },
        base,
      );
    case 'case.upgraded':
      return ev(c.type, { toVersion: 2 }, base);
    // familyCase@2, the family's own view
    case 'member-access.granted':
      return ev(c.type, { memberId: memberIds[v % Math.max(1, memberIds.length)] ?? 'm999', expiresAt: addHours(t, v % 9 === 8 ? -1 : 24 * 14) }, base);
    case 'member-access.revoked':
      return ev(c.type, { memberId: memberIds[v % Math.max(1, memberIds.length)] ?? 'm999' }, base);
    case 'member.shielded':
      return ev(c.type, { memberId: memberIds[v % Math.max(1, memberIds.length)] ?? 'm999', from: memberIds.slice(0, v % 3) }, base);
    case 'plan.responded':
      return ev(
        c.type,
        {
          planVersion: (ctx.safetyPlan?.version ?? 1) + (v % 6 === 5 ? 1 : 0),
          response: v % 2 ? 'agree' : 'disagree',
          ...(v % 3 ? { comment: 'Dat lukt ons niet elke dag.' } : {}),
        },
        { ...base, actor: c.who >= pool.length ? memberActor(s, v) : actor },
      );
  }
}

/** The first command of every history: the report that opens the case, as the server does. */
export const openingCommand: Command = {
  type: 'report.received',
  plausible: false,
  pick: 0,
  who: 0,
  variant: 1,
  hours: 0,
};

/**
 * Plays the opening report and then `commands` from `start` (at 2025-01-06 08:00 UTC, each command its
 * hours later), calling `visit` with every state an event was accepted into, its time and the command.
 */
export function visitAcceptedStates(
  start: PersistedFamily,
  commands: readonly Command[],
  visit: (s: PersistedFamily, t: string, command: Command) => void,
): void {
  let s = start;
  let t = '2025-01-06T08:00:00.000Z';
  for (const c of [openingCommand, ...commands]) {
    t = addHours(t, c.hours);
    const result = applyEvent(s, materialize(s, c, t));
    if (!result.ok) continue;
    s = result.next;
    visit(s, t, c);
  }
}
