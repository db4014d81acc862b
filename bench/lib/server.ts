import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SqlKind, SqlTotals } from '../../server/db/sqlTime.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
export const benchDir = path.resolve(here, '..');

export type { SqlTotals };

/**
 * SQL per request between two tallies, in ms: statements (reads and writes) and commits apart, and
 * the CPU the commits took (SQLite: the fsync's kernel work; 0 on PostgreSQL).
 */
export type SqlPerRequest = { statements: number; statementMs: number; commitMs: number; commitCpuMs: number };

export function sqlPerRequest(before: SqlTotals, after: SqlTotals, requests: number): SqlPerRequest {
  const n = Math.max(1, requests);
  const d = (k: SqlKind, f: 'count' | 'seconds') => after[k][f] - before[k][f];
  return {
    statements: (d('read', 'count') + d('write', 'count')) / n,
    statementMs: ((d('read', 'seconds') + d('write', 'seconds')) * 1000) / n,
    commitMs: (d('commit', 'seconds') * 1000) / n,
    commitCpuMs: ((after.commitCpuSeconds - before.commitCpuSeconds) * 1000) / n,
  };
}

/**
 * The server's garbage-collector pauses since it started, by kind (minor: a scavenge of the young
 * generation; major: the rest, mark-compact of the old), and the longest pause since the last reading.
 */
export type GcTotals = { minor: { count: number; ms: number }; major: { count: number; ms: number }; longestMs: number };

/** A reading of the server's counters; `atMs`: when the bench received it (performance.now()). */
export type Usage = { sql: SqlTotals; cpuMs: number; gc: GcTotals; atMs: number };

/** A window's GC pauses: their share of its wall time, how many and how long (minor: scavenges). */
export type GcWindow = { share: number; minorCount: number; minorMeanMs: number; majorCount: number; longestMs: number };

/** The pauses between two readings (the server's longest pause is reset by each reading, so `after`'s is the window's). */
export function gcWindow(before: Usage, after: Usage): GcWindow {
  const minorCount = after.gc.minor.count - before.gc.minor.count;
  const minorMs = after.gc.minor.ms - before.gc.minor.ms;
  const majorMs = after.gc.major.ms - before.gc.major.ms;
  return {
    share: (minorMs + majorMs) / (after.atMs - before.atMs),
    minorCount,
    minorMeanMs: minorCount > 0 ? minorMs / minorCount : 0,
    majorCount: after.gc.major.count - before.gc.major.count,
    longestMs: after.gc.longestMs,
  };
}

export type ServerProcess = {
  base: string;
  pid: number;
  peakRssMiB(): number;
  rssMiB(): number;
  cpuMs(): number;
  /**
   * The server's SQL tally since it started (server/db/sqlTime.ts), with the process's CPU (all
   * threads) read at the same moment by the server itself (process.cpuUsage, in microseconds): for
   * short windows, where cpuMs()'s 10 ms steps would dominate. bench/server.ts only, not the floor.
   */
  usage(): Promise<Usage>;
  /**
   * Profiles the server's CPU from now until the returned function is called, which writes the
   * profile to `file` (a .cpuprofile for bench/profileSummary.ts).
   */
  profileWindow(file: string): Promise<() => Promise<void>>;
  /** How the process ended, when it did on its own (e.g. out of memory); null while it runs. */
  exited(): { code: number | null; signal: string | null } | null;
  stop(): Promise<void>;
};

/**
 * CPU time (user + system, all threads) a process has used, from /proc/<pid>/stat. Unlike wall
 * time it hardly depends on what else runs on the machine: the figure to compare under load.
 */
export function procCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are the 14th and 15th fields.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}

/** USER_HZ: 100 on every Linux the bench runs on (sysconf is not reachable from Node). */
const CLOCK_TICKS = 100;

