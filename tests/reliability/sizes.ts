// Workload sizes: bounded by default so that CI stays quick on a 2-core machine, large with STRESS=1
// (`npm run test:stress`). Every suite reads its numbers from here, so RELIABILITY.md can name them.

export const STRESS = process.env.STRESS === '1' || process.env.STRESS === 'true';

const pick = <T>(ci: T, stress: T): T => (STRESS ? stress : ci);

export const sizes = {
  races: { parallel: 50, rounds: pick(10, 100) },
  soak: { clients: pick(4, 20), transitionsPerClient: pick(100, 1_000), families: pick(8, 40) },
  crash: { kills: pick(5, 50), writers: pick(4, 8), families: pick(6, 12) },
  twoServers: { parallel: 50, rounds: pick(5, 30), families: pick(12, 60) },
  hostile: { runs: pick(1_000, 10_000) },
  backup: { writers: pick(3, 8), families: pick(6, 30), transitionsPerWriter: pick(40, 400) },
} as const;

/** Per-test time limits grow with the sizes; a hung server fails the test instead of stalling CI. */
export const timeouts = {
  races: pick(180_000, 1_800_000),
  soak: pick(300_000, 3_600_000),
  crash: pick(300_000, 3_600_000),
  twoServers: pick(180_000, 1_800_000),
  hostile: pick(300_000, 3_600_000),
  backup: pick(180_000, 1_800_000),
} as const;
