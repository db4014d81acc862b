import { v2TimerKinds, type TimerKind } from '../schemas/events.ts';
import { addDays, addWorkingDays, maxInstant, utc } from './calendar.ts';
import { currentPhase } from './context.ts';
import type { FamilyContextV2 } from './contextV2.ts';
import { normsAt, type Norms } from './norms.ts';

// familyCase@2's durable timers, derived like v1's (timers.ts) from the context and the norms in force
// when each started: interim contact while waiting, feedback after decisions, first contact and the
// first plan after a handover, conference agreements and the next conference. A missed one fires
// `deadline.missed` with its kind. Only open ones exist: answered ones leave the context (contextV2.ts).

export type OpenDeadlineV2 = { kind: TimerKind; ref: string; dueAt: string; status: 'open' };

type Missed = (kind: TimerKind, ref: string, dueAt: string) => boolean;

const workingDaysAfter = (at: string, norms: Norms, days: (n: Norms) => number) => {
  const n = normsAt(norms, at);
  return addWorkingDays(at, days(n), n.holidays);
};

/**
 * Interim contact while the family waits: due N working days after it entered the waiting list or the
 * latest interim contact; once missed, again N working days after the missed date.
 */
export function interimContactDue(ctx: FamilyContextV2, norms: Norms): { ref: string; dueAt: string } | null {
  const entry = ctx.phaseHistory.at(-1);
  if (!entry || entry.phase !== 'reported') return null;
  let anchor = ctx.interimContactAt ? maxInstant(entry.at, ctx.interimContactAt) : entry.at;
  const missed = ctx.signals.missed.filter((s) => s.kind === 'interimContact').at(-1);
  if (missed && Date.parse(missed.dueAt) > Date.parse(anchor)) anchor = missed.dueAt;
  return { ref: `interim:${utc(anchor)}`, dueAt: workingDaysAfter(anchor, norms, (n) => n.interimContactWorkingDays) };
}

/** The v2 deadlines that are open now (not met, not yet fired as missed). */
export function openDeadlinesV2(ctx: FamilyContextV2, norms: Norms, missed: Missed): OpenDeadlineV2[] {
  const out: OpenDeadlineV2[] = [];
  const open = (kind: TimerKind, ref: string, dueAt: string) => {
    if (!missed(kind, ref, dueAt)) out.push({ kind, ref, dueAt, status: 'open' });
  };
  const interim = interimContactDue(ctx, norms);
  if (interim) open('interimContact', interim.ref, interim.dueAt);
  for (const f of ctx.feedback) {
    const dueAt = workingDaysAfter(f.at, norms, (n) => n.feedbackWorkingDays);
    if (f.reporterNeeded && f.reporterAt === null) open('reporterFeedback', f.ref, dueAt);
    if (f.householdAt === null) open('householdFeedback', f.ref, dueAt);
  }
  const closed = currentPhase(ctx) === 'closed';
  const after = ctx.afterHandover;
  if (after && !closed) {
    if (after.firstContactAt === null)
      open('firstContact', after.ref, workingDaysAfter(after.acceptedAt, norms, (n) => n.firstContactWorkingDays));
    if (after.firstPlanAt === null)
      open('firstPlan', after.ref, addDays(after.acceptedAt, normsAt(norms, after.acceptedAt).firstPlanWeeks * 7));
  }
  const conference = ctx.conference;
  if (conference && !closed) {
    for (const a of conference.agreements) if (a.dueAt) open('conferenceAgreement', a.id, a.dueAt);
    if (conference.nextAt) open('nextConference', conference.id, conference.nextAt);
  }
  return out;
}

/** The missed v2 deadlines still in the context (for display next to v1's `deadlinesOf`). */
export function missedDeadlinesV2(ctx: FamilyContextV2) {
  const v2Kinds: readonly TimerKind[] = v2TimerKinds;
  return ctx.signals.missed
    .filter((s) => v2Kinds.includes(s.kind))
    .map((s) => ({ kind: s.kind, ref: s.ref, dueAt: s.dueAt, status: 'missed' as const }));
}
