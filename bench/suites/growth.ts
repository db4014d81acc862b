import type { Provider } from '../../server/db/index.ts';
import { insertBatch, toBatch } from '../../server/engine/batch.ts';
import { freshDb } from '../lib/db.ts';
import { HttpClient } from '../lib/http.ts';
import { LONG_DIRECTOR, LONG_VT, longFamilyCached } from '../lib/histories.ts';
import { startLoadgen } from '../lib/loadgen.ts';
import type { BenchOptions } from '../lib/options.ts';
import { startServer } from '../lib/server.ts';
import { latencies, spread, type Spread } from '../lib/stats.ts';
import { BENCH_PASSWORD, createUsers } from '../lib/users.ts';

// Does the hot path stay flat as a family's history grows? One family per size and machine version
// (familyCase@1 and @2 side by side, issue 14), built through the batch path, then sequential
// transitions and family-page reads on it through HTTP (one client).

/** The machine versions measured side by side. */
export const GROWTH_VERSIONS = [1, 2] as const;

export type GrowthPoint = {
  /** The machine version the family's history runs under. */
  version: number;
  events: number;
  snapshotKiB: number;
  timers: number;
  transitionP50: Spread;
  transitionP95: Spread;
  pageP50: Spread;
  pageP95: Spread;
  statuses: Record<string, number>;
  buildMs: number;
};

export type GrowthBackend = { backend: Provider; points: GrowthPoint[] };

function plan(o: BenchOptions) {
  if (o.smoke) return { sizes: [10, 100], count: 5, warmup: 1 };
  if (o.quick) return { sizes: [10, 100, 1_000], count: 20, warmup: 3 };
  return { sizes: [10, 100, 1_000, 10_000], count: 30, warmup: 5 };
}

export async function growthSuite(o: BenchOptions): Promise<GrowthBackend[]> {
  const p = plan(o);
  const built = GROWTH_VERSIONS.flatMap((version) => p.sizes.map((n) => ({ n, version, ...longFamilyCached(n, version) })));
  o.log(`  built growth families: ${built.map((b) => `v${b.version} ${b.n} events in ${(b.buildMs / 1000).toFixed(1)} s`).join(', ')}`);
  const out: GrowthBackend[] = [];
  for (const backend of o.backends) {
    const b = await freshDb(backend, { pgUrl: o.pgUrl, label: 'growth' });
    try {
      await createUsers(b.db, [
        { id: LONG_VT.id, username: LONG_VT.id, roles: ['vt'], region: 'zuid-limburg' },
        { id: LONG_DIRECTOR.id, username: LONG_DIRECTOR.id, roles: ['director'] },
      ]);
      for (const x of built) await insertBatch(b.db, toBatch([x.family]));
      const server = await startServer(b.url, o.cpuProf ? { cpuProfDir: o.cpuProf, profName: `growth-${backend}` } : {});
      const loadgen = startLoadgen();
      const points: GrowthPoint[] = [];
      try {
        const c = new HttpClient(server.base);
        await c.login(LONG_VT.id, BENCH_PASSWORD);
        for (const x of built) {
          const writes: number[][] = [];
          const reads: number[][] = [];
          const statuses: Record<string, number> = {};
          let version = x.family.row.version;
          for (let round = 0; round < o.runs; round++) {
            const r = await loadgen.run({
              kind: 'sequence',
              base: server.base,
              token: c.token!,
              family: { id: x.family.row.id, version },
              count: p.count,
              warmup: round === 0 ? p.warmup : 0,
            });
            version += p.count + (round === 0 ? p.warmup : 0);
            writes.push(r.writeMs);
            reads.push(r.readMs);
            for (const [s, n] of Object.entries(r.statuses)) statuses[s] = (statuses[s] ?? 0) + n;
          }
          const w = writes.map(latencies);
          const rd = reads.map(latencies);
          const point: GrowthPoint = {
            version: x.version,
            events: x.n,
            snapshotKiB: JSON.stringify(x.family.snap).length / 1024,
            timers: x.family.timers.size,
            transitionP50: spread(w.map((s) => s.p50)),
            transitionP95: spread(w.map((s) => s.p95)),
            pageP50: spread(rd.map((s) => s.p50)),
            pageP95: spread(rd.map((s) => s.p95)),
            statuses,
            buildMs: x.buildMs,
          };
          points.push(point);
          o.log(`  growth ${backend} v${x.version} ${x.n} events: transition p50 ${point.transitionP50.median.toFixed(1)} ms, page p50 ${point.pageP50.median.toFixed(1)} ms ${JSON.stringify(statuses)}`);
        }
        c.close();
      } finally {
        await loadgen.stop();
        await server.stop();
      }
      out.push({ backend, points });
    } finally {
      await b.remove();
    }
  }
  return out;
}
