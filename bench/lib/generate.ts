import { Worker } from 'node:worker_threads';
import type { Provider } from '../../server/db/index.ts';
import type { Batch } from '../../server/engine/batch.ts';
import { pgBulkWriter, sqliteBulkWriter, type BulkWriter } from './bulk.ts';
import { simulateFamily, type SimStats, type World } from '../../simulation/national.ts';
import { toBatch } from '../../server/engine/batch.ts';

export type Target = { provider: Provider; url: string; file?: string };

export type GenerateResult = {
  families: number;
  events: number;
  timers: number;
  wallMs: number;
  /** Summed over generator threads: the machine's and engine's pure work per event. */
  simulateMs: number;
  insertMs: Partial<Record<Provider, number>>;
  workers: number;
  refusals: number;
  phases: Record<string, number>;
};

type Msg = { from: number; to: number; batch: Batch; cpuMs: number; refusals: number };

function startWorker(world: World): Promise<Worker> {
  // The tsx loader is registered inside the thread: a worker does not inherit --import hooks.
  const api = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./gen-worker.ts', import.meta.url).href;
  const w = new Worker(`import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); }).then(() => require('node:worker_threads').parentPort.postMessage('ready'));`, {
    eval: true,
    workerData: { scale: world.families / 130_000, seed: world.seed, now: world.now },
  });
  return new Promise((resolve, reject) => {
    w.once('error', reject);
    w.once('message', () => resolve(w));
  });
}

/**
 * Simulates every family of the world and loads the rows into each target, in chunks: generator
 * threads build the next chunks while this thread writes the previous ones.
 */
export async function generateNational(world: World, targets: Target[], opts: { workers: number; chunk?: number; log: (l: string) => void }): Promise<GenerateResult> {
  const chunk = opts.chunk ?? 250;
  const started = performance.now();
  const writers: { provider: Provider; w: BulkWriter; ms: number }[] = [];
  for (const t of targets) writers.push({ provider: t.provider, w: t.provider === 'sqlite' ? sqliteBulkWriter(t.file!) : await pgBulkWriter(t.url), ms: 0 });
  const result: GenerateResult = { families: 0, events: 0, timers: 0, wallMs: 0, simulateMs: 0, insertMs: {}, workers: opts.workers, refusals: 0, phases: {} };

  const write = async (m: Msg) => {
    result.families += m.batch.families.length;
    result.events += m.batch.events.length;
    result.timers += m.batch.timers.length;
    result.simulateMs += m.cpuMs;
    result.refusals += m.refusals;
    for (const f of m.batch.families) result.phases[f.phase] = (result.phases[f.phase] ?? 0) + 1;
    await Promise.all(
      writers.map(async (x) => {
        const t0 = performance.now();
        await x.w.write(m.batch);
        x.ms += performance.now() - t0;
      }),
    );
  };

  let nextFrom = 0;
  let lastLog = performance.now();
  const progress = () => {
    if (performance.now() - lastLog < 30_000) return;
    lastLog = performance.now();
    const done = result.families / world.families;
    const elapsed = (performance.now() - started) / 1000;
    opts.log(`  generated ${result.families}/${world.families} families, ${result.events} events, ${elapsed.toFixed(0)} s (eta ${((elapsed / Math.max(done, 1e-9)) * (1 - done)).toFixed(0)} s)`);
  };

  if (opts.workers <= 0) {
    while (nextFrom < world.families) {
      const to = Math.min(world.families, nextFrom + chunk);
      const t0 = performance.now();
      const stats: SimStats = { refusals: 0 };
      const fams = [];
      for (let i = nextFrom; i < to; i++) fams.push(simulateFamily(world, i, stats));
      await write({ from: nextFrom, to, batch: toBatch(fams), cpuMs: performance.now() - t0, refusals: stats.refusals });
      nextFrom = to;
      progress();
    }
  } else {
    const workers = await Promise.all(Array.from({ length: opts.workers }, () => startWorker(world)));
    try {
      const queue: Msg[] = [];
      let waiting: (() => void) | null = null;
      let outstanding = 0;
      let failure: Error | null = null;
      const assign = (w: Worker) => {
        if (nextFrom >= world.families) return;
        const to = Math.min(world.families, nextFrom + chunk);
        w.postMessage({ from: nextFrom, to });
        nextFrom = to;
        outstanding++;
      };
      for (const w of workers) {
        w.on('message', (m: Msg) => {
          outstanding--;
          // Keep the thread busy while this chunk is written; at most one chunk per thread waits.
          assign(w);
          queue.push(m);
          waiting?.();
        });
        w.on('error', (e) => {
          failure = e;
          waiting?.();
        });
        assign(w);
      }
      while (outstanding > 0 || queue.length > 0) {
        if (queue.length === 0) await new Promise<void>((r) => (waiting = r));
        waiting = null;
        if (failure) throw failure;
        const m = queue.shift();
        if (m) {
          await write(m);
          progress();
        }
      }
    } finally {
      await Promise.all(workers.map((w) => w.terminate()));
    }
  }
  for (const x of writers) {
    const t0 = performance.now();
    await x.w.close();
    x.ms += performance.now() - t0;
    result.insertMs[x.provider] = x.ms;
  }
  result.wallMs = performance.now() - started;
  return result;
}
