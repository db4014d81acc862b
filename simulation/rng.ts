/** mulberry32: small, fast, seedable; the same seed generates the same families on every run. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    between: (min: number, max: number) => min + next() * (max - min),
    pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!,
    chance: (p: number) => next() < p,
    /** Exponential waiting time with the given mean. */
    exp: (mean: number) => -Math.log(1 - next()) * mean,
    /** Log-normal with the given median and spread (sigma of the underlying normal). */
    logNormal: (med: number, sigma: number) => {
      const u = Math.max(next(), 1e-12);
      const v = next();
      return med * Math.exp(sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
    },
  };
}
export type Rng = ReturnType<typeof prng>;

/** Index into `weights` drawn proportionally (cumulative weights precomputed by the caller). */
export function weighted(cumulative: readonly number[], rng: Rng): number {
  const x = rng.next() * cumulative[cumulative.length - 1]!;
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
