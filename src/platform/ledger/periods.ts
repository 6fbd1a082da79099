/** Budget periods: UTC calendar days and months, as epoch-ms starts. */

export const DAY_MS = 86_400_000;
/** The rate-limit window (requests and tokens per minute). */
export const WINDOW_MS = 60_000;

export function dayStart(now: number): number {
  return Math.floor(now / DAY_MS) * DAY_MS;
}

export function monthStart(now: number): number {
  const date = new Date(now);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}
