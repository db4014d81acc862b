import { statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Provider } from '../../server/db/index.ts';
import { canonicalJson, loadFamily, replay, verify } from '../../server/engine/index.ts';
import { projectionProblems } from '../../tests/support/invariants.ts';
import { fillAccessLog, type AccessLogFill } from '../lib/accessLogFill.ts';
import { freshDb, pgTarget, withPg, type BenchDb } from '../lib/db.ts';
import { generateNational, type GenerateResult } from '../lib/generate.ts';
import { HttpClient } from '../lib/http.ts';
import { startLoadgen } from '../lib/loadgen.ts';
import type { ReadRequest } from '../loadgen.ts';
import { buildWorld, SOUTH_LIMBURG, worldUsers, type World } from '../../simulation/national.ts';
import type { BenchOptions } from '../lib/options.ts';
import { prng } from '../../simulation/rng.ts';
import { sqlPerRequest, startServer, type SqlPerRequest } from '../lib/server.ts';
import { sqlSpread, type SqlSpread } from './transitions.ts';
import { latencies, spread, type LatencySummary, type Spread } from '../lib/stats.ts';
import { BENCH_PASSWORD, createUsers } from '../lib/users.ts';

// National scale: one generated data set per backend (the same families, loaded into both), then
// the list, page and figure queries a region's users make, through HTTP, each repeated in rounds.

export type QueryFigure = {
  name: string;
  description: string;
  p50: Spread;
  p95: Spread;
  /** Per round: the raw summary. */
  rounds: LatencySummary[];
  /** Closed-loop clients that sent the requests at once (absent: one request at a time). */
  clients?: number;
  /** The most requests that were open at once, over the rounds (1 when sent one at a time). */
  inFlight: number;
  /** Server CPU per request (the first round's warm-up not included), per round's median. */
  serverCpuMs?: Spread;
  /** The server's SQL per request (server/db/sqlTime.ts): statements and their time, commits apart. */
  sql?: SqlSpread;
  /**
   * Server CPU outside SQL per request, round by round: on SQLite each round's CPU less that round's
   * statements and its commits' CPU (all on the server's thread), on PostgreSQL all of it (the
   * statements run in the database). The median of the rounds, which the list targets are judged on;
   * the difference of the columns' medians pairs one round's CPU with another round's SQL.
   */
  outsideSqlMs?: Spread;
  /**
   * SQLite, the lists issue 17 costs: each round's server CPU outside SQL ÷ the same round's empty
   * inbox (the rounds of those queries take turns, so a round's ratio sees one speed of the host).
   */
  perInboxOutsideSql?: Spread;
  statuses: Record<string, number>;
  bytes: number;
  /** Server VmHWM (peak RSS) after this query's rounds. */
  peakRssMiB: number;
  /** Set when the server process died during this query (e.g. killed for running out of memory). */
  crashed?: string;
};

export type ScaleBackend = {
  backend: Provider;
  queries: QueryFigure[];
  serverPeakRssMiB: number;
  serverRssAtStartMiB: number;
  databaseMiB: number;
  sample: { verified: number; valid: number; replayed: number; projectionMismatches: number };
  caseload: { directors: number; medianFamilies: number };
  monitoringListSize: number;
  /** The year of access-log rows written before the queries (bench/lib/accessLogFill.ts). */
  accessLog: AccessLogFill;
  /** POST /verifications over every family, with family pages requested while it runs. */
  verifyAll: VerifyAllFigure;
};

export type VerifyAllFigure = {
  families: number;
  broken: number;
  status: string;
  /** From the 202 to the first poll (every 250 ms) that saw it done. */
  ms: number;
  familiesPerSec: number;
  /** Family pages (random South Limburg families, as VT) requested one after another while it ran. */
  pageDuring: LatencySummary | null;
  pageStatuses: Record<string, number>;
};

export type ScaleResult = {
  scale: number;
  world: { families: number; regions: number; municipalities: number; users: number };
  generation: GenerateResult;
  backends: ScaleBackend[];
};

