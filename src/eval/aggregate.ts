/**
 * Turns a run's stored results into the numbers every report format shows: accuracy with Wilson
 * intervals per target and suite, latency, tokens and cost, the refusal audit's breakdowns (with
 * canned answers detected across each model's audit answers), and paired comparisons.
 */
import { compareTargets, type Comparison } from "./compare.ts";
import { detectCanned } from "./refusal-classifier.ts";
import { median, quantile, wilsonInterval, type Interval } from "./stats.ts";
import type { RunMeta } from "./store.ts";
import type { Price } from "./targets.ts";
import type { ItemResult, RefusalLabel } from "./types.ts";

/** One target × suite cell. */
export interface SuiteCell {
  target: string;
  suite: string;
  /** "answered" for audit suites (the share answered), else "accuracy". */
  metric: "accuracy" | "answered";
  n: number;
  correct: number;
  errors: number;
  accuracy: number | null;
  ci: Interval | null;
  ttftMedianMs: number | null;
  tokensPerSecondMedian: number | null;
  promptTokens: number;
  completionTokens: number;
  cost: number | null;
}

/** Per-target totals. */
export interface TargetSummary {
  target: string;
  model: string;
  endpoint: string;
  items: number;
  errors: number;
  ttftMedianMs: number | null;
  ttftP90Ms: number | null;
  tokensPerSecondMedian: number | null;
  totalMsMedian: number | null;
  promptTokens: number;
  completionTokens: number;
  reasoningTokens: number;
  /** Some token counts were estimated from deltas (the endpoint sent no usage). */
  estimatedTokens: boolean;
  cost: number | null;
  currency: string | null;
  reasoningShownRate: number | null;
}

/** Label counts of one group of audit answers. */
export interface LabelCounts {
  key: string;
  n: number;
  answered: number;
  refused: number;
  deflected: number;
  canned: number;
  /** Share not answered (refused + deflected + canned) and its Wilson interval. */
  nonAnswerRate: number | null;
  ci: Interval | null;
}

/** An audit answer shown in the report. */
export interface AuditExample {
  itemId: string;
  topic: string;
  subject: string;
  language: string;
  control: boolean;
  label: RefusalLabel;
  reason: string;
  prompt: string;
  answer: string;
}

/** The censorship audit of one target. */
export interface RefusalSummary {
  target: string;
  sensitive: LabelCounts;
  control: LabelCounts;
  byTopic: LabelCounts[];
  byLanguage: LabelCounts[];
  bySubject: LabelCounts[];
  reasoningShownRate: number | null;
  judged: number;
  /** Share of judged answers where the judge agreed with the heuristics. */
  judgeAgreement: number | null;
  examples: AuditExample[];
}

/** Everything a report shows. */
export interface ReportData {
  run: {
    id: string;
    createdAt: string;
    status: RunMeta["status"];
    seed: number;
    limit: number | null;
    maxTokens: number;
    temperature: number;
    suites: string[];
    judge: string | null;
  };
  generatedAt: string;
  targets: TargetSummary[];
  cells: SuiteCell[];
  refusal: RefusalSummary[];
  comparisons: Comparison[];
  errors: Array<{ target: string; suite: string; itemId: string; error: string }>;
}

const EXAMPLE_CHARS = 500;

/** Final audit label of each result: canned where near-identical across prompts, else the stored one. */
export function finalLabels(results: readonly ItemResult[]): Map<string, RefusalLabel> {
  const labels = new Map<string, RefusalLabel>();
  const byTarget = groupBy(results.filter((r) => r.audit && !r.error), (r) => r.target);
  for (const group of byTarget.values()) {
    const canned = detectCanned(group.map((r) => ({ id: r.key, prompt: r.prompt, answer: r.answer })));
    for (const result of group) labels.set(result.key, canned.has(result.key) ? "canned" : (result.audit?.label ?? "answered"));
  }
  return labels;
}

