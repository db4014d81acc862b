import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { and, not, setup, stateIn, type AnyMachineSnapshot } from 'xstate';
import { eventTypes, systemEventTypes, v1EventTypes, type EventType, type FamilyEvent } from '../schemas/events.ts';
import { addDays, addHours } from './calendar.ts';
import { canTake, compiledForCanTake } from './canTake.ts';
import { caseDirectorOf, getMachine, initialFamily, type PersistedFamily } from './engine.ts';
import { evaluate, everything } from './guards.ts';
import type { Needs } from './rules/rule.ts';
import { commandArb, materialize, visitAcceptedStates, type Command } from './testing/randomHistories.ts';
import { ADMIN, AUDITOR, DIR, DIR2, VT, VT2 } from './testing/testkit.ts';

// `canTake` (the family page's question to the chart) against xstate's own `snapshot.can` over random
// histories of both versions: for every event type, sender and moment, the same answer and the same
// refused rules in the same order (the refusal a professional reads is the first of them), with and
// without the payload, with and without the time.

const withoutPayload: ReadonlySet<Needs> = new Set(['context']);
const nowWithoutPayload: ReadonlySet<Needs> = new Set(['context', 'time']);
const senders = [VT, VT2, DIR, DIR2, AUDITOR, ADMIN];

type Tally = { questions: number; yes: number; refusedWithRule: number };

function compare(m: AnyMachineSnapshot, probe: FamilyEvent, decides: ReadonlySet<Needs>, tally: Tally, label: string) {
  const reference = evaluate(probe, decides, () => m.can(probe));
  const compiled = evaluate(probe, decides, () => canTake(m, probe));
  expect(compiled, label).toEqual(reference);
  tally.questions++;
  if (reference.answer) tally.yes++;
  else if (reference.failures.length > 0) tally.refusedWithRule++;
}

function checkStates(start: PersistedFamily, types: readonly EventType[], commands: readonly Command[], tally: Tally) {
  visitAcceptedStates(start, commands, (s, t, c) => {
    const m = getMachine(s.version).resolveState({ value: s.value, context: s.context });
    const director = caseDirectorOf(s);
    const actors = director ? [...senders, { id: director, role: 'director' as const }] : senders;
    for (const type of types) {
      if ((systemEventTypes as readonly EventType[]).includes(type)) continue;
      for (const actor of actors) {
        for (const [recordedAt, decides] of [
          [t, withoutPayload],
          [addDays(t, 200), nowWithoutPayload],
        ] as const) {
          const probe = { type, payload: {}, actor, recordedAt } as unknown as FamilyEvent;
          compare(m, probe, decides, tally, `${type} by ${actor.id} at ${recordedAt}, ${[...decides].join('+')}`);
        }
      }
    }
    // The next command as a whole event, payload and all, decided on every rule.
    const next = materialize(s, c, addHours(t, 1));
    compare(m, next, everything, tally, `${next.type} with its payload`);
  });
}

describe('canTake against xstate’s can', () => {
  for (const [name, version, types] of [
    ['familyCase@1', 1, v1EventTypes],
    ['familyCase@2', 2, eventTypes],
  ] as const) {
    it(`answers and refuses as xstate does over random histories (${name})`, () => {
      expect(compiledForCanTake(getMachine(version))).toBe(true);
      const tally: Tally = { questions: 0, yes: 0, refusedWithRule: 0 };
      const seed = 20261201 + version;
      fc.assert(
        fc.property(fc.array(commandArb(types), { minLength: 10, maxLength: 60 }), (commands) =>
          checkStates(initialFamily(version), types, commands, tally),
        ),
        { numRuns: 20, seed },
      );
      console.log(`canTake ${name} (seed ${seed}): ${tally.questions} questions, ${tally.yes} allowed, ${tally.refusedWithRule} refused by a rule`);
      expect(tally.yes).toBeGreaterThan(100);
      expect(tally.refusedWithRule).toBeGreaterThan(100);
    });
  }
});

describe('canTake on charts of other shapes', () => {
  const chart = setup({
    types: { context: {} as { n: number }, events: {} as { type: 'go' } | { type: 'stay' } | { type: 'other' } },
    guards: {
      positive: ({ context }) => context.n > 0,
      small: ({ context }) => context.n < 10,
      withParams: (_, params: { min: number }) => params.min > 0,
    },
  });

  it('follows nested states, not(), stateIn() and forbidden transitions as xstate does', () => {
    const machine = chart.createMachine({
      context: { n: 0 },
      type: 'parallel',
      states: {
        a: {
          initial: 'x',
          states: {
            x: { initial: 'deep', states: { deep: { on: { go: { guard: and(['positive', not('small')]), target: 'deeper' } } }, deeper: {} } },
            y: {},
          },
          on: { go: { guard: 'positive', target: '.y' }, stay: {} },
        },
        b: { initial: 'p', states: { p: { on: { other: { guard: stateIn({ a: 'y' }), target: 'q' } } }, q: {} } },
      },
      on: { other: { actions: () => {} } },
    });
    expect(compiledForCanTake(machine)).toBe(true);
    for (const n of [0, 5, 50]) {
      for (const value of [{ a: { x: 'deep' }, b: 'p' }, { a: { x: 'deeper' }, b: 'p' }, { a: 'y', b: 'p' }, { a: 'y', b: 'q' }]) {
        const snapshot = machine.resolveState({ value, context: { n } });
        for (const type of ['go', 'stay', 'other'] as const) {
          expect(canTake(snapshot, { type }), `${type} at n=${n} in ${JSON.stringify(value)}`).toBe(snapshot.can({ type }));
        }
      }
    }
  });

  it('leaves a chart with a guard it cannot compile (params) to xstate', () => {
    const machine = chart.createMachine({
      context: { n: 1 },
      initial: 'a',
      states: { a: { on: { go: { guard: { type: 'withParams', params: { min: 1 } }, target: 'b' } } }, b: {} },
    });
    expect(compiledForCanTake(machine)).toBe(false);
    const snapshot = machine.resolveState({ value: 'a', context: { n: 1 } });
    expect(canTake(snapshot, { type: 'go' })).toBe(true);
  });
});
