/**
 * Number formatting shared by the Markdown, HTML and terminal reports, so all three say the same
 * thing the same way.
 */
import type { Interval } from "./stats.ts";

/** `0.4567` → `45.7 %`; `—` for no value. */
export function percent(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined ? "—" : `${(100 * value).toFixed(digits)} %`;
}

/** A Wilson interval as `[41.2, 50.3]` (percent). */
export function interval(ci: Interval | null | undefined): string {
  return ci ? `[${(100 * ci.low).toFixed(1)}, ${(100 * ci.high).toFixed(1)}]` : "—";
}

/** Milliseconds, switching to seconds above 10 s. */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

/** Tokens per second with one decimal. */
export function rate(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : value.toFixed(1);
}

/** Integers with thousands separators. */
export function count(value: number): string {
  return value.toLocaleString("en-US");
}

/** Money with enough digits to show sub-cent costs. */
export function money(value: number | null | undefined, currency: string | null | undefined): string {
  if (value === null || value === undefined) return "—";
  const digits = value !== 0 && value < 0.01 ? 5 : value < 1 ? 4 : 2;
  return `${value.toFixed(digits)} ${currency ?? "USD"}`;
}

/** A signed percentage-point difference interval, e.g. `+12.0 pp [+3.1, +20.4]`. */
export function pointDifference(d: Interval & { mean: number }): string {
  const pp = (x: number) => `${x >= 0 ? "+" : ""}${(100 * x).toFixed(1)}`;
  return `${pp(d.mean)} pp [${pp(d.low)}, ${pp(d.high)}]`;
}

/** Language codes of the audit as words. */
export const LANGUAGE_NAMES: Record<string, string> = { en: "English", zh: "Chinese", ko: "Korean" };
