import { randomUUID } from 'node:crypto';
import { freshDb } from '../lib/db.ts';
import { expectStatus, HttpClient } from '../lib/http.ts';
import { startLoadgen } from '../lib/loadgen.ts';
import { transitionSizes, type BenchOptions } from '../lib/options.ts';
import { startServer } from '../lib/server.ts';
import { latencies, spread, type Spread } from '../lib/stats.ts';
import { BENCH_PASSWORD, createUsers } from '../lib/users.ts';
import { nextEvent } from '../loadgen.ts';
import { newReport } from './transitions.ts';

// The floor under a transition's server CPU (issue 17): the same requests as the transitions suite,
// from the same load generator at the same client levels, answered with a real transition's answer by
// a server that does nothing else — Node's http server alone, and Express 5 with the app's own front
// middleware and body parsing (bench/floorServer.ts). Server CPU per request is read from /proc as in
// the transitions suite, so the figures subtract: transition − express floor = what our code costs
// (session lookup, zod, machine, engine, SQL, view). The two modes alternate within each run.

export type FloorMode = 'node' | 'express';

export type FloorLevel = { clients: number; perSec: Spread; serverCpuMs: Spread; p50: Spread; p99: Spread; nonOk: number };

export type FloorResult = {
  /** Bytes of the real answer the floor servers send (a family view after `measure.imposed`). */
  answerBytes: number;
  modes: { mode: FloorMode; levels: FloorLevel[] }[];
};

/** One real transition's answer, from the real server on a fresh SQLite database. */
export async function captureAnswer(o: BenchOptions): Promise<unknown> {
  const bdb = await freshDb('sqlite', { pgUrl: o.pgUrl, label: 'floor' });
  try {
    await createUsers(bdb.db, [{ username: 'bench-vt-1', roles: ['vt'], region: 'zuid-limburg' }]);
    const server = await startServer(bdb.url);
    const c = new HttpClient(server.base);
    try {
      await c.login('bench-vt-1', BENCH_PASSWORD);
      const created = expectStatus(await c.post('/api/v1/families', newReport(0)), 201, 'create family').body as { id: string; version: number };
      const ev = nextEvent(0, null);
      return expectStatus(await c.post(`/api/v1/families/${created.id}/events`, { ...ev, expectedVersion: created.version }), 200, 'transition').body;
    } finally {
      c.close();
      await server.stop();
    }
  } finally {
    await bdb.remove();
  }
}

export async function floorSuite(o: BenchOptions): Promise<FloorResult> {
  const size = transitionSizes(o);
  const answer = await captureAnswer(o);
  const answerJson = JSON.stringify(answer);
  const modes: FloorMode[] = ['node', 'express'];
  type Row = { perSec: number; serverCpuMs: number; p50: number; p99: number; nonOk: number };
  const rows = new Map<string, Row[]>();
  for (let run = 1; run <= o.runs; run++) {
    for (const mode of modes) {
      const server = await startServer('', { entry: 'floorServer.ts', env: { FLOOR_MODE: mode, FLOOR_ANSWER: answerJson } });
      const loadgen = startLoadgen();
      const jobOf = (clients: number, durationMs = size.transitionMs) => ({
        kind: 'transitions' as const,
        base: server.base,
        warmupMs: size.warmupMs,
        durationMs,
        clients: Array.from({ length: clients }, () => ({
          token: 'floor',
          families: Array.from({ length: Math.max(1, Math.floor(size.familiesPerLevel / clients)) }, () => ({ id: randomUUID(), version: 1 })),
        })),
      });
      try {
        // A fresh process compiles its hot paths during its first seconds of requests (V8's compiler
        // threads count in the process's CPU): unmeasured, or the first level (one client) pays for it.
        // Session 21 measured Express's first 3,000 requests at 0.74 ms each and the next at 0.39–0.47.
        await loadgen.run(jobOf(size.levels[0]!, Math.min(size.transitionMs, 5_000)));
        for (const clients of size.levels) {
          const job = jobOf(clients);
          const cpu0 = server.cpuMs();
          const r = await loadgen.run(job);
          const serverCpuMs = (server.cpuMs() - cpu0) / Math.max(1, r.total);
          const l = latencies(r.latenciesMs);
          const nonOk = Object.entries(r.statuses)
            .filter(([s]) => s !== '200')
            .reduce((a, [, v]) => a + v, 0);
          const key = `${mode}:${clients}`;
          rows.set(key, [...(rows.get(key) ?? []), { perSec: (r.completed / r.windowMs) * 1000, serverCpuMs, p50: l.p50, p99: l.p99, nonOk }]);
          o.log(`  floor ${mode} run ${run} clients ${clients}: ${((r.completed / r.windowMs) * 1000).toFixed(0)}/s, server CPU ${serverCpuMs.toFixed(3)} ms per request, p99 ${l.p99.toFixed(1)} ms ${JSON.stringify(r.statuses)}`);
        }
      } finally {
        await loadgen.stop();
        await server.stop();
      }
    }
  }
  return {
    answerBytes: Buffer.byteLength(answerJson),
    modes: modes.map((mode) => ({
      mode,
      levels: size.levels.map((clients) => {
        const rs = rows.get(`${mode}:${clients}`) ?? [];
        return {
          clients,
          perSec: spread(rs.map((r) => r.perSec)),
          serverCpuMs: spread(rs.map((r) => r.serverCpuMs)),
          p50: spread(rs.map((r) => r.p50)),
          p99: spread(rs.map((r) => r.p99)),
          nonOk: rs.reduce((a, r) => a + r.nonOk, 0),
        };
      }),
    })),
  };
}