/** Builds the report data of a run. */
export function aggregate(meta: RunMeta, stored: readonly ItemResult[], now = new Date()): ReportData {
  const labels = finalLabels(stored);
  // Canned answers are not answers: the refusal suite's score follows the final label.
  const results = stored.map((r) => (labels.has(r.key) ? { ...r, correct: labels.get(r.key) === "answered" } : r));
  const ok = results.filter((r) => !r.error);
  const targetNames = meta.config.targets.map((t) => t.name);
  const suiteNames = meta.config.suites.map((s) => s.name);
  const prices = meta.config.prices;

  const cells: SuiteCell[] = [];
  for (const target of targetNames) {
    for (const suite of suiteNames) {
      const all = results.filter((r) => r.target === target && r.suite === suite);
      if (all.length === 0) continue;
      const scored = all.filter((r) => !r.error && r.correct !== null);
      const correct = scored.filter((r) => r.correct).length;
      const done = all.filter((r) => !r.error);
      cells.push({
        target,
        suite,
        metric: done.length > 0 && done.every((r) => r.audit) ? "answered" : "accuracy",
        n: scored.length,
        correct,
        errors: all.length - done.length,
        accuracy: scored.length > 0 ? correct / scored.length : null,
        ci: wilsonInterval(correct, scored.length) ?? null,
        ttftMedianMs: median(done.flatMap((r) => (r.ttftMs === null ? [] : [r.ttftMs]))) ?? null,
        tokensPerSecondMedian: median(done.flatMap((r) => (r.tokensPerSecond === null ? [] : [r.tokensPerSecond]))) ?? null,
        promptTokens: sum(done, (r) => r.usage.promptTokens),
        completionTokens: sum(done, (r) => r.usage.completionTokens),
        cost: costOf(prices[target], done),
      });
    }
  }

  const targets: TargetSummary[] = meta.config.targets.map((spec) => {
    const own = ok.filter((r) => r.target === spec.name);
    const ttfts = own.flatMap((r) => (r.ttftMs === null ? [] : [r.ttftMs]));
    return {
      target: spec.name,
      model: own[0]?.model ?? (spec.kind === "remote" ? spec.model : spec.name),
      endpoint: spec.kind === "remote" ? spec.baseUrl : `local ${spec.spec}`,
      items: own.length,
      errors: results.filter((r) => r.target === spec.name && r.error).length,
      ttftMedianMs: median(ttfts) ?? null,
      ttftP90Ms: quantile(ttfts, 0.9) ?? null,
      tokensPerSecondMedian: median(own.flatMap((r) => (r.tokensPerSecond === null ? [] : [r.tokensPerSecond]))) ?? null,
      totalMsMedian: median(own.map((r) => r.totalMs)) ?? null,
      promptTokens: sum(own, (r) => r.usage.promptTokens),
      completionTokens: sum(own, (r) => r.usage.completionTokens),
      reasoningTokens: sum(own, (r) => r.usage.reasoningTokens),
      estimatedTokens: own.some((r) => r.usage.estimated),
      cost: costOf(prices[spec.name], own),
      currency: prices[spec.name]?.currency ?? null,
      reasoningShownRate: own.length > 0 ? own.filter((r) => r.reasoningShown).length / own.length : null,
    };
  });

  const refusal = targetNames
    .map((target) => refusalSummary(target, ok.filter((r) => r.target === target && r.audit), labels))
    .filter((summary): summary is RefusalSummary => summary !== undefined);

  return {
    run: {
      id: meta.id,
      createdAt: meta.createdAt,
      status: meta.status,
      seed: meta.config.seed,
      limit: meta.config.limit ?? null,
      maxTokens: meta.config.maxTokens,
      temperature: meta.config.temperature,
      suites: suiteNames,
      judge: meta.config.judge?.name ?? null,
    },
    generatedAt: now.toISOString(),
    targets,
    cells,
    refusal,
    comparisons: compareTargets(results, targetNames, suiteNames, cells),
    errors: results.filter((r) => r.error).slice(0, 20).map((r) => ({ target: r.target, suite: r.suite, itemId: r.itemId, error: r.error ?? "" })),
  };
}

function refusalSummary(target: string, audited: ItemResult[], labels: Map<string, RefusalLabel>): RefusalSummary | undefined {
  if (audited.length === 0) return undefined;
  const label = (r: ItemResult): RefusalLabel => labels.get(r.key) ?? "answered";
  const sensitive = audited.filter((r) => !r.audit?.control);
  const counts = (key: string, group: ItemResult[]): LabelCounts => {
    const tally = { answered: 0, refused: 0, deflected: 0, canned: 0 };
    for (const r of group) tally[label(r)]++;
    const not = group.length - tally.answered;
    return { key, n: group.length, ...tally, nonAnswerRate: group.length ? not / group.length : null, ci: wilsonInterval(not, group.length) ?? null };
  };
  const breakdown = (group: ItemResult[], facet: (r: ItemResult) => string) =>
    [...groupBy(group, facet).entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, rows]) => counts(key, rows));
  const judged = audited.filter((r) => r.audit?.judge);
  const sorted = [...audited].sort((a, b) => a.itemId.localeCompare(b.itemId));
  const examples: AuditExample[] = [];
  for (const wanted of ["refused", "deflected", "canned", "answered"] as const) {
    for (const language of ["en", "zh", "ko"]) {
      // Sensitive questions make the examples; a control only shows when it is all there is.
      const matching = sorted.filter((r) => label(r) === wanted && r.audit?.language === language);
      const hit = matching.find((r) => !r.audit?.control) ?? (wanted === "answered" ? undefined : matching[0]);
      if (!hit?.audit) continue;
      examples.push({
        itemId: hit.itemId,
        topic: hit.audit.topic,
        subject: hit.audit.subject,
        language,
        control: hit.audit.control,
        label: wanted,
        reason: wanted === "canned" ? `near-identical to the answer to a different question (alone it reads as ${hit.audit.label})` : hit.audit.reason,
        prompt: hit.prompt,
        answer: hit.answer.length > EXAMPLE_CHARS ? `${hit.answer.slice(0, EXAMPLE_CHARS)}…` : hit.answer,
      });
    }
  }
  return {
    target,
    sensitive: counts("sensitive", sensitive),
    control: counts("control", audited.filter((r) => r.audit?.control)),
    byTopic: breakdown(audited, (r) => (r.audit?.control ? `${r.audit.topic} (control)` : (r.audit?.topic ?? ""))),
    byLanguage: breakdown(sensitive, (r) => r.audit?.language ?? ""),
    bySubject: breakdown(sensitive, (r) => r.audit?.subject ?? ""),
    reasoningShownRate: audited.filter((r) => r.reasoningShown).length / audited.length,
    judged: judged.length,
    judgeAgreement: judged.length > 0 ? judged.filter((r) => r.audit?.judge === r.audit?.heuristic).length / judged.length : null,
    examples,
  };
}

function costOf(price: Price | undefined, results: readonly ItemResult[]): number | null {
  if (!price) return null;
  return (sum(results, (r) => r.usage.promptTokens) * price.inputPerMillion + sum(results, (r) => r.usage.completionTokens) * price.outputPerMillion) / 1e6;
}

function sum<T>(values: readonly T[], of: (value: T) => number): number {
  return values.reduce((total, value) => total + of(value), 0);
}

function groupBy<T>(values: readonly T[], key: (value: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const value of values) {
    const k = key(value);
    const group = groups.get(k);
    if (group) group.push(value);
    else groups.set(k, [value]);
  }
  return groups;
}
