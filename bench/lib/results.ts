// What one `npm run bench` writes (bench/results/*.json) and bench/lib/report.ts summarises; its
// own module so that the runner and the report do not import each other.
import type { FloorResult } from '../suites/floor.ts';
import type { GrowthBackend } from '../suites/growth.ts';
import type { LighthouseResult } from '../suites/lighthouse.ts';
import type { QueryBuilderBackend } from '../suites/querybuilder.ts';
import type { ReplayBackend } from '../suites/replay.ts';
import type { ScaleResult } from '../suites/scale.ts';
import type { TransitionsBackend } from '../suites/transitions.ts';
import type { load, Machine } from './env.ts';
import type { BenchOptions } from './options.ts';

export type BenchResults = {
  startedAt: string;
  finishedAt: string;
  command: string;
  options: Omit<BenchOptions, 'log'>;
  machine: Machine;
  load: { before: ReturnType<typeof load>; after: ReturnType<typeof load>; perSuite: Record<string, { before: ReturnType<typeof load>; after: ReturnType<typeof load> }> };
  transitions?: TransitionsBackend[];
  floor?: FloorResult;
  replay?: ReplayBackend[];
  growth?: GrowthBackend[];
  scale?: ScaleResult[];
  querybuilder?: QueryBuilderBackend[];
  lighthouse?: LighthouseResult;
};