/** VmHWM (peak resident set) or VmRSS of a process, from /proc: the server's own figure, not the bench's. */
export function procMemMiB(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return m ? Number(m[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Starts a TypeScript entry of bench/ as a separate Node process (tsx loader, IPC channel). */
export function forkTs(entry: string, env: Record<string, string>, opts: { execArgv?: string[] } = {}): ChildProcess {
  return fork(path.join(benchDir, entry), [], {
    execArgv: ['--import', 'tsx', ...(opts.execArgv ?? [])],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
}

export async function startServer(
  databaseUrl: string,
  opts: {
    logLevel?: string;
    cpuProfDir?: string;
    /** With cpuProfDir: sample allocations in each profiled window too (BenchOptions.heapProf). */
    heapProf?: boolean;
    profName?: string;
    clientDir?: string;
    /** Another server entry of bench/ (default server.ts), with extra environment. */
    entry?: string;
    env?: Record<string, string>;
  } = {},
): Promise<ServerProcess> {
  const entry = opts.entry ?? 'server.ts';
  const execArgv = opts.cpuProfDir
    ? ['--cpu-prof', `--cpu-prof-dir=${path.join(opts.cpuProfDir, opts.profName ?? 'server')}`]
    : [];
  const env = { DATABASE_URL: databaseUrl, NODE_ENV: 'production', LOG_LEVEL: opts.logLevel ?? 'info', CLIENT_DIR: opts.clientDir ?? '', ...(opts.heapProf ? { BENCH_HEAP_PROF: '1' } : {}), ...opts.env };
  // Measured as `npm start` runs it: built into JavaScript by scripts/start.mjs, which runs the bundle
  // in its own process, so a CPU profile (--cpu-prof) covers it; bench/profileSummary.ts maps the
  // bundle's frames back to their source files.
  const child = fork(path.join(benchDir, '..', 'scripts', 'start.mjs'), [`bench/${entry}`], {
    // Not the bench's own flags: fork passes them on by default, and the bench runs under tsx,
    // whose loader would then sit in the server's memory too (≈ 150 MiB of its RSS).
    execArgv,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`bench server exited early (${code})`));
    child.once('exit', onExit);
    child.on('message', (m: { kind?: string; port?: number }) => {
      if (m?.kind === 'listening' && typeof m.port === 'number') {
        child.off('exit', onExit);
        resolve(m.port);
      }
    });
  });
  const pid = child.pid!;
  // What `npm start` runs is measured, not the sources under the TypeScript loader.
  if (/node_modules\/tsx\//.test(readFileSync(`/proc/${pid}/maps`, 'utf8'))) {
    child.kill('SIGKILL');
    throw new Error('bench server runs under tsx: its figures would not be those of npm start');
  }
  let exit: { code: number | null; signal: string | null } | null = null;
  child.on('exit', (code, signal) => (exit = { code, signal }));
  // The last figures of a process that died are still wanted: remember them while it lives.
  let lastPeak = Number.NaN;
  const peak = () => {
    const v = procMemMiB(pid, 'VmHWM');
    if (Number.isFinite(v)) lastPeak = v;
    return lastPeak;
  };
  const watch = setInterval(peak, 250);
  watch.unref();
  child.on('exit', () => clearInterval(watch));
  const usage = () =>
    new Promise<Usage>((resolve) => {
      const onMessage = (m: { kind?: string; totals?: SqlTotals; cpuMs?: number; gc?: GcTotals }) => {
        if (m?.kind !== 'sqlTime' || !m.totals || typeof m.cpuMs !== 'number' || !m.gc) return;
        child.off('message', onMessage);
        resolve({ sql: m.totals, cpuMs: m.cpuMs, gc: m.gc, atMs: performance.now() });
      };
      child.on('message', onMessage);
      child.send({ kind: 'sqlTime' });
    });
  return {
    base: `http://127.0.0.1:${port}`,
    pid,
    peakRssMiB: peak,
    exited: () => exit,
    rssMiB: () => procMemMiB(pid, 'VmRSS'),
    cpuMs: () => procCpuMs(pid),
    usage,
    async profileWindow(file: string) {
      const ask = (action: 'start' | 'stop') =>
        new Promise<void>((resolve) => {
          const onMessage = (m: { kind?: string; action?: string }) => {
            if (m?.kind !== 'profiled' || m.action !== action) return;
            child.off('message', onMessage);
            resolve();
          };
          child.on('message', onMessage);
          child.send({ kind: 'profile', action, file });
        });
      await ask('start');
      return () => ask('stop');
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.send({ kind: 'stop' });
      }),
  };
}