/** What Chromium sends: the web client's requests are compressed (server/http/encoding.ts). */
const BROWSER_ACCEPT_ENCODING = 'gzip, deflate, br, zstd';

const QUERIES = {
  caseload: "a director's caseload: GET /families?director=me (page 1 of 20)",
  monitoring: "VT's monitoring list (South Limburg): GET /monitoring",
  monitoringBrowser: "the same list as a browser asks for it (Accept-Encoding: gzip, deflate, br, zstd; the answer compressed)",
  family: 'a family page: GET /families/{id} (random South Limburg families, as VT)',
  waitingList: "VT's waiting list (South Limburg): GET /families?phase=reported",
  overdue: "VT's overdue families (South Limburg): GET /families?overdue=true (in SQL on the overdueAt column)",
  inbox: "a director's inbox: GET /families?handover=offeredToMe",
  caseloadAt8: "the caseload from 8 clients at once (the concurrency of the transitions' CPU target)",
  monitoringAt8: 'the monitoring list from 8 clients at once',
  inboxAt8: 'the empty inbox from 8 clients at once',
  kpiMunicipality: 'KPIs for one municipality: GET /kpis?municipality=Maastricht (VT South Limburg)',
  kpiCountry: 'KPIs for the whole country: GET /kpis (auditor)',
  kpiMunicipalities: 'waiting time per municipality (South Limburg): GET /kpis/municipalities (VT)',
  kpiMunicipalitiesCountry: 'waiting time per municipality, whole country: GET /kpis/municipalities (auditor)',
  accessLogByName: "access review by a director's name: GET /access-log?username=… (auditor)",
  accessLogUnassigned: "access review, one family's reads by users never assigned: GET /access-log?familyId=…&unassigned=true (auditor)",
  accessLogFamily: "access review, one family's rows: GET /access-log?familyId=… (auditor)",
  accessLogWeek: 'access review, one week of the whole country: GET /access-log?from=…&to=… (auditor, page 1)',
  accessLogUnassignedCountry: 'access review, reads by users never assigned, whole country: GET /access-log?unassigned=true (auditor, page 1)',
} as const;

/**
 * Requests per query and round. `costed`: the lists whose server CPU issue 17 targets (about 1 ms
 * each), and the empty inbox, their floor. Their CPU per request is read over a longer window (and
 * a longer warm-up): over 50 requests one mark-compact of the old generation (10–20 ms) moved the
 * figure by 0.2–0.4 ms (session 13).
 */
function counts(o: BenchOptions) {
  if (o.smoke) return { n: 3, warmup: 1, heavy: 2, costed: 3, costedWarmup: 1 };
  if (o.quick) return { n: 20, warmup: 3, heavy: 5, costed: 100, costedWarmup: 20 };
  return { n: 50, warmup: 5, heavy: 5, costed: 500, costedWarmup: 100 };
}

async function databaseMiB(b: BenchDb): Promise<number> {
  if (b.provider === 'sqlite') {
    let bytes = 0;
    for (const suffix of ['', '-wal']) {
      try {
        bytes += statSync(b.file! + suffix).size;
      } catch {
        // no WAL file
      }
    }
    return bytes / 2 ** 20;
  }
  const { connectionString, schema } = pgTarget(b.url);
  return withPg(connectionString, async (c) => {
    const { rows } = await c.query<{ bytes: string }>(
      `SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0)::text AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'`,
      [schema],
    );
    return Number(rows[0]?.bytes ?? 0) / 2 ** 20;
  });
}

