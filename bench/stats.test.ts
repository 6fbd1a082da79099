import { describe, expect, it } from "vitest";
import { mean, median, percentile, percentiles, ratio, round, tally } from "./stats.ts";

describe("percentile", () => {
  it("interpolates linearly between closest ranks", () => {
    const values = [15, 20, 35, 40, 50];
    expect(percentile(values, 0)).toBe(15);
    expect(percentile(values, 100)).toBe(50);
    expect(percentile(values, 50)).toBe(35);
    expect(percentile(values, 40)).toBe(29); // rank 1.6: 20 + 0.6 × 15
    expect(percentile(values, 95)).toBeCloseTo(48);
  });

  it("does not depend on input order and does not mutate it", () => {
    const values = [5, 1, 4, 2, 3];
    expect(percentile(values, 25)).toBe(2);
    expect(values).toEqual([5, 1, 4, 2, 3]);
  });

  it("handles one value, empty input and non-finite values", () => {
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNull();
    expect(percentile([Number.NaN, 3, Number.POSITIVE_INFINITY], 50)).toBe(3);
  });

  it("rejects percentiles outside 0..100", () => {
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], -1)).toThrow(RangeError);
  });

  it("p99 of 1..100 is 99.01", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 99)).toBeCloseTo(99.01, 10);
    expect(median(values)).toBe(50.5);
  });
});

describe("summaries", () => {
  it("percentiles() reports count, p50, p95, p99 and max", () => {
    const summary = percentiles([1, 2, 3, 4]);
    expect(summary).toMatchObject({ count: 4, p50: 2.5, max: 4 });
    expect(summary.p95).toBeCloseTo(3.85, 10);
    expect(summary.p99).toBeCloseTo(3.97, 10);
    expect(percentiles([])).toEqual({ count: 0, p50: null, p95: null, p99: null, max: null });
  });

  it("mean, ratio, tally and round", () => {
    expect(mean([1, 2, 6])).toBe(3);
    expect(mean([])).toBeNull();
    expect(ratio(1, 4)).toBe(0.25);
    expect(ratio(1, 0)).toBeNull();
    expect(ratio(null, 2)).toBeNull();
    expect(tally([503, "503", 200, "network"])).toEqual({ 200: 1, 503: 2, network: 1 });
    expect(round(12.3456)).toBe(12.3);
    expect(round(1234.5)).toBe(1235);
    expect(round(null)).toBeNull();
  });
});
