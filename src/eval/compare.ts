/**
 * "Is A really better than B here?" For every suite and every pair of targets: the items both
 * answered, who won each one, McNemar's exact test on the discordant items, a paired bootstrap
 * interval of the accuracy difference, and one sentence that says what that means.
 */
import { mcnemarExact, pairedBootstrap, type Interval } from "./stats.ts";
import type { ItemResult } from "./types.ts";

/** A paired comparison on one suite. `a` is the target with the higher score on the shared items. */
export interface Comparison {
  suite: string;
  a: string;
  b: string;
  metric: "accuracy" | "answered";
  /** Items both targets answered without error. */
  n: number;
  bothRight: number;
  /** Items only A got right (A's wins). */
  aOnly: number;
  /** Items only B got right (A's losses). */
  bOnly: number;
  bothWrong: number;
  accuracyA: number;
  accuracyB: number;
  pValue: number;
  /** Bootstrap 95 % interval of accuracy(A) − accuracy(B). */
  difference: Interval & { mean: number };
  significant: boolean;
  verdict: string;
}

const ALPHA = 0.05;

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

/** Formats a p-value the way a reader can take in at a glance. */
export function formatP(p: number): string {
  if (p < 0.001) return "p < 0.001";
  return `p = ${p < 0.01 ? p.toFixed(3) : p.toFixed(2)}`;
}

/** Compares two targets on one suite; undefined when they share no scored item. */
export function comparePair(results: readonly ItemResult[], suite: string, first: string, second: string, metric: Comparison["metric"] = "accuracy"): Comparison | undefined {
  const scored = (target: string) =>
    new Map(results.filter((r) => r.target === target && r.suite === suite && !r.error && r.correct !== null).map((r) => [r.itemId, r.correct === true]));
  const x = scored(first);
  const y = scored(second);
  const pairs: Array<[number, number]> = [];
  for (const [id, right] of x) {
    const other = y.get(id);
    if (other !== undefined) pairs.push([right ? 1 : 0, other ? 1 : 0]);
  }
  if (pairs.length === 0) return undefined;
  const n = pairs.length;
  const count = (fa: number, fb: number) => pairs.filter(([pa, pb]) => pa === fa && pb === fb).length;
  const firstRight = pairs.filter(([pa]) => pa === 1).length;
  const secondRight = pairs.filter(([, pb]) => pb === 1).length;
  // Orient so that A is the one ahead; a tie keeps the given order.
  const swap = secondRight > firstRight;
  const [a, b] = swap ? [second, first] : [first, second];
  const oriented = swap ? pairs.map(([pa, pb]) => [pb, pa] as const) : pairs;
  const aOnly = swap ? count(0, 1) : count(1, 0);
  const bOnly = swap ? count(1, 0) : count(0, 1);
  const pValue = mcnemarExact(aOnly, bOnly);
  const comparison: Comparison = {
    suite,
    a,
    b,
    metric,
    n,
    bothRight: count(1, 1),
    aOnly,
    bOnly,
    bothWrong: count(0, 0),
    accuracyA: (swap ? secondRight : firstRight) / n,
    accuracyB: (swap ? firstRight : secondRight) / n,
    pValue,
    difference: pairedBootstrap(oriented, 2000, n),
    significant: pValue < ALPHA,
    verdict: "",
  };
  comparison.verdict = verdictSentence(comparison);
  return comparison;
}

/** The one-sentence answer to "is A really better than B on this suite?". */
export function verdictSentence(c: Omit<Comparison, "verdict">): string {
  const what = c.metric === "answered" ? "answers more of the audit questions than" : "is better than";
  const scores = `${pct(c.accuracyA)} vs ${pct(c.accuracyB)} on the same ${c.n} items`;
  const record = `${c.a} wins ${c.aOnly} and loses ${c.bOnly} (McNemar exact ${formatP(c.pValue)})`;
  if (c.aOnly === 0 && c.bOnly === 0) {
    return `On ${c.suite}, ${c.a} and ${c.b} cannot be told apart: they agree on every one of the same ${c.n} items (both ${pct(c.accuracyA)}).`;
  }
  if (c.aOnly === c.bOnly) {
    return `On ${c.suite}, neither is better: ${c.a} and ${c.b} both score ${pct(c.accuracyA)} on the same ${c.n} items, each winning ${c.aOnly} items the other loses.`;
  }
  if (c.significant) {
    return `On ${c.suite}, yes: ${c.a} ${what} ${c.b} — ${scores}; ${record}, so the gap is unlikely to be chance.`;
  }
  return `On ${c.suite}, not shown: ${c.a} ${what} ${c.b} only by ${scores}; ${record}, so the gap could be chance — more items would tell.`;
}

/** Every pair of targets on every suite. */
export function compareTargets(
  results: readonly ItemResult[],
  targets: readonly string[],
  suites: readonly string[],
  cells: ReadonlyArray<{ target: string; suite: string; metric: Comparison["metric"] }>,
): Comparison[] {
  const comparisons: Comparison[] = [];
  for (const suite of suites) {
    const metric = cells.find((cell) => cell.suite === suite)?.metric ?? "accuracy";
    for (let i = 0; i < targets.length; i++) {
      for (let j = i + 1; j < targets.length; j++) {
        const comparison = comparePair(results, suite, targets[i], targets[j], metric);
        if (comparison) comparisons.push(comparison);
      }
    }
  }
  return comparisons;
}
