// Summaries of measured samples. Latency percentiles use the nearest-rank definition (the value at or
// below which p % of the samples lie), so p99 of 100 samples is the 99th smallest, not an interpolation.

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A figure over repeated runs: the median is what BENCHMARKS.md quotes, min–max its spread. */
export type Spread = { median: number; min: number; max: number; runs: number[] };

export function spread(runs: readonly number[]): Spread {
  const finite = runs.filter((r) => Number.isFinite(r));
  if (finite.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, runs: [...runs] };
  return { median: median(finite), min: finite.reduce((a, b) => (b < a ? b : a), Infinity), max: finite.reduce((a, b) => (b > a ? b : a), -Infinity), runs: [...runs] };
}

export type LatencySummary = { count: number; p50: number; p95: number; p99: number; max: number; mean: number };

export function latencies(ms: readonly number[]): LatencySummary {
  const count = ms.length;
  const mean = count === 0 ? Number.NaN : ms.reduce((a, b) => a + b, 0) / count;
  return {
    count,
    p50: percentile(ms, 50),
    p95: percentile(ms, 95),
    p99: percentile(ms, 99),
    // A loop, not Math.max(...ms): a spread of 130,000 latencies overflows the stack.
    max: count === 0 ? Number.NaN : ms.reduce((a, b) => (b > a ? b : a), -Infinity),
    mean,
  };
}

export function round(n: number, digits = 2): number {
  if (!Number.isFinite(n)) return n;
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** "12.3 (11.9–13.0)" for tables. */
export function fmt(s: Spread, digits = 1): string {
  if (!Number.isFinite(s.median)) return 'n/a';
  return `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;
}
