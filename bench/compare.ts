/**
 * `npx tsx bench/compare.ts DIR_A DIR_B [--windows N] [--clients N] [--seconds S] [--answer-a|--answer-b full|minimal] [--backend sqlite|postgresql]`
 * `npx tsx bench/compare.ts DIR_A DIR_B --list DB_FILE [--path P] [--user NAME] [--requests N] [--windows N] [--accept-encoding VALUE]`
 *
 * Two checkouts of this project (say, `git worktree add ../base REV` beside the working tree) compared
 * in short windows that alternate A, B, B, A, … on one host, each server running throughout on a
 * database of its own. The host's speed drifts by a third within the hour (BENCHMARKS.md, session 13);
 * one full run after another cannot tell 5 % apart, while a pair of windows seconds apart sees the
 * same host. Reported: each arm's server CPU per request and p99 per window, and the median of the
 * ratios B ÷ A over adjacent pairs; for a list also its CPU outside SQL (less its statements and the
 * commits' CPU, as the scale suite reports it), the figure issue 17's list targets are judged on: a
 * list's access-log rows (one per family shown, 50 on the monitoring list's page) take most of its CPU,
 * so its own code hardly moves the total.
 *
 * Transitions (the default): SQLite (`--backend postgresql [--pg-url URL]`: each arm in a schema of its
 * own), `--clients` closed-loop clients; each window drives fresh families
 * (the same events from the same step, as the transitions suite does). `--answer-b minimal` makes B's
 * clients ask for `Prefer: return=minimal` (bench/loadgen.ts says where); DIR_A and DIR_B may then be
 * the same checkout.
 *
 * A list (`--list`): each arm reads its own copy of a SQLite database the scale suite kept (`npm run
 * bench -- scale --data-dir DIR --keep-data`), one request at a time, `--requests` per window (500),
 * signed in as `--user` (South Limburg's first VT worker) on `--path` (the monitoring list); with
 * `--accept-encoding` (say `'gzip, deflate, br, zstd'`, a browser's), both arms' requests send it.
 *
 * Each server is started by its own checkout's bench/lib/server.ts (its `npm start` build of its own
 * sources); the checkout needs its node_modules (a symlink to this one's will do) and its generated
 * Prisma client (server/db/generated).
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULT_PG_URL, freshDb } from './lib/db.ts';
import { expectStatus, HttpClient } from './lib/http.ts';
import { startLoadgen } from './lib/loadgen.ts';
import { sqlPerRequest, type startServer as StartServer } from './lib/server.ts';
import { latencies } from './lib/stats.ts';
import { BENCH_PASSWORD, createUsers } from './lib/users.ts';
import type { FamilyRef } from './loadgen.ts';
import { newReport } from './suites/transitions.ts';

type Arm = {
  name: string;
  answer: 'full' | 'minimal';
  server: Awaited<ReturnType<typeof StartServer>>;
  clients: HttpClient[];
  made: number;
  remove: () => Promise<void>;
};
/** outsideSqlMs: a list's CPU per request less its SQL statements and the commits' CPU (as the scale suite reports it); null for transitions. */
type Window = { arm: number; cpuMs: number; outsideSqlMs: number | null; p99: number; perSec: number; nonOk: number };

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : process.argv[i + 1]!;
}

const dirs = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !all[i - 1]?.startsWith('--'));
if (dirs.length !== 2) throw new Error('usage: npx tsx bench/compare.ts DIR_A DIR_B [--windows N] [--clients N] [--seconds S] [--list DB_FILE …]');
const windows = Number(option('--windows', '12'));
const listDb = option('--list', '');
const clientCount = listDb ? 1 : Number(option('--clients', '8'));
const seconds = Number(option('--seconds', '4'));
const listPath = option('--path', '/api/v1/monitoring');
const listUser = option('--user', 'vt-zuid-limburg-1');
const requestsPerWindow = Number(option('--requests', '500'));
/** A list: the Accept-Encoding both arms' requests send (none by default). */
const acceptEncoding = option('--accept-encoding', '');
const familiesPerWindow = 64;
/** Transitions: the backend of both arms' databases (`--backend postgresql`, at `--pg-url`). */
const backend = option('--backend', 'sqlite') as 'sqlite' | 'postgresql';
if (backend !== 'sqlite' && backend !== 'postgresql') throw new Error(`--backend: sqlite or postgresql, not ${String(backend)}`);
const pgUrl = option('--pg-url', DEFAULT_PG_URL);
/** Transitions: the answer each arm asks for (`--answer-b minimal`: B sends `Prefer: return=minimal`). */
const answers = [option('--answer-a', 'full'), option('--answer-b', 'full')] as ('full' | 'minimal')[];
for (const a of answers) if (a !== 'full' && a !== 'minimal') throw new Error(`--answer-a/--answer-b: full or minimal, not ${a}`);
const what = listDb ? `GET ${listPath}` : 'transition';

