import path from 'node:path';
import { sampleReport } from '../../simulation/reports.ts';
import type { Provider } from '../../server/db/index.ts';
import { freshDb, pgTarget } from '../lib/db.ts';
import { expectStatus, HttpClient } from '../lib/http.ts';
import { startLoadgen } from '../lib/loadgen.ts';
import { transitionSizes, type BenchOptions } from '../lib/options.ts';
import { rawPgInsert, rawSqliteInsert, readTemplatePg, readTemplateSqlite, type RawResult } from '../lib/raw.ts';
import { gcWindow, sqlPerRequest, startServer, type GcWindow, type SqlPerRequest } from '../lib/server.ts';
import { latencies, spread, type LatencySummary, type Spread } from '../lib/stats.ts';
import { BENCH_PASSWORD, createUsers } from '../lib/users.ts';
import type { FamilyRef } from '../loadgen.ts';

// Durable transitions through HTTP against the raw durable insert of the same rows, per backend,
// at 1, 8 and 32 closed-loop clients. One repetition = a fresh database and server, every level,
// then the raw limit on a fresh database of the same schema: each ratio compares figures of the
// same repetition.

export type LevelRun = {
  clients: number;
  perSec: number;
  latency: LatencySummary;
  statuses: Record<string, number>;
  rawPerSec: number;
  rawP50: number;
  ratio: number;
  /** Server process CPU (user + system) per transition: robust against other load on the machine. */
  serverCpuMs: number;
  /** This process's CPU per raw insert (SQLite: the insert itself; PostgreSQL: the client side only). */
  rawCpuMs: number;
  /** The server's SQL per transition (server/db/sqlTime.ts): statements and their time, commits apart. */
  sql: SqlPerRequest;
  /** The garbage collector's pauses in the window (absent in runs recorded before session 13). */
  gc?: GcWindow;
};

/** A family page (GET /families/{id}) after the transitions, one request at a time, by the same server. */
export type PageRun = { count: number; serverCpuMs: number; p50: number; p99: number; statuses: Record<string, number>; sql: SqlPerRequest };

/** Spreads of the SQL per request over runs. */
export type SqlSpread = { statements: Spread; statementMs: Spread; commitMs: Spread; commitCpuMs: Spread };

export function sqlSpread(rows: readonly SqlPerRequest[]): SqlSpread {
  return {
    statements: spread(rows.map((r) => r.statements)),
    statementMs: spread(rows.map((r) => r.statementMs)),
    commitMs: spread(rows.map((r) => r.commitMs)),
    commitCpuMs: spread(rows.map((r) => r.commitCpuMs)),
  };
}

/** A level's figures over runs. */
export type LevelSpread = {
  clients: number;
  perSec: Spread;
  p50: Spread;
  p99: Spread;
  rawPerSec: Spread;
  rawP50: Spread;
  ratio: Spread;
  serverCpuMs: Spread;
  rawCpuMs: Spread;
  nonOk: number;
  sql?: SqlSpread;
};

export type TransitionsBackend = {
  backend: Provider;
  /** Server CPU ms and latency of a family page, over the families the transitions wrote. */
  page?: { serverCpuMs: Spread; p50: Spread; p99: Spread; nonOk: number; sql?: SqlSpread };
  pageRuns?: PageRun[];
  levels: LevelSpread[];
  runs: LevelRun[][];
  /**
   * The levels of 8 clients and more again, each client asking for `Prefer: return=minimal` where it
   * needs nothing back (bench/loadgen.ts: three events of its cycle of four). Absent before session 16.
   */
  minimal?: LevelSpread[];
  minimalRuns?: LevelRun[][];
};

/** The levels measured again with minimal answers: those of 8 clients and more. */
const minimalLevels = (levels: readonly number[]) => levels.filter((l) => l >= 8);

export function newReport(i: number) {
  return sampleReport(`BENCH-${i}`);
}

