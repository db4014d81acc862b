import { v1EventTypes as eventTypes } from '../../schemas/events.ts';
import { addHours } from '../calendar.ts';
import { allowedEvents, applyEvent, explainRefusal, initialFamily, type PersistedFamily } from '../engine.ts';
import { normsSchema } from '../norms.ts';
import { materialize, openingCommand, whoCount, type Command } from '../testing/randomHistories.ts';
import { DIR, DIR2, VT, VT2 } from '../testing/testkit.ts';
import { deadlinesOf, dueTimers, incidentFree } from '../timers.ts';

// Golden record of what the engine computes over seeded random histories: per step one hash over the
// event's result (the persisted snapshot JSON or the refusal), its explanation, dueTimers under two
// norm sets, deadlinesOf, allowedEvents of four users and incidentFree. goldenHistories.json was
// recorded with the implementation that deep-cloned the context per action and derived every deadline
// of the whole history; the snapshot-identity test recomputes the record and compares it step by step.
//
// Regenerate (only when a change of output is intended, e.g. a new machine version), then format:
//   npx tsx -e "import('./machines/familyCase/__fixtures__/goldenHistories.ts').then(async (m) => (await import('node:fs')).writeFileSync('machines/familyCase/__fixtures__/goldenHistories.json', JSON.stringify(m.recordGolden())))"
//   npx prettier --write machines/familyCase/__fixtures__/goldenHistories.json

export type GoldenHistory = {
  seed: number;
  commands: number;
  accepted: number;
  /** Length of the last snapshot's JSON (a quick sanity figure). */
  finalBytes: number;
  /** One hash per step (the opening report included). */
  steps: string[];
};

export type GoldenRecord = { version: 1; histories: GoldenHistory[] };

/** Norms other than the defaults, so the norm-dependent branches are covered too. */
export const otherNorms = normsSchema.parse({
  assessmentWorkingDays: 2,
  acuteAssessmentHours: 6,
  investigationWeeks: 3,
  handoverAcceptanceWorkingDays: 1,
  monitoringIntervalMonths: 1,
  conditionCheckGraceWorkingDays: 0,
  stabilityReviewMonths: 2,
  stagnationDays: {
    reported: 1,
    assessment: 2,
    investigation: 5,
    directSafety: 7,
    stableSafety: 11,
    recovery: 13,
  },
  holidays: { goodFriday: true, liberationDay: 'lustrum', extra: ['2025-03-03', '2026-06-01'] },
});

/** The history shapes: many short ones, a few long ones (arrays in the thousands, many cycles). */
export const goldenPlan: ReadonlyArray<{ seed: number; commands: number; maxHours: number }> = [
  ...Array.from({ length: 160 }, (_, i) => ({
    seed: 1000 + i,
    commands: 5 + ((i * 37) % 116),
    maxHours: 24 * 45,
  })),
  { seed: 9001, commands: 1500, maxHours: 24 * 10 },
  { seed: 9002, commands: 1500, maxHours: 24 * 45 },
  { seed: 9003, commands: 1200, maxHours: 36 },
];

/** mulberry32: a small seeded PRNG, so the histories do not depend on fast-check's internals. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Commands like the property tests', plus steps of zero hours (ties) and steps back in time (a clock set back). */
export function commandsFor(seed: number, count: number, maxHours: number): Command[] {
  const rnd = prng(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  return Array.from({ length: count }, () => {
    const r = rnd();
    const hours = r < 0.05 ? 0 : r < 0.08 ? -1 - int(72) : 1 + int(maxHours);
    return {
      type: eventTypes[int(eventTypes.length)]!,
      plausible: rnd() < 0.75,
      pick: int(1001),
      who: int(whoCount),
      variant: int(21),
      hours,
    };
  });
}

/** cyrb53: a 53-bit string hash, enough to tell two JSON texts apart. */
export function hash(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

export type StepObserver = (step: { index: number; before: PersistedFamily; after: PersistedFamily }) => void;

/** Runs one history and returns its record; `observe` sees every step (tests check immutability there). */
export function recordHistory(
  plan: { seed: number; commands: number; maxHours: number },
  observe?: StepObserver,
): GoldenHistory {
  let s = initialFamily(1);
  let t = '2025-01-06T09:00:00.000Z';
  let accepted = 0;
  const steps: string[] = [];
  const users = [VT, VT2, DIR, DIR2];
  const commands = [openingCommand, ...commandsFor(plan.seed, plan.commands, plan.maxHours)];
  for (const [index, c] of commands.entries()) {
    t = addHours(t, c.hours);
    const e = materialize(s, c, t);
    const result = applyEvent(s, e);
    const parts = [JSON.stringify(result), JSON.stringify(explainRefusal(s, e))];
    const before = s;
    if (result.ok) {
      s = result.next;
      accepted++;
      parts.push(
        JSON.stringify(dueTimers(s)),
        JSON.stringify(dueTimers(s, otherNorms)),
        JSON.stringify(deadlinesOf(s)),
        JSON.stringify(deadlinesOf(s, otherNorms)),
        JSON.stringify(users.map((u) => allowedEvents(s, u))),
        JSON.stringify(incidentFree(s, t)),
      );
    }
    observe?.({ index, before, after: s });
    steps.push(hash(parts.join('\n')));
  }
  return {
    seed: plan.seed,
    commands: plan.commands,
    accepted,
    finalBytes: JSON.stringify(s).length,
    steps,
  };
}

export function recordGolden(): GoldenRecord {
  return { version: 1, histories: goldenPlan.map((p) => recordHistory(p)) };
}
