import { describe, expect, it } from "vitest";
import { comparePair } from "./compare.ts";
import { mcnemarExact, median, pairedBootstrap, quantile, wilsonInterval } from "./stats.ts";
import type { ItemResult } from "./types.ts";

describe("wilsonInterval", () => {
  it("matches published values", () => {
    // 5/10: the textbook example, [0.2366, 0.7634].
    const half = wilsonInterval(5, 10);
    expect(half?.low).toBeCloseTo(0.2366, 4);
    expect(half?.high).toBeCloseTo(0.7634, 4);
    // 0/10 does not collapse to [0, 0] as the normal approximation would.
    const none = wilsonInterval(0, 10);
    expect(none?.low).toBe(0);
    expect(none?.high).toBeCloseTo(0.2775, 4);
    const all = wilsonInterval(20, 20);
    expect(all?.high).toBe(1);
    expect(all?.low).toBeCloseTo(0.8389, 4);
  });

  it("is undefined without items", () => {
    expect(wilsonInterval(0, 0)).toBeUndefined();
  });
});

describe("mcnemarExact", () => {
  it("computes two-sided binomial p-values", () => {
    expect(mcnemarExact(10, 0)).toBeCloseTo(2 / 1024, 10);
    expect(mcnemarExact(6, 1)).toBeCloseTo((2 * (1 + 7)) / 128, 10);
    expect(mcnemarExact(1, 6)).toBeCloseTo(mcnemarExact(6, 1), 12);
    expect(mcnemarExact(5, 5)).toBe(1);
    expect(mcnemarExact(0, 0)).toBe(1);
  });

  it("does not underflow on thousands of discordant items", () => {
    const p = mcnemarExact(1500, 1400);
    expect(p).toBeGreaterThan(0.01);
    expect(p).toBeLessThan(0.1);
    expect(mcnemarExact(3000, 100)).toBeGreaterThanOrEqual(0);
  });
});

describe("pairedBootstrap", () => {
  it("is reproducible and brackets the mean difference", () => {
    const pairs: Array<[number, number]> = Array.from({ length: 40 }, (_, i) => [i % 4 === 0 ? 0 : 1, i % 2]);
    const first = pairedBootstrap(pairs, 500, 7);
    const second = pairedBootstrap(pairs, 500, 7);
    expect(first).toEqual(second);
    expect(first.mean).toBeCloseTo(0.25, 10);
    expect(first.low).toBeLessThan(first.mean);
    expect(first.high).toBeGreaterThan(first.mean);
  });
});

describe("quantiles", () => {
  it("interpolates", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([1, 2, 3, 4])).toBe(2.5);
    expect(quantile([0, 10], 0.9)).toBeCloseTo(9, 10);
    expect(median([])).toBeUndefined();
  });
});

describe("comparePair", () => {
  const result = (target: string, itemId: string, correct: boolean): ItemResult =>
    ({ key: `${target}/${itemId}`, target, suite: "math", itemId, correct }) as ItemResult;

  it("says yes when one model wins clearly on the same items", () => {
    const results = Array.from({ length: 30 }, (_, i) => [result("big", `q${i}`, i < 25), result("small", `q${i}`, i < 8)]).flat();
    const c = comparePair(results, "math", "small", "big");
    expect(c?.a).toBe("big");
    expect(c?.aOnly).toBe(17);
    expect(c?.bOnly).toBe(0);
    expect(c?.significant).toBe(true);
    expect(c?.verdict).toMatch(/^On math, yes: big is better than small/);
  });

  it("says the gap could be chance when it is small", () => {
    const results = Array.from({ length: 10 }, (_, i) => [result("a", `q${i}`, i < 6), result("b", `q${i}`, i < 5)]).flat();
    const c = comparePair(results, "math", "a", "b");
    expect(c?.significant).toBe(false);
    expect(c?.pValue).toBe(1);
    expect(c?.verdict).toContain("could be chance");
  });

  it("pairs only items both answered", () => {
    const results = [result("a", "q1", true), result("b", "q2", false)];
    expect(comparePair(results, "math", "a", "b")).toBeUndefined();
  });
});