async function oneRun(o: BenchOptions, backend: Provider, run: number): Promise<{ levels: LevelRun[]; minimal: LevelRun[]; page: PageRun }> {
  const size = transitionSizes(o);
  const maxClients = Math.max(...size.levels);
  const bdb = await freshDb(backend, { pgUrl: o.pgUrl, label: 'transitions' });
  const out: LevelRun[] = [];
  const minimalOut: LevelRun[] = [];
  const written: FamilyRef[] = [];
  let page: PageRun | undefined;
  try {
    const users = await createUsers(
      bdb.db,
      Array.from({ length: maxClients }, (_, i) => ({ username: `bench-vt-${i + 1}`, roles: ['vt' as const], region: 'zuid-limburg' })),
    );
    const server = await startServer(bdb.url, o.cpuProf ? { cpuProfDir: o.cpuProf, heapProf: o.heapProf, profName: `transitions-${backend}-${run}` } : {});
    const loadgen = startLoadgen();
    // With --cpu-prof, one profile per measured window besides the whole process's.
    const profiled = async (name: string): Promise<() => Promise<void>> =>
      o.cpuProf ? server.profileWindow(path.join(o.cpuProf, `transitions-${backend}-${run}`, `window-${name}.cpuprofile`)) : async () => {};
    try {
      // One after another: the sign-in throttle counts attempts in flight from one address.
      const clients: HttpClient[] = [];
      for (const u of users) {
        const c = new HttpClient(server.base);
        await c.login(u.username, BENCH_PASSWORD);
        clients.push(c);
      }
      let n = 0;
      // First an unmeasured window at the first level: a fresh process compiles its hot paths during its
      // first seconds of requests (V8's compiler threads count in its CPU), which the first measured
      // level (one client) would pay for (session 21: the Express floor's first 3,000 requests cost 0.74 ms
      // each, the next 0.39–0.47).
      const plan = [
        { clients: size.levels[0]!, answer: 'full' as const, warmUp: true },
        ...size.levels.map((clients) => ({ clients, answer: 'full' as const, warmUp: false })),
        ...minimalLevels(size.levels).map((clients) => ({ clients, answer: 'minimal' as const, warmUp: false })),
      ];
      for (const { clients: level, answer, warmUp } of plan) {
        const label = `clients ${level}${answer === 'minimal' ? ', return=minimal' : ''}`;
        // Fresh families per level: each level starts from the same history length.
        const families: FamilyRef[] = [];
        for (let i = 0; i < size.familiesPerLevel; i++) {
          const res = expectStatus(await clients[0]!.post('/api/v1/families', newReport(n++)), 201, 'create family');
          families.push({ id: (res.body as { id: string }).id, version: (res.body as { version: number }).version });
        }
        written.push(...families);
        const job = {
          kind: 'transitions' as const,
          base: server.base,
          warmupMs: size.warmupMs,
          durationMs: warmUp ? Math.min(size.transitionMs, 5_000) : size.transitionMs,
          clients: Array.from({ length: level }, (_, c) => ({
            token: clients[c]!.token!,
            families: families.filter((_, i) => i % level === c),
          })),
          answer,
        };
        if (warmUp) {
          await loadgen.run(job);
          continue;
        }
        const window = await profiled(`clients-${level}${answer === 'minimal' ? '-minimal' : ''}`);
        const before = await server.usage();
        const r = await loadgen.run(job);
        const after = await server.usage();
        const serverCpuMs = (after.cpuMs - before.cpuMs) / Math.max(1, r.total);
        const sql = sqlPerRequest(before.sql, after.sql, r.total);
        const gc = gcWindow(before, after);
        await window();
        (answer === 'minimal' ? minimalOut : out).push({
          clients: level,
          perSec: (r.completed / r.windowMs) * 1000,
          latency: latencies(r.latenciesMs),
          statuses: r.statuses,
          rawPerSec: Number.NaN,
          rawP50: Number.NaN,
          ratio: Number.NaN,
          serverCpuMs,
          rawCpuMs: Number.NaN,
          sql,
          gc,
        });
        o.log(
          `  transitions ${backend} run ${run} ${label}: ${((r.completed / r.windowMs) * 1000).toFixed(1)}/s, server CPU ${serverCpuMs.toFixed(2)} ms per transition, ` +
            `GC ${(gc.share * 100).toFixed(1)} % of the window (${gc.minorCount} scavenges of ${gc.minorMeanMs.toFixed(1)} ms, ${gc.majorCount} major), longest pause ${gc.longestMs.toFixed(1)} ms ${JSON.stringify(r.statuses)}`,
        );
      }
      // A family page: the first client (a VT of the region) opens the families the levels wrote,
      // one request at a time; server CPU per page as for transitions.
      const count = o.smoke ? 100 : o.quick ? 600 : 2_000;
      // 50 pages first, unmeasured: the page's own path compiles during its first requests.
      const pages = written.map((f) => ({ token: 0, path: `/api/v1/families/${f.id}` }));
      const readJob = (n: number, from: number) => ({
        kind: 'reads' as const,
        base: server.base,
        tokens: [clients[0]!.token!],
        queries: [{ name: 'family page', requests: pages, count: n, from }],
      });
      await loadgen.run(readJob(50, 0));
      const window = await profiled('family-page');
      const before = await server.usage();
      const reads = await loadgen.run(readJob(count, 50));
      const after = await server.usage();
      const pageCpuMs = (after.cpuMs - before.cpuMs) / count;
      const pageSql = sqlPerRequest(before.sql, after.sql, count);
      await window();
      const pr = reads.results[0]!;
      const pl = latencies(pr.latenciesMs);
      page = { count, serverCpuMs: pageCpuMs, p50: pl.p50, p99: pl.p99, statuses: pr.statuses, sql: pageSql };
      o.log(
        `  family page ${backend} run ${run}: server CPU ${pageCpuMs.toFixed(2)} ms per page (SQL ${pageSql.statements.toFixed(1)} statements ${pageSql.statementMs.toFixed(3)} ms, commit ${pageSql.commitMs.toFixed(3)} ms of which CPU ${pageSql.commitCpuMs.toFixed(3)} ms), p50 ${pl.p50.toFixed(1)} ms ${JSON.stringify(pr.statuses)}`,
      );
      for (const c of clients) c.close();
    } finally {
      await loadgen.stop();
      await server.stop();
    }

    // The limit, on a fresh database of the same schema, with the rows this run's server wrote.
    const rawDb = await freshDb(backend, { pgUrl: o.pgUrl, label: 'raw' });
    try {
      const window = size.transitionMs;
      if (backend === 'sqlite') {
        const template = readTemplateSqlite(bdb.file!);
        await rawDb.db.close();
        // SQLite has one writer: the limit is one connection's rate, whatever the client count.
        const cpu0 = process.cpuUsage();
        const raw = rawSqliteInsert(rawDb.file!, template, window);
        const cpu = process.cpuUsage(cpu0);
        const rawCpuMs = (cpu.user + cpu.system) / 1000 / Math.max(1, raw.inserts);
        for (const l of [...out, ...minimalOut]) {
          l.rawPerSec = raw.perSec;
          l.ratio = l.perSec / raw.perSec;
          l.rawP50 = latencies(raw.latenciesMs).p50;
          l.rawCpuMs = rawCpuMs;
        }
        o.log(`  raw sqlite insert: ${raw.perSec.toFixed(1)}/s, ${rawCpuMs.toFixed(3)} ms CPU per insert`);
      } else {
        const src = pgTarget(bdb.url);
        const template = await readTemplatePg(src.connectionString, src.schema);
        const dst = pgTarget(rawDb.url);
        const byLevel = new Map<number, RawResult & { cpuMs: number }>();
        for (const level of size.levels) {
          const cpu0 = process.cpuUsage();
          const raw = await rawPgInsert(dst.connectionString, dst.schema, template, level, window);
          const cpu = process.cpuUsage(cpu0);
          byLevel.set(level, { ...raw, cpuMs: (cpu.user + cpu.system) / 1000 / Math.max(1, raw.inserts) });
          o.log(`  raw pg insert x${level}: ${raw.perSec.toFixed(1)}/s`);
        }
        for (const l of [...out, ...minimalOut]) {
          const raw = byLevel.get(l.clients)!;
          l.rawPerSec = raw.perSec;
          l.ratio = l.perSec / raw.perSec;
          l.rawP50 = latencies(raw.latenciesMs).p50;
          l.rawCpuMs = raw.cpuMs;
        }
      }
    } finally {
      await rawDb.remove();
    }
  } finally {
    await bdb.remove();
  }
  return { levels: out, minimal: minimalOut, page: page! };
}