async function measureBackend(o: BenchOptions, w: World, b: BenchDb): Promise<ScaleBackend> {
  const rng = prng(7);
  const sl = w.regions[0]!;
  const db = b.db;
  // Engine reads prove the bulk-loaded histories are real: verify and replay a sample.
  const sampleRows = await db.prisma.family.findMany({ select: { id: true }, orderBy: { id: 'asc' }, take: 5000 });
  const sample = Array.from({ length: Math.min(20, sampleRows.length) }, () => sampleRows[Math.floor(rng.next() * sampleRows.length)]!.id);
  let valid = 0;
  let replayed = 0;
  // …and that the projection the batch path wrote (KPI facts, list columns) is what a fold gives.
  const projectionMismatches = await projectionProblems(db, sample);
  for (const id of sample) {
    if ((await verify(db, id)).valid) valid++;
    // Replayed from the events alone, the family must equal the snapshot the batch path stored.
    const [r, stored] = [await replay(db, id), await loadFamily(db, id)];
    if (r.seq > 0 && stored && canonicalJson(r.snapshot) === canonicalJson(stored.snapshot)) replayed++;
  }
  const slFamilies = (await db.prisma.family.findMany({ where: { region: SOUTH_LIMBURG }, select: { id: true } })).map((f) => f.id);
  const byDirector = await db.prisma.family.groupBy({ by: ['directorId'], where: { directorId: { in: sl.directors } }, _count: { _all: true } });
  const caseloads = byDirector.map((g) => g._count._all).sort((a, b) => a - b);
  const monitoringListSize = await db.prisma.family.count({ where: { region: SOUTH_LIMBURG, oversight: { in: ['monitoring', 'handoverPending'] } } });
  const directors = byDirector.filter((g) => g.directorId).map((g) => g.directorId!).slice(0, 10);

  const perFamily = o.smoke ? 5 : 20;
  const accessLog = await fillAccessLog(db, w, { perFamily });
  o.log(`  scale ${b.provider}: access log filled with ${accessLog.rows} rows (${perFamily} per family over a year) in ${(accessLog.ms / 1000).toFixed(1)} s`);

  const serverOpts = o.cpuProf ? { cpuProfDir: o.cpuProf, heapProf: o.heapProf, profName: `scale-${b.provider}` } : {};
  let server = await startServer(b.url, serverOpts);
  const loadgen = startLoadgen();
  const queries: QueryFigure[] = [];
  let serverRssAtStartMiB = Number.NaN;
  let peak = Number.NaN;
  let verifyAll: VerifyAllFigure | undefined;
  try {
    const names = [sl.vt[0]!, 'auditor-national', ...directors];
    let tokens: string[] = [];
    const signIn = async () => {
      tokens = [];
      for (const name of names) {
        const c = new HttpClient(server.base);
        await c.login(name, BENCH_PASSWORD);
        tokens.push(c.token!);
        c.close();
      }
    };
    await signIn();
    serverRssAtStartMiB = server.rssMiB();
    const vt = 0;
    const auditor = 1;
    const dirTokens = directors.map((_, i) => i + 2);
    const pick = <T>(list: T[], n: number) => Array.from({ length: n }, () => list[Math.floor(rng.next() * list.length)]!);
    const { n, warmup, heavy, costed, costedWarmup } = counts(o);
    // `costed`: the lists issue 17 costs and the empty inbox, their floor (taken in turn, below).
    // The costed lists are read one request at a time and again from 8 clients at once: the transitions'
    // CPU target is set at 8 clients, and at one client a request also pays for waking an idle server
    // (on the same host Node's own server costs about twice as much per request at one client as at 8).
    const dirRequests = dirTokens.map((t) => ({ token: t, path: '/api/v1/families?director=me' }));
    const inboxRequests = dirTokens.map((t) => ({ token: t, path: '/api/v1/families?handover=offeredToMe' }));
    const monitoringRequest = { token: vt, path: '/api/v1/monitoring' };
    // Twice the requests at 8 clients (16 at least): a round's window stays about as long as one client's.
    const at8 = { count: Math.max(16, 2 * costed), warmup: costedWarmup, costed: true, clients: 8 } as const;
    const plan: {
      name: keyof typeof QUERIES;
      requests: ReadRequest[];
      count: number;
      warmup?: number;
      budgetMs?: number;
      costed?: true;
      /** Closed-loop clients at once (default 1). */
      clients?: number;
    }[] = [
      { name: 'caseload', requests: dirRequests, count: costed, warmup: costedWarmup, costed: true },
      { name: 'monitoring', requests: [monitoringRequest], count: costed, warmup: costedWarmup, costed: true },
      {
        name: 'monitoringBrowser',
        requests: [{ ...monitoringRequest, headers: { 'Accept-Encoding': BROWSER_ACCEPT_ENCODING } }],
        count: costed,
        warmup: costedWarmup,
        costed: true,
      },
      { name: 'family', requests: pick(slFamilies, n + warmup).map((id) => ({ token: vt, path: `/api/v1/families/${id}` })), count: n },
      { name: 'waitingList', requests: [{ token: vt, path: '/api/v1/families?phase=reported' }], count: n },
      { name: 'overdue', requests: [{ token: vt, path: '/api/v1/families?overdue=true' }], count: n },
      { name: 'inbox', requests: inboxRequests, count: costed, warmup: costedWarmup, costed: true },
      { name: 'caseloadAt8', requests: dirRequests, ...at8 },
      { name: 'monitoringAt8', requests: [monitoringRequest], ...at8 },
      { name: 'inboxAt8', requests: inboxRequests, ...at8 },
      { name: 'kpiMunicipality', requests: [{ token: vt, path: '/api/v1/kpis?municipality=Maastricht' }], count: n },
      { name: 'kpiCountry', requests: [{ token: auditor, path: '/api/v1/kpis' }], count: heavy, budgetMs: o.smoke ? undefined : 120_000 },
      { name: 'kpiMunicipalities', requests: [{ token: vt, path: '/api/v1/kpis/municipalities' }], count: n },
      { name: 'kpiMunicipalitiesCountry', requests: [{ token: auditor, path: '/api/v1/kpis/municipalities' }], count: heavy, budgetMs: o.smoke ? undefined : 120_000 },
      // The access log holds a year of generated rows (fillAccessLog) besides what this run's reads wrote.
      {
        name: 'accessLogByName',
        requests: directors.slice(0, 5).map((d) => ({ token: auditor, path: `/api/v1/access-log?username=${encodeURIComponent(d)}` })),
        count: n,
      },
      {
        name: 'accessLogUnassigned',
        requests: pick(slFamilies, n + warmup).map((id) => ({ token: auditor, path: `/api/v1/access-log?familyId=${id}&unassigned=true` })),
        count: n,
      },
      {
        name: 'accessLogFamily',
        requests: pick(slFamilies, n + warmup).map((id) => ({ token: auditor, path: `/api/v1/access-log?familyId=${id}` })),
        count: n,
      },
      {
        name: 'accessLogWeek',
        requests: Array.from({ length: 5 }, (_, i) => {
          const to = new Date(w.now - i * 30 * 86_400_000);
          const from = new Date(to.getTime() - 7 * 86_400_000);
          return { token: auditor, path: `/api/v1/access-log?from=${from.toISOString()}&to=${to.toISOString()}` };
        }),
        count: n,
      },
      { name: 'accessLogUnassignedCountry', requests: [{ token: auditor, path: '/api/v1/access-log?unassigned=true' }], count: heavy },
    ];
    type Planned = (typeof plan)[number];
    type Tally = {
      rounds: LatencySummary[];
      cpuRounds: number[];
      sqlRounds: SqlPerRequest[];
      statuses: Record<string, number>;
      bytes: number;
      inFlight: number;
      crashed?: string;
      /** The peak RSS of the server that died, read before it was restarted. */
      peakAtCrashMiB?: number;
    };
    const tallies = new Map<Planned, Tally>();
    const tallyOf = (q: Planned) => {
      let t = tallies.get(q);
      if (!t) tallies.set(q, (t = { rounds: [], cpuRounds: [], sqlRounds: [], statuses: {}, bytes: 0, inFlight: 0 }));
      return t;
    };
    /** One round of one query: its requests (one at a time, or from `clients` at once), the server's CPU and SQL over them. */
    const runRound = async (q: Planned, round: number) => {
      const t = tallyOf(q);
      // Slow queries stop after a minute per round (the country's KPIs after two): a full run stays within hours.
      q.budgetMs ??= o.smoke ? undefined : 60_000;
      // The first round's warm-up takes the first requests of the list, its measured requests the next ones.
      const warmCount = round === 0 ? Math.min(q.warmup ?? warmup, q.count) : 0;
      const job = (count: number, from: number) => ({
        kind: 'reads' as const,
        base: server.base,
        tokens,
        queries: [
          {
            name: q.name,
            requests: q.requests,
            count,
            from,
            ...(q.clients !== undefined ? { clients: q.clients } : {}),
            ...(q.budgetMs !== undefined ? { budgetMs: q.budgetMs } : {}),
          },
        ],
      });
      // The first round's warm-up is a job of its own, before the CPU and SQL are read: a path's first
      // requests pay for compiling it (V8's compiler threads count in the process's CPU).
      if (warmCount > 0) {
        const warm = await loadgen.run(job(warmCount, 0));
        for (const [k, c] of Object.entries(warm.results[0]!.statuses)) t.statuses[k] = (t.statuses[k] ?? 0) + c;
      }
      // With --cpu-prof, one profile per query and round besides the whole process's.
      const window = o.cpuProf
        ? await server.profileWindow(path.join(o.cpuProf, `scale-${b.provider}`, `window-${q.name}-${round + 1}.cpuprofile`))
        : async () => {};
      // The server's own CPU reading (microseconds), taken with the SQL tally.
      const before = await server.usage();
      const r = await loadgen.run(job(q.count, warmCount));
      const res = r.results[0]!;
      const sent = Object.values(res.statuses).reduce((a, c) => a + c, 0);
      if (sent > 0 && !server.exited()) {
        const after = await server.usage();
        t.cpuRounds.push((after.cpuMs - before.cpuMs) / sent);
        t.sqlRounds.push(sqlPerRequest(before.sql, after.sql, sent));
      }
      if (!server.exited()) await window();
      if (res.latenciesMs.length > 0) t.rounds.push(latencies(res.latenciesMs));
      for (const [k, c] of Object.entries(res.statuses)) t.statuses[k] = (t.statuses[k] ?? 0) + c;
      t.bytes = res.bytes;
      t.inFlight = Math.max(t.inFlight, res.inFlight);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const exit = server.exited();
      if (exit) {
        t.crashed = `server exited (code ${exit.code}, signal ${exit.signal}) at peak RSS ${server.peakRssMiB().toFixed(0)} MiB`;
        o.log(`  scale ${b.provider} ${q.name}: ${t.crashed}; restarting it for the remaining queries`);
        t.peakAtCrashMiB = server.peakRssMiB();
        peak = Math.max(Number.isFinite(peak) ? peak : 0, t.peakAtCrashMiB);
        server = await startServer(b.url, serverOpts);
        await signIn();
      }
    };
    /** A round's server CPU outside SQL per request (QueryFigure.outsideSqlMs says how). */
    const outsideOf = (t: Tally, i: number) =>
      b.provider === 'sqlite' ? t.cpuRounds[i]! - t.sqlRounds[i]!.statementMs - t.sqlRounds[i]!.commitCpuMs : t.cpuRounds[i]!;
    const record = (q: Planned): QueryFigure => {
      const t = tallyOf(q);
      const outside = t.cpuRounds.map((_, i) => outsideOf(t, i));
      o.log(
        `  scale ${b.provider} ${q.name}: p50 ${t.rounds.map((r) => r.p50.toFixed(1)).join('/')} ms, p95 ${t.rounds.map((r) => r.p95.toFixed(1)).join('/')} ms, ` +
          `server CPU ${t.cpuRounds.map((c) => c.toFixed(2)).join('/')} ms (SQL ${t.sqlRounds.map((x) => x.statementMs.toFixed(2)).join('/')} ms, ` +
          `outside SQL ${outside.map((c) => c.toFixed(2)).join('/')} ms) per request, ${JSON.stringify(t.statuses)}, peak RSS ${server.peakRssMiB().toFixed(0)} MiB`,
      );
      return {
        ...(t.crashed ? { crashed: t.crashed } : {}),
        name: q.name,
        description: QUERIES[q.name],
        ...(q.clients !== undefined ? { clients: q.clients } : {}),
        p50: spread(t.rounds.map((r) => r.p50)),
        p95: spread(t.rounds.map((r) => r.p95)),
        rounds: t.rounds,
        ...(t.cpuRounds.length > 0 ? { serverCpuMs: spread(t.cpuRounds), sql: sqlSpread(t.sqlRounds), outsideSqlMs: spread(outside) } : {}),
        statuses: t.statuses,
        bytes: t.bytes,
        inFlight: t.inFlight,
        peakRssMiB: t.peakAtCrashMiB ?? server.peakRssMiB(),
      };
    };
    // The lists issue 17 costs, and the empty inbox under them, round by round in turn (forwards,
    // then backwards): the host's speed drifts by a third within minutes (BENCHMARKS.md sessions 13
    // and 18), so figures read minutes apart are not comparable, while one round of each, seconds
    // apart, is. Each round's list ÷ the same round's inbox is reported beside the milliseconds.
    const costedPlan = plan.filter((q) => q.costed && q.requests.length > 0);
    for (let round = 0; round < o.runs && !costedPlan.some((q) => tallyOf(q).crashed); round++) {
      for (const q of round % 2 === 0 ? costedPlan : [...costedPlan].reverse()) await runRound(q, round);
    }
    const costedFigures = new Map(costedPlan.map((q) => [q, record(q)]));
    for (const q of plan) {
      if (q.requests.length === 0) continue;
      const done = costedFigures.get(q);
      if (done) {
        // Each round's figure outside SQL (recorded above) ÷ the same round's inbox, read by as many clients.
        const inboxPlan = costedPlan.find((x) => (x.name === 'inbox' || x.name === 'inboxAt8') && (x.clients ?? 1) === (q.clients ?? 1));
        const own = done.outsideSqlMs?.runs;
        const inbox = inboxPlan && costedFigures.get(inboxPlan)?.outsideSqlMs?.runs;
        if (b.provider === 'sqlite' && own && inbox && inbox.length === own.length && own.length > 0) {
          done.perInboxOutsideSql = spread(own.map((x, i) => x / inbox[i]!));
        }
        queries.push(done);
        continue;
      }
      for (let round = 0; round < o.runs && !tallyOf(q).crashed; round++) await runRound(q, round);
      queries.push(record(q));
    }
    verifyAll = await measureVerifyAll(server.base, tokens[auditor]!, tokens, vt, slFamilies, rng, loadgen);
    o.log(
      `  scale ${b.provider} verify-all: ${verifyAll.families} families in ${(verifyAll.ms / 1000).toFixed(1)} s (${verifyAll.familiesPerSec.toFixed(0)}/s, ${verifyAll.broken} broken, ${verifyAll.status}); ` +
        `family page meanwhile p50 ${verifyAll.pageDuring?.p50.toFixed(1) ?? '–'} ms, p95 ${verifyAll.pageDuring?.p95.toFixed(1) ?? '–'} ms ${JSON.stringify(verifyAll.pageStatuses)}`,
    );
  } finally {
    await loadgen.stop();
    peak = Math.max(Number.isFinite(peak) ? peak : 0, server.peakRssMiB());
    await server.stop();
  }
  return {
    backend: b.provider,
    queries,
    serverPeakRssMiB: peak,
    serverRssAtStartMiB,
    databaseMiB: await databaseMiB(b),
    sample: { verified: sample.length, valid, replayed, projectionMismatches: projectionMismatches.length },
    caseload: { directors: caseloads.length, medianFamilies: caseloads[Math.floor(caseloads.length / 2)] ?? 0 },
    monitoringListSize,
    accessLog,
    verifyAll: verifyAll!,
  };
}

