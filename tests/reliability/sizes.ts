// Workload sizes: bounded by default so that CI stays quick on a 2-core machine, large with STRESS=1
// (`npm run test:stress`). Every suite reads its numbers from here, so RELIABILITY.md can name them.

export const STRESS = process.env.STRESS === '1' || process.env.STRESS === 'true';

const pick = <T>(ci: T, stress: T): T => (STRESS ? stress : ci);

/**
 * FUZZ_RUNS=n: the fuzz suites run n request cases per backend (split over their seeds) instead of
 * their CI or STRESS size, e.g. `FUZZ_RUNS=10000` for the 10,000-case run of issue 11.
 */
function fuzzRunsFromEnv(): number | undefined {
  const raw = process.env.FUZZ_RUNS;
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`FUZZ_RUNS must be a positive integer, not ${JSON.stringify(raw)}`);
  return n;
}
const FUZZ_RUNS = fuzzRunsFromEnv();

/** A fuzz property's run count per backend: FUZZ_RUNS when set, else its CI size (ten times that with STRESS). */
export function fuzzRuns(ci: number): number {
  return FUZZ_RUNS ?? pick(ci, ci * 10);
}

/** The time limit of a fuzz test running `runs` cases. */
export function fuzzTimeout(runs: number): number {
  // About 100 ms per case on the 2-core machine under load: a generous bound, never a measurement.
  return Math.max(pick(300_000, 3_600_000), runs * 1_000);
}

export const sizes = {
  races: { parallel: 50, rounds: pick(10, 100) },
  soak: { clients: pick(4, 20), transitionsPerClient: pick(100, 1_000), families: pick(8, 40) },
  crash: { kills: pick(5, 50), writers: pick(4, 8), families: pick(6, 12) },
  twoServers: { parallel: 50, rounds: pick(5, 30), families: pick(12, 60) },
  hostile: { runs: fuzzRuns(1_000) },
  backup: { writers: pick(3, 8), families: pick(6, 30), transitionsPerWriter: pick(40, 400) },
} as const;

/** Per-test time limits grow with the sizes; a hung server fails the test instead of stalling CI. */
export const timeouts = {
  races: pick(180_000, 1_800_000),
  soak: pick(300_000, 3_600_000),
  crash: pick(300_000, 3_600_000),
  twoServers: pick(180_000, 1_800_000),
  hostile: fuzzTimeout(fuzzRuns(1_000)),
  backup: pick(180_000, 1_800_000),
} as const;
