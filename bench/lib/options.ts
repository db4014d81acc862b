import type { Provider } from '../../server/db/index.ts';

export const SUITES = ['transitions', 'floor', 'replay', 'growth', 'scale', 'querybuilder', 'lighthouse'] as const;
export type SuiteName = (typeof SUITES)[number];

export type BenchOptions = {
  suites: SuiteName[];
  backends: Provider[];
  pgUrl: string;
  /** Repetitions of every measured figure (the report quotes the median and min–max). */
  runs: number;
  /** Short windows and small data: proves the harness, figures only indicative. */
  quick: boolean;
  /** Smallest possible mode, for the smoke test. */
  smoke: boolean;
  /** Fraction of the national data set (130,000 families, ~4 M events). */
  scale: number;
  /** Where large generated databases go (SQLite files); default the OS temp dir. */
  dataDir?: string;
  /** Generator threads for the national data set (default: one per core; 0 = in the main thread). */
  workers?: number;
  /** Keep the scale suite's generated databases (SQLite files, PostgreSQL schemas) after the run, and log where they are. */
  keepData?: boolean;
  /** Write a CPU profile of the server process per suite into this directory. */
  cpuProf?: string;
  /**
   * With cpuProf: also sample the server's allocations in each profiled window (a .heapprofile beside
   * its .cpuprofile, for bench/heapSummary.ts), collected objects included. Slows the window down.
   */
  heapProf?: boolean;
  log: (line: string) => void;
};

export type Sized = { transitionMs: number; warmupMs: number; levels: number[]; familiesPerLevel: number };

export function transitionSizes(o: BenchOptions): Sized {
  if (o.smoke) return { transitionMs: 1_500, warmupMs: 300, levels: [1, 8], familiesPerLevel: 8 };
  if (o.quick) return { transitionMs: 3_000, warmupMs: 500, levels: [1, 8, 32], familiesPerLevel: 64 };
  return { transitionMs: 10_000, warmupMs: 1_000, levels: [1, 8, 32], familiesPerLevel: 64 };
}
