import { describe, expect, it } from 'vitest';
import { queueFigures } from '../../bench/lib/report.ts';
import type { LevelRun } from '../../bench/suites/transitions.ts';

// The report's queue table (why p99 follows from the CPU per transition), on constructed runs.

function level(clients: number, perSec: number, serverCpuMs: number, mean: number, p99: number): LevelRun {
  return {
    clients,
    perSec,
    latency: { count: 1000, p50: mean, p95: p99, p99, max: p99, mean },
    statuses: { 200: 1000 },
    rawPerSec: Number.NaN,
    rawP50: Number.NaN,
    ratio: Number.NaN,
    serverCpuMs,
    rawCpuMs: Number.NaN,
    sql: { statements: 5, statementMs: 0.2, commitMs: 0.3, commitCpuMs: 0.1 },
  };
}

describe('queue figures', () => {
  it("gives Little's mean, the tail ratio, the utilisation, and the CPU that would put p99 on its target", () => {
    // 8 clients at 500/s: 16 ms in the queue on average; 1.6 ms of CPU per transition is 0.8 of a core.
    const q = queueFigures([level(8, 500, 1.6, 16, 32)], 20);
    expect(q.little.median).toBeCloseTo(16, 9);
    expect(q.tail.median).toBeCloseTo(2, 9);
    expect(q.utilisation.median).toBeCloseTo(0.8, 9);
    // p99 = clients × tail × CPU / utilisation: 8 × 2 × cpu / 0.8 = 20 ms at cpu = 1 ms.
    expect(q.cpuNeeded.median).toBeCloseTo(1, 9);
    const back = (8 * q.tail.median * q.cpuNeeded.median) / q.utilisation.median;
    expect(back).toBeCloseTo(20, 9);
  });

  it('takes each figure per run, then the spread over runs', () => {
    const q = queueFigures([level(8, 400, 2, 20, 36), level(8, 800, 1, 10, 20), level(8, 500, 1.6, 16, 32)], 20);
    expect(q.little.runs).toEqual([20, 10, 16]);
    expect(q.little.median).toBe(16);
    expect(q.tail.min).toBeCloseTo(1.8, 9);
    expect(q.tail.max).toBeCloseTo(2, 9);
  });

  it("takes the GC's share of wall time and its longest pause per run, and none from runs recorded without them", () => {
    const gc = (share: number, longestMs: number) => ({ share, minorCount: 200, minorMeanMs: 2.5, majorCount: 6, longestMs });
    const q = queueFigures([{ ...level(8, 500, 1.6, 16, 32), gc: gc(0.05, 9) }, { ...level(8, 500, 1.6, 16, 32), gc: gc(0.07, 12) }], 20);
    expect(q.gcShare?.runs).toEqual([0.05, 0.07]);
    expect(q.gcLongestMs?.max).toBe(12);
    expect(queueFigures([level(8, 500, 1.6, 16, 32)], 20).gcShare).toBeNull();
  });

  it('has no CPU need where the level has no p99 target', () => {
    expect(Number.isNaN(queueFigures([level(1, 400, 2.5, 2.5, 6)], undefined).cpuNeeded.median)).toBe(true);
  });
});
