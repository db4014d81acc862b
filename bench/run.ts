/**
 * `npm run bench [-- suites…] [--quick] [--smoke] [--runs N] [--scale F] [--backends sqlite,postgresql]
 *  [--pg-url URL] [--data-dir DIR] [--workers N] [--cpu-prof DIR [--heap-prof]] [--out FILE] [--keep-data]`
 *
 * Suites: transitions, floor, replay, growth, scale, querybuilder, lighthouse (default: all). Writes the results as JSON (default
 * bench/results/<time>.json) and prints a Markdown summary. See BENCHMARKS.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PG_URL } from './lib/db.ts';
import { load, machineInfo } from './lib/env.ts';
import { SUITES, type BenchOptions, type SuiteName } from './lib/options.ts';

export type { BenchResults };
import { markdown } from './lib/report.ts';
import type { BenchResults } from './lib/results.ts';
import { growthSuite } from './suites/growth.ts';
import { lighthouseSuite } from './suites/lighthouse.ts';
import { floorSuite } from './suites/floor.ts';
import { queryBuilderSuite } from './suites/querybuilder.ts';
import { replaySuite } from './suites/replay.ts';
import { scaleSuite } from './suites/scale.ts';
import { transitionsSuite } from './suites/transitions.ts';
import type { Provider } from '../server/db/index.ts';

export function parseArgs(argv: string[]): Omit<BenchOptions, 'log'> & { out?: string } {
  const suites: SuiteName[] = [];
  const o: Omit<BenchOptions, 'log'> & { out?: string } = {
    suites,
    backends: ['sqlite', 'postgresql'],
    pgUrl: process.env.BENCH_PG_URL ?? DEFAULT_PG_URL,
    runs: 3,
    quick: false,
    smoke: false,
    scale: 1,
  };
  const value = (i: number, flag: string) => {
    const v = argv[i + 1];
    if (v === undefined) throw new Error(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if ((SUITES as readonly string[]).includes(a)) suites.push(a as SuiteName);
    else if (a === '--quick') o.quick = true;
    else if (a === '--smoke') o.smoke = true;
    else if (a === '--runs') o.runs = Number(value(i++, a));
    else if (a === '--scale') {
      const v = value(i++, a);
      o.scale = v.includes('/') ? Number(v.split('/')[0]) / Number(v.split('/')[1]) : Number(v);
    } else if (a === '--backends') o.backends = value(i++, a).split(',').map((b) => (b === 'pg' ? 'postgresql' : b)) as Provider[];
    else if (a === '--pg-url') o.pgUrl = value(i++, a);
    else if (a === '--data-dir') o.dataDir = value(i++, a);
    else if (a === '--cpu-prof') o.cpuProf = path.resolve(value(i++, a));
    else if (a === '--heap-prof') o.heapProf = true;
    else if (a === '--workers') o.workers = Number(value(i++, a));
    else if (a === '--out') o.out = value(i++, a);
    else if (a === '--keep-data') o.keepData = true;
    else throw new Error(`unknown argument ${a}; suites: ${SUITES.join(', ')}`);
  }
  if (suites.length === 0) suites.push(...SUITES);
  if (!(o.runs >= 1)) throw new Error('--runs must be at least 1');
  if (!(o.scale > 0 && o.scale <= 1)) throw new Error('--scale must be in (0, 1]');
  for (const b of o.backends) if (b !== 'sqlite' && b !== 'postgresql') throw new Error(`unknown backend ${b}`);
  if ((o.quick || o.smoke) && !argv.includes('--scale')) o.scale = o.smoke ? 1 / 1000 : 1 / 100;
  if (o.smoke && !argv.includes('--runs')) o.runs = 1;
  if (o.heapProf && !o.cpuProf) throw new Error('--heap-prof samples the windows that --cpu-prof DIR profiles: give --cpu-prof too');
  return o;
}

export async function runBench(
  opts: Omit<BenchOptions, 'log'> & {
    log?: (line: string) => void;
    command?: string;
    /** Called after each suite with what is measured so far (written to disk: a later crash keeps it). */
    onSuite?: (partial: BenchResults) => void;
  },
): Promise<BenchResults> {
  const o: BenchOptions = { ...opts, log: opts.log ?? ((l) => console.log(l)) };
  if (o.cpuProf) mkdirSync(o.cpuProf, { recursive: true });
  const startedAt = new Date().toISOString();
  const before = load();
  const results: BenchResults = {
    startedAt,
    finishedAt: '',
    command: opts.command ?? 'runBench',
    options: { ...opts, log: undefined } as Omit<BenchOptions, 'log'>,
    machine: await machineInfo(o.backends.includes('postgresql') ? o.pgUrl : null),
    load: { before, after: before, perSuite: {} },
  };
  delete (results.options as { log?: unknown }).log;
  for (const suite of o.suites) {
    const b = load();
    o.log(`# ${suite} (load ${b.load1.toFixed(2)} ${b.load5.toFixed(2)} ${b.load15.toFixed(2)})`);
    if (suite === 'transitions') results.transitions = await transitionsSuite(o);
    if (suite === 'floor') results.floor = await floorSuite(o);
    if (suite === 'replay') results.replay = await replaySuite(o);
    if (suite === 'growth') results.growth = await growthSuite(o);
    if (suite === 'scale') results.scale = await scaleSuite(o);
    if (suite === 'querybuilder') results.querybuilder = await queryBuilderSuite(o);
    if (suite === 'lighthouse') results.lighthouse = await lighthouseSuite(o);
    results.load.perSuite[suite] = { before: b, after: load() };
    opts.onSuite?.(results);
  }
  results.load.after = load();
  results.finishedAt = new Date().toISOString();
  return results;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const parsed = parseArgs(argv);
  const command = `npm run bench -- ${argv.join(' ')}`.trim();
  const here = path.dirname(fileURLToPath(import.meta.url));
  let out = parsed.out;
  const write = (r: BenchResults) => {
    out ??= path.join(here, 'results', `${r.startedAt.replace(/[:.]/g, '-')}.json`);
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, JSON.stringify(r, null, 2));
  };
  // After every suite (finishedAt still empty), so that a crash in a later suite loses only that one.
  const results = await runBench({ ...parsed, command, onSuite: write });
  write(results);
  console.log('\n' + markdown(results));
  console.log(`\nresults: ${path.relative(process.cwd(), out ?? '')}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
