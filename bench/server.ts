/**
 * The server under measurement, in its own process: the real Express app (createApp) on the real
 * database, the system clock, production settings (no response self-validation, no demo data).
 * Differences from server/main.ts: no durable-timer scheduler interval (its firing would add writes
 * the figures do not ask for) and the static web client only when CLIENT_DIR names a build (the
 * Lighthouse suite). Started by bench/lib/server.ts, which
 * reads the port from the IPC message and the peak RSS from /proc.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { PerformanceObserver, constants as perf } from 'node:perf_hooks';
import { systemClock } from '../server/clock.ts';
import { openDatabase } from '../server/db/index.ts';
import { sqlTotals } from '../server/db/sqlTime.ts';
import { createApp } from '../server/http/app.ts';
import { createLogger } from '../server/logger.ts';
import type { GcTotals } from './lib/server.ts';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('bench/server.ts: DATABASE_URL is required');

const db = await openDatabase(url, { migrate: false });
// Production logs one line per request at info; stdout goes to /dev/null, the cost of formatting stays.
const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'info' });
const clientDir = process.env.CLIENT_DIR || undefined;
const app = createApp({ db, clock: systemClock, clientDir, config: { trustProxy: false, nodeEnv: 'production', clock: 'system' }, logger });
const server = app.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ kind: 'listening', port });
});
server.keepAliveTimeout = 60_000;

// The garbage collector's pauses, so that a window's tail latency can be set against them: totals
// since start by kind (a scavenge of the young generation, or a mark-compact of the old), and the
// longest pause since the last reading.
const gc: GcTotals = { minor: { count: 0, ms: 0 }, major: { count: 0, ms: 0 }, longestMs: 0 };
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const kind = ((e as { detail?: unknown }).detail as { kind?: number } | undefined)?.kind === perf.NODE_PERFORMANCE_GC_MINOR ? gc.minor : gc.major;
    kind.count++;
    kind.ms += e.duration;
    gc.longestMs = Math.max(gc.longestMs, e.duration);
  }
}).observe({ entryTypes: ['gc'] });

// With a profile directory (--cpu-prof), the bench can also profile one measured window at a time
// (one level of clients, the family pages), so a profile holds that window's work and nothing else;
// with --heap-prof too, the window's allocations (BENCH_HEAP_PROF).
let profiler: Session | null = null;
const heapProf = process.env.BENCH_HEAP_PROF === '1';
async function profileWindow(msg: { action: 'start' | 'stop'; file?: string }): Promise<void> {
  if (msg.action === 'start') {
    profiler = new Session();
    profiler.connect();
    await profiler.post('Profiler.enable');
    // 100 µs, not the default 1 ms: a window of 50 one-millisecond requests would hold 50 samples.
    await profiler.post('Profiler.setSamplingInterval', { interval: 100 });
    await profiler.post('Profiler.start');
    if (heapProf) {
      // Every allocation sampled (one per 4 KiB on average), also those the GC has collected since:
      // what a window allocates, not what it leaves alive. (@types/node lacks the two flags.)
      await profiler.post('HeapProfiler.enable');
      const sampling = { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true };
      await profiler.post('HeapProfiler.startSampling', sampling);
    }
  } else if (profiler) {
    const heap = heapProf ? (await profiler.post('HeapProfiler.stopSampling')).profile : null;
    const { profile } = await profiler.post('Profiler.stop');
    profiler.disconnect();
    profiler = null;
    if (msg.file) {
      mkdirSync(path.dirname(msg.file), { recursive: true });
      writeFileSync(msg.file, JSON.stringify(profile));
      if (heap) writeFileSync(msg.file.replace(/\.cpuprofile$/, '.heapprofile'), JSON.stringify(heap));
    }
  }
  process.send?.({ kind: 'profiled', action: msg.action });
}

process.on('message', (msg: { kind?: string; action?: 'start' | 'stop'; file?: string }) => {
  if (msg?.kind === 'profile' && msg.action) return void profileWindow({ action: msg.action, file: msg.file });
  // The SQL tally (server/db/sqlTime.ts), so that a window's SQL can be told from the rest of its CPU.
  // With the process's CPU (all threads) in microseconds: /proc's figure steps by 10 ms, too coarse
  // for a window of 50 one-millisecond requests.
  if (msg?.kind === 'sqlTime') {
    const cpu = process.cpuUsage();
    const gcNow: GcTotals = { minor: { ...gc.minor }, major: { ...gc.major }, longestMs: gc.longestMs };
    gc.longestMs = 0;
    return void process.send?.({ kind: 'sqlTime', totals: sqlTotals(), cpuMs: (cpu.user + cpu.system) / 1000, gc: gcNow });
  }
  if (msg?.kind !== 'stop') return;
  server.closeAllConnections();
  server.close(() => {
    void db.close().finally(() => process.exit(0));
  });
});
process.on('disconnect', () => process.exit(0));
