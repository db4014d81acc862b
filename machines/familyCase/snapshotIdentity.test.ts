import { describe, expect, it } from 'vitest';
import golden from './__fixtures__/goldenHistories.json' with { type: 'json' };
import { goldenPlan, recordHistory, type GoldenRecord } from './__fixtures__/goldenHistories.ts';
import { applyEvent } from './engine.ts';
import { DIR, driveTo, ev, must } from './testing/testkit.ts';
import { addDays } from './calendar.ts';

// The persisted snapshot after each event is covered by the hash chain and compared with replays, so a
// faster machine must produce byte-identical JSON, and the derived timers and deadlines must not move.
// The golden record was taken from the implementation that deep-cloned the context for every action.

/** Freezes what is not frozen yet; a frozen object's subtree already is (children are frozen first). */
function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  for (const child of Object.values(value)) deepFreeze(child);
  Object.freeze(value);
}

const record = golden as GoldenRecord;

describe('snapshots, timers and deadlines are identical to the golden record', () => {
  it('has a record for every planned history', () => {
    expect(record.histories.map((h) => [h.seed, h.commands])).toEqual(
      goldenPlan.map((p) => [p.seed, p.commands]),
    );
  });

  it.each([
    ['short histories', goldenPlan.filter((p) => p.commands < 500)],
    ['long histories', goldenPlan.filter((p) => p.commands >= 500)],
  ] as const)(
    '%s, with every snapshot frozen (an event never writes to an earlier snapshot)',
    (_name, plans) => {
      for (const plan of plans) {
        const expected = record.histories.find((h) => h.seed === plan.seed)!;
        // Freezing makes any write into an object shared with an earlier snapshot throw.
        const actual = recordHistory(plan, ({ after }) => deepFreeze(after));
        const first = actual.steps.findIndex((h, i) => h !== expected.steps[i]);
        expect({ seed: plan.seed, firstDifferentStep: first }).toEqual({
          seed: plan.seed,
          firstDifferentStep: -1,
        });
        expect(actual).toEqual(expected);
      }
    },
    300_000,
  );
});

describe('structural sharing', () => {
  it('copies only what an event changes and leaves the previous snapshot untouched', () => {
    const { s, t } = driveTo('directSafety.planAgreed');
    const before = structuredClone(s);
    const next = must(
      applyEvent(
        s,
        ev(
          'incident.reported',
          { occurredAt: t, severity: 'minor', description: 'Ruzie' },
          { at: t, actor: DIR },
        ),
      ),
    );
    expect(s).toEqual(before);
    expect(next.context.incidents).toHaveLength(s.context.incidents.length + 1);
    expect(next.context.incidents).not.toBe(s.context.incidents);
    // Untouched facts are the previous snapshot's own arrays and objects.
    expect(next.context.checks).toBe(s.context.checks);
    expect(next.context.reports).toBe(s.context.reports);
    expect(next.context.members).toBe(s.context.members);
    expect(next.context.signals).toBe(s.context.signals);
    expect(next.context.safetyPlan).toBe(s.context.safetyPlan);

    const checked = must(
      applyEvent(
        next,
        ev(
          'monitoring.checkRecorded',
          { results: [{ conditionId: next.context.conditions[0]!.id, met: true }] },
          { at: addDays(t, 1) },
        ),
      ),
    );
    expect(checked.context.conditions[0]!.status).toBe('met');
    expect(next.context.conditions[0]!.status).toBe('open');
    expect(checked.context.incidents).toBe(next.context.incidents);
  });
});
