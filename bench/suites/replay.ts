import { initialTransition, transition } from 'xstate';
import { getMachine } from '../../machines/index.ts';
import type { Provider } from '../../server/db/index.ts';
import { canonicalJson } from '../../server/engine/canonical.ts';
import { eventOf, fold, listEvents, replay, verify } from '../../server/engine/index.ts';
import { insertBatch, toBatch } from '../../server/engine/batch.ts';
import { freshDb } from '../lib/db.ts';
import { HttpClient } from '../lib/http.ts';
import { longFamilyCached } from '../lib/histories.ts';
import { startServer } from '../lib/server.ts';
import { BENCH_PASSWORD, createUsers } from '../lib/users.ts';
import type { BenchOptions } from '../lib/options.ts';
import { median, spread, type Spread } from '../lib/stats.ts';

// Replay throughput: the engine rebuilding a family from its stored history against XState's own
// transition() over the same events (same process, same run, alternating), and the time to verify
// a long chain. The raw loop does what replay cannot skip in any implementation (one machine
// transition per event); the engine adds reading rows, parsing every envelope with zod, the rule
// chains that explain refusals, and snapshot conversion.

export type ReplayBackend = {
  backend: Provider;
  events: number;
  /** GET-free engine replay: read the rows and fold them (server/engine replay()). */
  replayPerSec: Spread;
  /** fold() alone over records already in memory: the machine part of replay. */
  foldPerSec: Spread;
  /** xstate transition() over the same envelopes, from initialTransition(getMachine(1)). */
  rawPerSec: Spread;
  /** replayPerSec / rawPerSec, per run. */
  ratio: Spread;
  foldRatio: Spread;
  /** The raw loop ends in the same state value and context as the engine's replay. */
  sameState: boolean;
  verify: { events: number; ms: Spread; valid: boolean };
  /** The same through HTTP as an auditor: GET /verify on the long family, GET /replay on the 1,000-event one. */
  http: {
    verifyMs: Spread;
    verifyStatuses: Record<string, number>;
    replayMs: Spread;
    replayStatuses: Record<string, number>;
    /** A family page (1,000-event family) requested over and over while the verify ran: its worst and median wait. */
    pageDuringVerify: { count: number; p50: number; max: number };
  };
  buildMs: { replayFamily: number; verifyFamily: number };
};

function sizes(o: BenchOptions) {
  if (o.smoke) return { replay: 200, verify: 200 };
  if (o.quick) return { replay: 1_000, verify: 2_000 };
  return { replay: 1_000, verify: 10_000 };
}