async function serverOf(dir: string) {
  return (await import(pathToFileURL(path.resolve(dir, 'bench/lib/server.ts')).href)) as { startServer: typeof StartServer };
}

/** A server of the checkout on a fresh database with one VT worker per client (transitions). */
async function transitionsArm(dir: string, answer: Arm['answer']): Promise<Arm> {
  const lib = await serverOf(dir);
  const db = await freshDb(backend, { pgUrl, label: 'compare' });
  await createUsers(
    db.db,
    Array.from({ length: clientCount }, (_, i) => ({ username: `bench-vt-${i + 1}`, roles: ['vt' as const], region: 'zuid-limburg' })),
  );
  const server = await lib.startServer(db.url);
  const clients = await signedIn(server.base, (i) => `bench-vt-${i + 1}`);
  const name = path.basename(path.resolve(dir)) + (answer === 'minimal' ? ' (return=minimal)' : '');
  return { name, answer, server, clients, made: 0, remove: db.remove };
}

/** A server of the checkout on its own copy of a kept database (lists). */
async function listArm(dir: string, answer: Arm['answer']): Promise<Arm> {
  const lib = await serverOf(dir);
  const copy = mkdtempSync(path.join(path.dirname(path.resolve(listDb)), 'compare-'));
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(listDb + suffix)) copyFileSync(listDb + suffix, path.join(copy, `bench.db${suffix}`));
  }
  const server = await lib.startServer(`file:${path.join(copy, 'bench.db')}`);
  const clients = await signedIn(server.base, () => listUser);
  return {
    name: path.basename(path.resolve(dir)),
    answer,
    server,
    clients,
    made: 0,
    remove: async () => rmSync(copy, { recursive: true, force: true }),
  };
}

async function signedIn(base: string, username: (i: number) => string): Promise<HttpClient[]> {
  const clients: HttpClient[] = [];
  for (let i = 0; i < clientCount; i++) {
    const c = new HttpClient(base);
    await c.login(username(i), BENCH_PASSWORD);
    clients.push(c);
  }
  return clients;
}

const startArm = listDb ? listArm : transitionsArm;
const arms = [await startArm(dirs[0]!, answers[0]!), await startArm(dirs[1]!, answers[1]!)];
const loadgen = startLoadgen();
const results: Window[] = [];

/** One window of transitions on fresh families: requests sent, latencies, completed per second, statuses. */
async function transitionsWindow(arm: Arm) {
  const families: FamilyRef[] = [];
  for (let i = 0; i < familiesPerWindow; i++) {
    const res = expectStatus(await arm.clients[0]!.post('/api/v1/families', newReport(arm.made++)), 201, 'create family');
    families.push({ id: (res.body as { id: string }).id, version: (res.body as { version: number }).version });
  }
  const cpu0 = arm.server.cpuMs();
  const r = await loadgen.run({
    kind: 'transitions',
    base: arm.server.base,
    warmupMs: 500,
    durationMs: seconds * 1000,
    clients: arm.clients.map((c, i) => ({ token: c.token!, families: families.filter((_, k) => k % clientCount === i) })),
    answer: arm.answer,
  });
  return { cpuMs: arm.server.cpuMs() - cpu0, sqlMs: null, sent: r.total, latenciesMs: r.latenciesMs, perSec: (r.completed / r.windowMs) * 1000, statuses: r.statuses };
}

/** One window of the list read one request at a time. */
async function listWindow(arm: Arm) {
  const u0 = await arm.server.usage();
  const t0 = performance.now();
  const r = await loadgen.run({
    kind: 'reads',
    base: arm.server.base,
    tokens: [arm.clients[0]!.token!],
    queries: [
      {
        name: 'list',
        requests: [{ token: 0, path: listPath, ...(acceptEncoding ? { headers: { 'Accept-Encoding': acceptEncoding } } : {}) }],
        count: requestsPerWindow,
      },
    ],
  });
  const ms = performance.now() - t0;
  const u1 = await arm.server.usage();
  const q = r.results[0]!;
  const sql = sqlPerRequest(u0.sql, u1.sql, q.latenciesMs.length);
  return {
    cpuMs: u1.cpuMs - u0.cpuMs,
    sqlMs: (sql.statementMs + sql.commitCpuMs) * q.latenciesMs.length,
    sent: q.latenciesMs.length,
    latenciesMs: q.latenciesMs,
    perSec: (q.latenciesMs.length / ms) * 1000,
    statuses: q.statuses,
  };
}

