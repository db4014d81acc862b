import { describe, expect, it } from 'vitest';
import type { FamilyEvent } from '../schemas/events.ts';
import { addDays } from './calendar.ts';
import {
  CURRENT_VERSION,
  createEngine,
  getMachine,
  initialFamily,
  machineRegistry,
  type MachineDefinition,
  type MachineRegistry,
  type PersistedFamily,
} from './engine.ts';
import { createFamilyCaseMachine } from './familyCase.machine.ts';
import { legalLimitsV1 } from './limits.ts';
import { DIR, ev, reportPayload, handoverDecision } from './testing/testkit.ts';

// A TEST-ONLY version 2: suppose the legislator lengthens the initial huisverbod to 14 days. The change is
// a new machine version; cases recorded under v1 keep replaying under v1 and continue under v2 only after
// an explicit upgrade at an event boundary.

const limitsV2 = { ...legalLimitsV1, huisverbodInitialDays: 14 };
const v2: MachineDefinition = {
  version: 2,
  machine: createFamilyCaseMachine({ version: 2, limits: limitsV2 }),
  limits: limitsV2,
  // The context shape did not change, so the migration only records the new version.
  migrateFrom: (previous: PersistedFamily) => ({ ...structuredClone(previous), version: 2 }),
};
const registry: MachineRegistry = new Map([...machineRegistry, [2, v2]]);
const engine = createEngine(registry);

const t0 = '2025-03-03T09:00:00.000Z';
const v1History: FamilyEvent[] = [
  ev('report.received', reportPayload(), { at: t0 }),
  ev('assessment.started', {}, { at: addDays(t0, 1) }),
  handoverDecision({ at: addDays(t0, 2) }),
  ev('handover.accepted', {}, { at: addDays(t0, 3), actor: DIR, reason: 'Akkoord' }),
];
const start = addDays(t0, 4);
const fourteenDays = ev(
  'measure.imposed',
  { kind: 'huisverbod', startsAt: start, endsAt: addDays(start, 14) },
  { at: start, actor: DIR },
);

describe('machine versions', () => {
  it('registers familyCase@2 as the current version, with familyCase@1 kept for its histories', () => {
    expect(CURRENT_VERSION).toBe(2);
    expect(getMachine(1)).toBe(machineRegistry.get(1)?.machine);
    expect(getMachine(1).id).toBe('familyCase');
    // New families start on the real familyCase@2; this file's test-only v2 lives in its own registry.
    expect(getMachine(2).config.meta).toEqual({ version: 2 });
    expect(() => getMachine(3)).toThrow(/not registered/);
    expect(getMachine(2, registry)).toBe(v2.machine);
  });

  it('a case recorded under v1 replays under v1, then continues under v2 after an upgrade', () => {
    const recorded = engine.replay(v1History.map((event) => ({ event, machineVersion: 1 })));
    if (!recorded.ok) throw new Error(JSON.stringify(recorded.refusal));
    const v1Snapshot = recorded.snapshot;
    expect(v1Snapshot.version).toBe(1);

    // Under v1 the 14-day order is unlawful ...
    const underV1 = engine.applyEvent(v1Snapshot, fourteenDays);
    expect(underV1.ok).toBe(false);
    if (!underV1.ok) expect(underV1.refusal.guard).toBe('measureWithinLegalLimit');

    // ... the upgrade happens between two events, and v2 accepts it.
    const upgraded = engine.upgrade(v1Snapshot, 2);
    expect(upgraded.version).toBe(2);
    expect(upgraded.context).toEqual(v1Snapshot.context);
    const continued = engine.applyEvent(upgraded, fourteenDays);
    if (!continued.ok) throw new Error(JSON.stringify(continued.refusal));
    expect(continued.next.version).toBe(2);

    // Replaying the full history uses each event's recorded version and reproduces the state exactly.
    const history = [
      ...v1History.map((event) => ({ event, machineVersion: 1 })),
      { event: fourteenDays, machineVersion: 2 },
    ];
    const replayed = engine.replay(history);
    if (!replayed.ok) throw new Error(JSON.stringify(replayed.refusal));
    expect(replayed.snapshot).toEqual(continued.next);
    expect(replayed.states.map((s) => s.version)).toEqual([1, 1, 1, 1, 2]);
  });

  it('replaying an event under another version than it was recorded with gives another outcome', () => {
    const wrong = engine.replay([...v1History, fourteenDays].map((event) => ({ event, machineVersion: 1 })));
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.index).toBe(4);
  });

  it('versions never go back, and an upgrade without a migration is refused', () => {
    const back = engine.replay([
      { event: v1History[0]!, machineVersion: 2 },
      { event: v1History[1]!, machineVersion: 1 },
    ]);
    expect(back.ok).toBe(false);
    if (!back.ok) expect(back.refusal.guard).toBe('versionRegression');
    const noMigration = createEngine(new Map([...machineRegistry, [2, { ...v2, migrateFrom: undefined }]]));
    expect(() => noMigration.upgrade(initialFamily(1), 2)).toThrow(/no migration/);
  });

  it('new cases start under the current version', () => {
    expect(initialFamily().version).toBe(CURRENT_VERSION);
    expect(initialFamily().version).toBe(2);
    expect(initialFamily(1).version).toBe(1);
  });
});
