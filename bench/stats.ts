/**
 * Small statistics for benchmark samples: percentiles (linear interpolation between closest
 * ranks, the same definition as NumPy's default and Excel's PERCENTILE.INC), medians and tallies.
 * Empty samples give `null`, which JSON keeps as `null` and the report prints as "–".
 */

/** The `p`-th percentile (0..100) of `values`, or null when there are none. Does not mutate `values`. */
export function percentile(values: readonly number[], p: number): number | null {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0..100, got ${p}`);
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return null;
  const sorted = [...finite].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

export function median(values: readonly number[]): number | null {
  return percentile(values, 50);
}

export function mean(values: readonly number[]): number | null {
  const finite = values.filter((v) => Number.isFinite(v));
  return finite.length === 0 ? null : finite.reduce((sum, v) => sum + v, 0) / finite.length;
}

export function sum(values: readonly number[]): number {
  return values.reduce((total, v) => total + v, 0);
}

export interface Percentiles {
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

export function percentiles(values: readonly number[]): Percentiles {
  return {
    count: values.length,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    max: percentile(values, 100),
  };
}

/** Counts occurrences of each key: `tally(["503", "503", "200"])` → `{200: 1, 503: 2}`. */
export function tally(keys: readonly (string | number)[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const key of [...keys].map(String).sort()) counts[key] = (counts[key] ?? 0) + 1;
  return counts;
}

/** `a / b`, or null when either is missing or `b` is 0. */
export function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a == null || b == null || b === 0 || !Number.isFinite(a) || !Number.isFinite(b)) return null;
  return a / b;
}

/** Rounds for reports: `digits` significant digits, but never below whole numbers (1234.5 → 1235). */
export function round(value: number | null, digits = 3): number | null {
  if (value == null || !Number.isFinite(value)) return null;
  if (Math.abs(value) >= 10 ** digits) return Math.round(value);
  return Number(value.toPrecision(digits));
}