export async function replaySuite(o: BenchOptions): Promise<ReplayBackend[]> {
  const size = sizes(o);
  const replayFamily = longFamilyCached(size.replay);
  const verifyFamily = longFamilyCached(size.verify);
  o.log(`  built ${size.replay}-event family in ${(replayFamily.buildMs / 1000).toFixed(1)} s, ${size.verify}-event family in ${(verifyFamily.buildMs / 1000).toFixed(1)} s`);
  const out: ReplayBackend[] = [];
  for (const backend of o.backends) {
    const b = await freshDb(backend, { pgUrl: o.pgUrl, label: 'replay' });
    try {
      await insertBatch(b.db, toBatch(size.verify === size.replay ? [replayFamily.family] : [replayFamily.family, verifyFamily.family]));
      const id = replayFamily.family.row.id;
      const records = await listEvents(b.db, id);
      const envelopes = records.map(eventOf);
      const machine = getMachine(1);
      const replayRuns: number[] = [];
      const foldRuns: number[] = [];
      const rawRuns: number[] = [];
      let sameState = true;
      // One unmeasured pass of each warms the JIT; then runs alternate, so drift hits both alike.
      for (let run = 0; run <= o.runs; run++) {
        let t0 = performance.now();
        const replayed = await replay(b.db, id);
        const replayMs = performance.now() - t0;

        t0 = performance.now();
        fold(records);
        const foldMs = performance.now() - t0;

        t0 = performance.now();
        let [snap] = initialTransition(machine);
        for (const e of envelopes) [snap] = transition(machine, snap, e);
        const rawMs = performance.now() - t0;

        if (run === 0) {
          sameState =
            canonicalJson(snap.value) === canonicalJson(replayed.snapshot.value) &&
            canonicalJson(snap.context) === canonicalJson(replayed.snapshot.context);
          continue;
        }
        replayRuns.push((records.length / replayMs) * 1000);
        foldRuns.push((records.length / foldMs) * 1000);
        rawRuns.push((records.length / rawMs) * 1000);
      }
      const verifyId = verifyFamily.family.row.id;
      const verifyMs: number[] = [];
      let valid = true;
      let events = 0;
      for (let run = 0; run < o.runs; run++) {
        const t0 = performance.now();
        const v = await verify(b.db, verifyId);
        verifyMs.push(performance.now() - t0);
        valid &&= v.valid;
        events = v.events;
      }
      // Through HTTP: what an auditor waits for (and whether the route's transaction survives it).
      await createUsers(b.db, [{ username: 'bench-auditor', roles: ['auditor'] }]);
      const server = await startServer(b.url);
      const http = {
        verifyMs: [] as number[],
        verifyStatuses: {} as Record<string, number>,
        replayMs: [] as number[],
        replayStatuses: {} as Record<string, number>,
        probeMs: [] as number[],
      };
      try {
        const c = new HttpClient(server.base);
        await c.login('bench-auditor', BENCH_PASSWORD);
        for (let run = 0; run <= o.runs; run++) {
          const rp = await c.get(`/api/v1/families/${id}/replay`);
          if (run === 0) continue;
          http.replayMs.push(rp.ms);
          http.replayStatuses[rp.status] = (http.replayStatuses[rp.status] ?? 0) + 1;
        }
        // A 10,000-event verify takes minutes: once in a full run (what matters is whether and how it
        // answers), every run in the small modes.
        // Meanwhile another user keeps opening a family page: does one audit hold everyone up?
        const probe = new HttpClient(server.base);
        probe.token = c.token;
        for (let run = 0; run < (size.verify > 2_000 ? 1 : o.runs); run++) {
          let done = false;
          const pending = c.get(`/api/v1/families/${verifyId}/verify`).finally(() => (done = true));
          while (!done) {
            const r = await probe.get(`/api/v1/families/${id}`);
            http.probeMs.push(r.ms);
          }
          const v = await pending;
          http.verifyMs.push(v.ms);
          http.verifyStatuses[v.status] = (http.verifyStatuses[v.status] ?? 0) + 1;
          if (v.status !== 200) o.log(`  [verify over HTTP] ${v.status} ${JSON.stringify(v.body).slice(0, 300)}`);
        }
        probe.close();
        c.close();
      } finally {
        await server.stop();
      }
      const r: ReplayBackend = {
        backend,
        events: records.length,
        replayPerSec: spread(replayRuns),
        foldPerSec: spread(foldRuns),
        rawPerSec: spread(rawRuns),
        ratio: spread(replayRuns.map((x, i) => x / rawRuns[i]!)),
        foldRatio: spread(foldRuns.map((x, i) => x / rawRuns[i]!)),
        sameState,
        verify: { events, ms: spread(verifyMs), valid },
        http: {
          verifyMs: spread(http.verifyMs),
          verifyStatuses: http.verifyStatuses,
          replayMs: spread(http.replayMs),
          replayStatuses: http.replayStatuses,
          pageDuringVerify: { count: http.probeMs.length, p50: median(http.probeMs), max: http.probeMs.length > 0 ? Math.max(...http.probeMs) : Number.NaN },
        },
        buildMs: { replayFamily: replayFamily.buildMs, verifyFamily: verifyFamily.buildMs },
      };
      o.log(
        `  replay ${backend}: engine ${r.replayPerSec.median.toFixed(0)} ev/s, fold ${r.foldPerSec.median.toFixed(0)} ev/s, raw transition() ${r.rawPerSec.median.toFixed(0)} ev/s, same state ${sameState}; verify ${events} events ${r.verify.ms.median.toFixed(0)} ms (valid ${valid}); HTTP verify ${r.http.verifyMs.median.toFixed(0)} ms ${JSON.stringify(r.http.verifyStatuses)}, HTTP replay ${r.http.replayMs.median.toFixed(0)} ms ${JSON.stringify(r.http.replayStatuses)}; a family page during the verify: ${r.http.pageDuringVerify.count} requests, p50 ${r.http.pageDuringVerify.p50.toFixed(0)} ms, max ${r.http.pageDuringVerify.max.toFixed(0)} ms`,
      );
      out.push(r);
    } finally {
      await b.remove();
    }
  }
  return out;
}
