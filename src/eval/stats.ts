/**
 * The statistics of the report, kept honest for small samples: Wilson score intervals (which stay
 * inside [0, 1] and do not collapse at 0 % or 100 %), McNemar's exact test for two models on the
 * same items, and a seeded paired bootstrap for the interval of the difference.
 */
import { createRng } from "./prng.ts";

/** z for a two-sided 95 % interval. */
export const Z95 = 1.959963984540054;

/** An interval [low, high]. */
export interface Interval {
  low: number;
  high: number;
}

/** Wilson score interval for `successes` out of `n`; undefined when n = 0. */
export function wilsonInterval(successes: number, n: number, z = Z95): Interval | undefined {
  if (n <= 0) return undefined;
  const p = successes / n;
  const z2 = z * z;
  const center = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, center - half), high: Math.min(1, center + half) };
}

/**
 * Two-sided exact McNemar test: `b` items only A got right, `c` items only B got right. Under the
 * null hypothesis each discordant item is a fair coin, so p = 2·P(X ≤ min(b, c)), X ~ Bin(b + c, ½),
 * capped at 1. Computed in log space so thousands of items do not underflow.
 */
export function mcnemarExact(b: number, c: number): number {
  const n = b + c;
  if (n === 0) return 1;
  const k = Math.min(b, c);
  let logTerm = -n * Math.LN2; // log P(X = 0)
  let logSum = logTerm;
  for (let i = 0; i < k; i++) {
    logTerm += Math.log(n - i) - Math.log(i + 1);
    const high = Math.max(logSum, logTerm);
    logSum = high + Math.log(Math.exp(logSum - high) + Math.exp(logTerm - high));
  }
  return Math.min(1, 2 * Math.exp(logSum));
}

/**
 * Paired bootstrap of the difference in mean score (A − B) over items scored for both: resample
 * items with replacement, keep the pairing, take the 2.5th and 97.5th percentiles. Seeded, so the
 * same results give the same interval.
 */
export function pairedBootstrap(pairs: ReadonlyArray<readonly [number, number]>, resamples = 2000, seed = 1): Interval & { mean: number } {
  const n = pairs.length;
  if (n === 0) return { mean: 0, low: 0, high: 0 };
  const mean = pairs.reduce((sum, [a, b]) => sum + a - b, 0) / n;
  const rng = createRng(seed);
  const diffs = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const [a, b] = pairs[Math.floor(rng.next() * n)];
      sum += a - b;
    }
    diffs[r] = sum / n;
  }
  diffs.sort();
  return { mean, low: quantileSorted(diffs, 0.025), high: quantileSorted(diffs, 0.975) };
}

function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
}

/** The q-quantile (0..1) with linear interpolation; undefined for no values. */
export function quantile(values: readonly number[], q: number): number | undefined {
  if (values.length === 0) return undefined;
  return quantileSorted([...values].sort((a, b) => a - b), q);
}

/** Median; undefined for no values. */
export function median(values: readonly number[]): number | undefined {
  return quantile(values, 0.5);
}