try {
  // One window each unmeasured (the JIT's warm-up), then A B B A A B B A …: each arm is measured as
  // often first as second in a pair.
  const order = [0, 1, ...Array.from({ length: windows * 2 }, (_, i) => [0, 1, 1, 0][i % 4]!)];
  for (const [k, a] of order.entries()) {
    const arm = arms[a]!;
    const r = await (listDb ? listWindow(arm) : transitionsWindow(arm));
    const nonOk = Object.entries(r.statuses).reduce((n, [s, v]) => (s === '200' ? n : n + v), 0);
    const sent = Math.max(1, r.sent);
    const outsideSqlMs = r.sqlMs === null ? null : (r.cpuMs - r.sqlMs) / sent;
    const w: Window = { arm: a, cpuMs: r.cpuMs / sent, outsideSqlMs, p99: latencies(r.latenciesMs).p99, perSec: r.perSec, nonOk };
    if (k >= 2) results.push(w);
    const outside = outsideSqlMs === null ? '' : ` (${outsideSqlMs.toFixed(3)} outside SQL)`;
    console.log(`${new Date().toISOString().slice(11, 19)} ${arm.name}${k < 2 ? ' (warm-up)' : ''}: ${w.cpuMs.toFixed(3)} ms CPU${outside} per ${what}, p99 ${w.p99.toFixed(1)} ms, ${w.perSec.toFixed(0)}/s, non-200 ${nonOk}`);
  }
} finally {
  await loadgen.stop();
  for (const arm of arms) {
    for (const c of arm.clients) c.close();
    await arm.server.stop();
    await arm.remove();
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const ratios: { cpu: number; outside: number | null; p99: number; perSec: number }[] = [];
for (let i = 0; i + 1 < results.length; i += 2) {
  const [x, y] = [results[i]!, results[i + 1]!];
  const [a, b] = x.arm === 0 ? [x, y] : [y, x];
  const outside = a.outsideSqlMs === null || b.outsideSqlMs === null ? null : b.outsideSqlMs / a.outsideSqlMs;
  ratios.push({ cpu: b.cpuMs / a.cpuMs, outside, p99: b.p99 / a.p99, perSec: b.perSec / a.perSec });
}
for (const [i, arm] of arms.entries()) {
  const mine = results.filter((w) => w.arm === i);
  console.log(
    `${arm.name}: CPU per ${what} median ${median(mine.map((w) => w.cpuMs)).toFixed(3)} ms (${Math.min(...mine.map((w) => w.cpuMs)).toFixed(3)}–${Math.max(...mine.map((w) => w.cpuMs)).toFixed(3)}), p99 median ${median(mine.map((w) => w.p99)).toFixed(1)} ms`,
  );
}
const cpuRatios = ratios.map((r) => r.cpu).sort((x, y) => x - y);
console.log(
  `${arms[1]!.name} ÷ ${arms[0]!.name} over ${ratios.length} adjacent pairs at ${clientCount} client${clientCount === 1 ? '' : 's'}${listDb ? '' : ` on ${backend}`}: CPU per ${what} ${median(cpuRatios).toFixed(3)} (${cpuRatios.map((r) => r.toFixed(2)).join(' ')}), p99 ${median(ratios.map((r) => r.p99)).toFixed(3)}, throughput ${median(ratios.map((r) => r.perSec)).toFixed(3)}; CPU below 1 in ${cpuRatios.filter((r) => r < 1).length} of ${ratios.length}`,
);
if (listDb) {
  const outsideRatios = ratios.map((r) => r.outside!).sort((x, y) => x - y);
  for (const [i, arm] of arms.entries()) {
    const mine = results.filter((w) => w.arm === i).map((w) => w.outsideSqlMs!);
    console.log(`${arm.name}: CPU outside SQL per ${what} median ${median(mine).toFixed(3)} ms (${Math.min(...mine).toFixed(3)}–${Math.max(...mine).toFixed(3)})`);
  }
  console.log(
    `${arms[1]!.name} ÷ ${arms[0]!.name}, CPU outside SQL per ${what}: ${median(outsideRatios).toFixed(3)} (${outsideRatios.map((r) => r.toFixed(2)).join(' ')}); below 1 in ${outsideRatios.filter((r) => r < 1).length} of ${outsideRatios.length}`,
  );
}
