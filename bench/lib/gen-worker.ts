/**
 * A generator thread: simulates a range of families of the national world (deterministic per index)
 * and hands back their rows. The parent writes them to the databases while the next range is built.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toBatch } from '../../server/engine/batch.ts';
import { buildWorld, simulateFamily, type SimStats } from '../../simulation/national.ts';

const world = buildWorld(workerData as { scale: number; seed: number; now: number });

parentPort!.on('message', (msg: { from: number; to: number }) => {
  const started = performance.now();
  const stats: SimStats = { refusals: 0 };
  const families = [];
  for (let i = msg.from; i < msg.to; i++) families.push(simulateFamily(world, i, stats));
  const batch = toBatch(families);
  parentPort!.postMessage({ from: msg.from, to: msg.to, batch, cpuMs: performance.now() - started, refusals: stats.refusals });
});