function levelSpread(runs: readonly LevelRun[][], clients: number): LevelSpread {
  const rows = runs.map((r) => r.find((l) => l.clients === clients)!);
  return {
    clients,
    perSec: spread(rows.map((r) => r.perSec)),
    p50: spread(rows.map((r) => r.latency.p50)),
    p99: spread(rows.map((r) => r.latency.p99)),
    rawPerSec: spread(rows.map((r) => r.rawPerSec)),
    rawP50: spread(rows.map((r) => r.rawP50)),
    ratio: spread(rows.map((r) => r.ratio)),
    serverCpuMs: spread(rows.map((r) => r.serverCpuMs)),
    rawCpuMs: spread(rows.map((r) => r.rawCpuMs)),
    sql: sqlSpread(rows.map((r) => r.sql)),
    nonOk: rows.reduce((sum, r) => sum + Object.entries(r.statuses).filter(([s]) => s !== '200').reduce((a, [, v]) => a + v, 0), 0),
  };
}

export async function transitionsSuite(o: BenchOptions): Promise<TransitionsBackend[]> {
  const results: TransitionsBackend[] = [];
  for (const backend of o.backends) {
    const runs: LevelRun[][] = [];
    const minimalRuns: LevelRun[][] = [];
    const pageRuns: PageRun[] = [];
    for (let run = 1; run <= o.runs; run++) {
      const r = await oneRun(o, backend, run);
      runs.push(r.levels);
      minimalRuns.push(r.minimal);
      pageRuns.push(r.page);
    }
    const sizes = transitionSizes(o).levels;
    const levels = sizes.map((clients) => levelSpread(runs, clients));
    const minimal = minimalLevels(sizes).map((clients) => levelSpread(minimalRuns, clients));
    const page = {
      serverCpuMs: spread(pageRuns.map((p) => p.serverCpuMs)),
      p50: spread(pageRuns.map((p) => p.p50)),
      p99: spread(pageRuns.map((p) => p.p99)),
      sql: sqlSpread(pageRuns.map((p) => p.sql)),
      nonOk: pageRuns.reduce((sum, p) => sum + Object.entries(p.statuses).filter(([st]) => st !== '200').reduce((a, [, v]) => a + v, 0), 0),
    };
    results.push({ backend, levels, runs, page, pageRuns, minimal, minimalRuns });
  }
  return results;
}
