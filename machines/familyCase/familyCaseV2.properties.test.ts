import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { v1EventTypes, type FamilyEvent } from '../schemas/events.ts';
import { addHours } from './calendar.ts';
import { familyContextV2Schema } from './contextV2.ts';
import {
  applyEvent,
  createEngine,
  initialFamily,
  machineRegistry,
  replayHistory,
  stateOf,
  type PersistedFamily,
} from './engine.ts';
import { commandArb, materialize, openingCommand, type Command } from './testing/randomHistories.ts';
import { ctxV2 } from './testing/testkitV2.ts';
import { ev } from './testing/testkit.ts';
import { deadlinesOf, openDeadlinesOf } from './timers.ts';

// familyCase@2 over random histories from various actors (testing/randomHistories.ts): invariants after
// every step, the first-contact promise, a snapshot whose size does not grow with the history, v1
// histories that replay byte-identically now that v2 is registered, and v1 families upgraded at any
// point that go on under v2.

type Step = { event: FamilyEvent; machineVersion: number };

function run(start: PersistedFamily, commands: readonly Command[], t0: string, check?: (s: PersistedFamily) => void) {
  let s = start;
  let t = t0;
  const accepted: Step[] = [];
  const sizes: number[] = [];
  for (const c of commands) {
    t = addHours(t, c.hours);
    const result = applyEvent(s, materialize(s, c, t));
    if (!result.ok) continue;
    accepted.push({ event: materialize(s, c, t), machineVersion: result.next.version });
    s = result.next;
    sizes.push(JSON.stringify(s).length);
    check?.(s);
  }
  return { s, t, accepted, sizes };
}

function checkV2(s: PersistedFamily) {
  expect(s.version).toBe(2);
  const ctx = ctxV2(s);
  // Flat and valid: the v2 schema bounds every list.
  const parsed = familyContextV2Schema.safeParse(ctx);
  expect(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues.slice(0, 3))).toBe(true);
  expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  const top = stateOf(s).phase.split('.')[0]!;
  if (!['reported', 'assessment', 'investigation', 'closed'].includes(top)) expect(ctx.caseDirectorId).not.toBeNull();
  if (top === 'closed') expect(ctx.caseDirectorId).toBeNull();
  expect(ctx.handovers.filter((h) => h.outcome === 'pending').length).toBeLessThanOrEqual(1);
  // The open deadlines are the open ones of the display list.
  expect(openDeadlinesOf(s)).toEqual(deadlinesOf(s).filter((d) => d.status === 'open'));
  // A family accepted by a director is never without a due first contact until one is recorded.
  const after = ctx.afterHandover;
  if (after && after.firstContactAt === null && top !== 'closed') {
    const due = openDeadlinesOf(s).some((d) => d.kind === 'firstContact' && d.ref === after.ref);
    const missed = ctx.signals.missed.some((m) => m.kind === 'firstContact' && m.ref === after.ref);
    expect(due || missed).toBe(true);
  }
}

const t0 = '2025-01-06T08:00:00.000Z';
const history = (n: number) => fc.array(commandArb(), { minLength: n, maxLength: n });
/** Histories of familyCase@1's events only, as recorded before v2 existed. */
const v1History = (n: number) => fc.array(commandArb(v1EventTypes), { minLength: n, maxLength: n });

describe('familyCase@2 properties over random histories', () => {
  it('keeps its invariants and the first-contact promise after every accepted event, and replays deterministically', () => {
    fc.assert(
      fc.property(history(60), (commands) => {
        const { s, accepted } = run(initialFamily(2), [openingCommand, ...commands], t0, checkV2);
        const replayed = replayHistory(accepted);
        expect(replayed.ok && JSON.stringify(replayed.snapshot)).toBe(JSON.stringify(s));
      }),
      { numRuns: Number(process.env.STRESS) ? 1000 : 60 },
    );
  }, 300_000);

  it('a snapshot stays the same size over long histories (size after 2,000 events ≤ 3 × size within the first 50)', () => {
    for (const seed of Number(process.env.STRESS) ? [1, 2, 3] : [1]) {
      const [commands] = fc.sample(history(3200), { seed, numRuns: 1 });
      const { sizes } = run(initialFamily(2), [openingCommand, ...commands!], t0);
      expect(sizes.length).toBeGreaterThanOrEqual(2000);
      const early = Math.max(...sizes.slice(0, 50));
      const late = Math.max(...sizes.slice(1950, 2000));
      console.log(`familyCase@2 snapshot size, seed ${seed}: max ${early} B over events 1–50, max ${late} B over events 1951–2000 (×${(late / early).toFixed(2)}), ${sizes.length} events`);
      expect(late).toBeLessThanOrEqual(3 * early);
    }
  }, 300_000);

  it('a v1 history replays byte-identically now that v2 is registered', () => {
    const v1Only = createEngine(new Map([[1, machineRegistry.get(1)!]]));
    fc.assert(
      fc.property(v1History(80), (commands) => {
        const { accepted } = run(initialFamily(1), [openingCommand, ...commands], t0);
        const before = v1Only.replay(accepted);
        const now = replayHistory(accepted);
        expect(before.ok && now.ok).toBe(true);
        if (before.ok && now.ok) expect(now.states.map((x) => JSON.stringify(x))).toEqual(before.states.map((x) => JSON.stringify(x)));
      }),
      { numRuns: 40 },
    );
  }, 300_000);

  it('a v1 family upgraded at any point is valid under v2, goes on, and its mixed history replays', () => {
    fc.assert(
      fc.property(v1History(50), history(50), fc.boolean(), (before, after, asVt) => {
        const v1 = run(initialFamily(1), [openingCommand, ...before], t0);
        const director = v1.s.context.caseDirectorId;
        const actor = director && !asVt ? { id: director, role: director.startsWith('u-vt') ? ('vt' as const) : ('director' as const) } : { id: 'u-vt', role: 'vt' as const };
        const upgrade = ev('case.upgraded', { toVersion: 2 }, { at: addHours(v1.t, 1), actor, reason: 'Nieuwe werkwijze' });
        const moved = applyEvent(v1.s, upgrade);
        if (!moved.ok) {
          // Only someone else than the family's director is refused (who, not the state).
          expect(moved.refusal.kind).toBe('forbidden');
          return;
        }
        expect(stateOf(moved.next).phase.replace('.ongoing', '')).toBe(stateOf(v1.s).phase);
        checkV2(moved.next);
        const v2 = run(moved.next, after, upgrade.recordedAt, checkV2);
        const replayed = replayHistory([...v1.accepted, { event: upgrade, machineVersion: 2 }, ...v2.accepted]);
        expect(replayed.ok && JSON.stringify(replayed.snapshot)).toBe(JSON.stringify(v2.s));
      }),
      { numRuns: 60 },
    );
  }, 300_000);
});
