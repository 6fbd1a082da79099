/** Shapes `GET /admin/usage` rows for the charts: every day of the range (zeros included), costs per currency. */

export interface UsageRow {
  day?: string;
  model?: string;
  currency: string;
  requests: number;
  prompt_cache_hit_tokens: number;
  prompt_cache_miss_tokens: number;
  completion_tokens: number;
  reasoning_tokens: number;
  /** Decimal string, exact. */
  cost: string;
}

export interface DaySeries {
  days: string[];
  cached: number[];
  uncached: number[];
  completion: number[];
  /** Cost per day, per currency. */
  cost: Map<string, number[]>;
}

const DAY_MS = 86_400_000;

/** UTC days from `fromMs` to `toMs` inclusive, as `YYYY-MM-DD` (the ledger buckets by UTC day). */
export function daysBetween(fromMs: number, toMs: number): string[] {
  const days: string[] = [];
  for (let t = Math.floor(fromMs / DAY_MS) * DAY_MS; t <= toMs; t += DAY_MS) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

export function byDay(rows: readonly UsageRow[], days: readonly string[]): DaySeries {
  const index = new Map(days.map((d, i) => [d, i]));
  const zeros = () => days.map(() => 0);
  const series: DaySeries = { days: [...days], cached: zeros(), uncached: zeros(), completion: zeros(), cost: new Map() };
  for (const row of rows) {
    const i = row.day === undefined ? undefined : index.get(row.day);
    if (i === undefined) continue;
    series.cached[i] += row.prompt_cache_hit_tokens;
    series.uncached[i] += row.prompt_cache_miss_tokens;
    series.completion[i] += row.completion_tokens;
    if (!series.cost.has(row.currency)) series.cost.set(row.currency, zeros());
    (series.cost.get(row.currency) as number[])[i] += Number(row.cost);
  }
  return series;
}

export interface ModelTotals {
  model: string;
  requests: number;
  promptTokens: number;
  completionTokens: number;
  reasoningTokens: number;
  /** Per currency. */
  cost: Map<string, number>;
}

export function byModel(rows: readonly UsageRow[]): ModelTotals[] {
  const models = new Map<string, ModelTotals>();
  for (const row of rows) {
    const name = row.model ?? "?";
    const totals = models.get(name) ?? { model: name, requests: 0, promptTokens: 0, completionTokens: 0, reasoningTokens: 0, cost: new Map<string, number>() };
    totals.requests += row.requests;
    totals.promptTokens += row.prompt_cache_hit_tokens + row.prompt_cache_miss_tokens;
    totals.completionTokens += row.completion_tokens;
    totals.reasoningTokens += row.reasoning_tokens;
    totals.cost.set(row.currency, (totals.cost.get(row.currency) ?? 0) + Number(row.cost));
    models.set(name, totals);
  }
  return [...models.values()].sort((a, b) => b.promptTokens + b.completionTokens - (a.promptTokens + a.completionTokens));
}