/**
 * Starts the check of every family as the auditor and, until it is done, requests family pages in
 * rounds of 20 from the load generator (its own process), so the pages' latency is what a user sees
 * while the check runs.
 */
async function measureVerifyAll(
  base: string,
  auditorToken: string,
  tokens: string[],
  vt: number,
  families: string[],
  rng: ReturnType<typeof prng>,
  loadgen: ReturnType<typeof startLoadgen>,
): Promise<VerifyAllFigure> {
  const c = new HttpClient(base);
  c.token = auditorToken;
  try {
    const t0 = performance.now();
    const started = await c.post('/api/v1/verifications', {});
    if (started.status !== 202) throw new Error(`POST /verifications answered ${started.status}`);
    const id = (started.body as { id: string }).id;
    type Progress = { status: string; checked: number; total: number; broken: unknown[] };
    let last: Progress | undefined;
    let doneAt = Number.NaN;
    let failure: unknown;
    const poll = (async () => {
      for (;;) {
        const r = await c.get(`/api/v1/verifications/${id}`);
        if (r.status !== 200) throw new Error(`GET /verifications/{id} answered ${r.status}`);
        last = r.body as Progress;
        if (last.status !== 'running') return void (doneAt = performance.now());
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })().catch((e: unknown) => {
      failure = e;
      doneAt = performance.now();
    });
    const pages: number[] = [];
    const pageStatuses: Record<string, number> = {};
    while (Number.isNaN(doneAt)) {
      const ids = Array.from({ length: 20 }, () => families[Math.floor(rng.next() * families.length)]!);
      const r = await loadgen.run({
        kind: 'reads',
        base,
        tokens,
        queries: [{ name: 'familyDuringVerify', requests: ids.map((f) => ({ token: vt, path: `/api/v1/families/${f}` })), count: 20 }],
      });
      const res = r.results[0]!;
      pages.push(...res.latenciesMs);
      for (const [s, n] of Object.entries(res.statuses)) pageStatuses[s] = (pageStatuses[s] ?? 0) + n;
    }
    await poll;
    if (failure) throw failure;
    const ms = doneAt - t0;
    return {
      families: last!.total,
      broken: last!.broken.length,
      status: last!.status,
      ms,
      familiesPerSec: last!.total / (ms / 1000),
      pageDuring: pages.length > 0 ? latencies(pages) : null,
      pageStatuses,
    };
  } finally {
    c.close();
  }
}

export async function scaleSuite(o: BenchOptions): Promise<ScaleResult[]> {
  const world = buildWorld({ scale: o.scale });
  const users = worldUsers(world);
  const dbs: BenchDb[] = [];
  try {
    for (const backend of o.backends) {
      const b = await freshDb(backend, { pgUrl: o.pgUrl, label: 'scale', ...(o.dataDir ? { dir: o.dataDir } : {}) });
      await createUsers(b.db, users);
      dbs.push(b);
    }
    // Small data sets are generated in this thread; large ones in one thread per core.
    const workers = o.workers ?? (world.families < 2_000 ? 0 : Math.max(1, os.cpus().length));
    o.log(`  generating ${world.families} families (${workers} generator threads) into ${o.backends.join(', ')}`);
    const generation = await generateNational(
      world,
      dbs.map((b) => ({ provider: b.provider, url: b.url, ...(b.file ? { file: b.file } : {}) })),
      { workers, log: o.log },
    );
    o.log(`  generated ${generation.families} families, ${generation.events} events in ${(generation.wallMs / 1000).toFixed(1)} s`);
    const backends: ScaleBackend[] = [];
    for (const b of dbs) backends.push(await measureBackend(o, world, b));
    return [
      {
        scale: o.scale,
        world: {
          families: world.families,
          regions: world.regions.length,
          municipalities: world.regions.reduce((s, r) => s + r.municipalities.length, 0),
          users: users.length,
        },
        generation,
        backends,
      },
    ];
  } finally {
    for (const b of dbs) {
      if (o.keepData) {
        await b.db.close();
        o.log(`  scale ${b.provider}: kept at ${b.url}`);
      } else await b.remove();
    }
  }
}
