import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { v1EventTypes, type FamilyEvent } from '../schemas/events.ts';
import { addHours } from './calendar.ts';
import { familyContextSchema, phaseNames } from './context.ts';
import {
  allowedEvents,
  applyEvent,
  explainRefusal,
  initialFamily,
  replayHistory,
  stateOf,
  type PersistedFamily,
} from './engine.ts';
import { commandArb as commandArb_, materialize, openingCommand, type Command } from './testing/randomHistories.ts';
import { isSystemEvent } from './rules/roles.ts';
import { deadlinesOf, dueTimers, incidentFree, openDeadlinesOf } from './timers.ts';

// Random histories from various actors with increasing times (see randomHistories.ts for how a command
// becomes an event). Invariants are checked after every step.

// familyCase@1's own events (a `case.upgraded` would move the family to v2: familyCaseV2.properties.test.ts).
const commandArb = commandArb_(v1EventTypes);

type Run = { final: PersistedFamily; accepted: FamilyEvent[]; acceptedCount: number; seen: Set<string> };

function checkInvariants(s: PersistedFamily) {
  const { phase, oversight } = stateOf(s);
  const ctx = s.context;
  const top = phase.split('.')[0]!;
  // "1 gezin, 1 regisseur": past the assessment and before closure there is always a director ...
  if (!['reported', 'assessment', 'investigation', 'closed'].includes(top))
    expect(ctx.caseDirectorId).not.toBeNull();
  if (top === 'closed') expect(ctx.caseDirectorId).toBeNull();
  // ... and never two: besides the one director field, at most one pending receiver, never the director.
  const pending = ctx.handovers.filter((h) => h.outcome === 'pending');
  expect(pending.length).toBeLessThanOrEqual(1);
  if (pending[0]) expect(pending[0].toId).not.toBe(ctx.caseDirectorId);
  if (oversight === 'handoverPending') expect(pending[0]?.kind).toBe('team');
  // Recovery only after stable safety was confirmed (at the moment recovery was entered).
  if (top === 'recovery') {
    const entered = ctx.phaseHistory.at(-1)!;
    expect(entered.phase).toBe('recovery');
    expect(ctx.stabilityConfirmations.some((c) => c.recordedAt === entered.at)).toBe(true);
  }
  // Veilig Thuis ends its oversight only after stable safety was confirmed in this cycle, or at closure.
  if (oversight === 'ended' && top !== 'closed') {
    const cycleStart = ctx.reports.find((r) => r.cycle === ctx.cycle)!.recordedAt;
    expect(ctx.stabilityConfirmations.some((c) => Date.parse(c.recordedAt) >= Date.parse(cycleStart))).toBe(
      true,
    );
  }
  if (top === 'closed') expect(oversight).toBe('ended');
  // Plain JSON, and the context schema (the type's single source) describes it.
  const copy = JSON.parse(JSON.stringify(s)) as PersistedFamily;
  expect(copy).toEqual(s);
  expect(familyContextSchema.safeParse(ctx).success).toBe(true);
  // The timers are derived from the open items only; they are exactly the open deadlines of the whole
  // history, and the same whether list facts were carried from earlier snapshots or derived afresh.
  expect(openDeadlinesOf(s)).toEqual(deadlinesOf(s).filter((d) => d.status === 'open'));
  expect(dueTimers(s)).toEqual(dueTimers(copy));
  expect(incidentFree(s, s.context.phaseHistory.at(-1)!.at)).toEqual(
    incidentFree(copy, s.context.phaseHistory.at(-1)!.at),
  );
}

function run(commands: Command[], check: boolean): Run {
  let s = initialFamily(1);
  let t = '2025-01-06T09:00:00.000Z';
  const accepted: FamilyEvent[] = [];
  const seen = new Set<string>();
  // Every case starts with its report, as the server does.
  const first: Command[] = [openingCommand, ...commands];
  for (const c of first) {
    t = addHours(t, c.hours);
    const e = materialize(s, c, t);
    const before = structuredClone(s);
    const result = applyEvent(s, e);
    if (check) {
      expect(s).toEqual(before); // applyEvent never mutates its input
      const explained = explainRefusal(s, e);
      if (result.ok) {
        expect(explained).toBeNull();
        if (!isSystemEvent(e.type)) expect(allowedEvents(s, e.actor)).toContain(e.type);
      } else {
        expect(explained).toEqual(result.refusal);
        expect(result.refusal.message.nl.length).toBeGreaterThan(5);
        expect(result.refusal.message.en.length).toBeGreaterThan(5);
      }
    }
    if (result.ok) {
      s = result.next;
      accepted.push(e);
      const st = stateOf(s);
      seen.add(st.phase.split('.')[0]!).add(`oversight:${st.oversight}`).add(`escalation:${st.escalation}`);
      if (check) checkInvariants(s);
    }
  }
  return { final: s, accepted, acceptedCount: accepted.length, seen };
}

const runs = process.env.STRESS ? 2000 : 100;
const timeout = process.env.STRESS ? 1_800_000 : 120_000;

describe('familyCase@1 properties over random histories', () => {
  it(
    'keeps its invariants after every accepted event',
    () => {
      let total = 0;
      const seen = new Set<string>();
      fc.assert(
        fc.property(fc.array(commandArb, { minLength: 5, maxLength: 80, size: 'max' }), (commands) => {
          const r = run(commands, true);
          total += r.acceptedCount;
          r.seen.forEach((x) => seen.add(x));
        }),
        { numRuns: runs, seed: 20250106 },
      );
      console.log(
        `familyCase@1 properties: ${runs} histories, ${total} accepted events, states seen: ${[...seen].sort().join(' ')}`,
      );
      // Guard against a generator that only produces refusals: the invariants must meet every state.
      expect(total).toBeGreaterThan(runs * 5);
      expect([...seen].sort()).toEqual(
        [
          ...phaseNames,
          'oversight:vtInvolved',
          'oversight:handoverPending',
          'oversight:monitoring',
          'oversight:ended',
          'escalation:none',
          'escalation:escalated',
        ].sort(),
      );
    },
    timeout,
  );

  it(
    'replaying the same events yields a deep-equal state',
    () => {
      fc.assert(
        fc.property(fc.array(commandArb, { minLength: 5, maxLength: 80, size: 'max' }), (commands) => {
          const a = run(commands, false);
          const b = run(commands, false);
          expect(b.final).toEqual(a.final);
          const replayed = replayHistory(a.accepted.map((event) => ({ event, machineVersion: 1 })));
          expect(replayed.ok).toBe(true);
          if (replayed.ok) expect(replayed.snapshot).toEqual(a.final);
        }),
        { numRuns: Math.ceil(runs / 2), seed: 42 },
      );
    },
    timeout,
  );
});
