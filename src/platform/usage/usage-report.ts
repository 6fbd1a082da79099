/**
 * Usage totals from the ledger, grouped by key, model or UTC day, for `GET /admin/usage`, `sputnik
 * usage` and the web app's charts. Pending rows (cost not known yet) are left out; costs are summed
 * per currency, never across currencies.
 */
import { sql, type Kysely } from "kysely";
import { invalidRequest } from "../../core/errors.ts";
import { DAY_MS } from "../ledger/periods.ts";
import { formatAmount } from "../money.ts";
import type { DatabaseSchema } from "../store/schema.ts";

export const GROUP_BYS = ["key", "model", "day"] as const;
export type GroupBy = (typeof GROUP_BYS)[number];
/** Without `from`, reports cover this many days back. */
export const DEFAULT_REPORT_DAYS = 30;

export interface UsageQuery {
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
  groupBy: GroupBy;
  /** Only this key's rows. */
  keyId?: string;
}

export interface UsageRow {
  /** The key id (`local` for key-free requests), the model id, or the UTC day (`2025-01-31`). */
  group: string;
  /** The key's name, for `group_by=key`. */
  name?: string;
  currency: string;
  requests: number;
  promptCacheHitTokens: number;
  promptCacheMissTokens: number;
  completionTokens: number;
  reasoningTokens: number;
  costMicros: number;
}

export async function queryUsage(db: Kysely<DatabaseSchema>, query: UsageQuery): Promise<UsageRow[]> {
  const group =
    query.groupBy === "key"
      ? sql<string>`coalesce(usage_ledger.key_id, 'local')`
      : query.groupBy === "model"
        ? sql<string>`usage_ledger.model`
        : // Integer division: the same UTC day bucket in SQLite and PostgreSQL.
          // (a literal, not a parameter: PostgreSQL matches GROUP BY expressions textually).
          sql<string>`cast(usage_ledger.created_at / ${sql.lit(DAY_MS)} as bigint)`;
  // Sums of BIGINT are NUMERIC in PostgreSQL; cast back so both dialects return integers.
  const total = (column: string) => sql<number>`cast(coalesce(sum(${sql.ref(`usage_ledger.${column}`)}), 0) as bigint)`;
  let builder = db
    .selectFrom("usage_ledger")
    .select([
      group.as("grp"),
      "usage_ledger.currency",
      sql<number>`cast(count(*) as bigint)`.as("requests"),
      total("prompt_cache_hit_tokens").as("hit"),
      total("prompt_cache_miss_tokens").as("miss"),
      total("completion_tokens").as("completion"),
      total("reasoning_tokens").as("reasoning"),
      total("cost_micros").as("cost"),
    ])
    .where("usage_ledger.status", "!=", "pending")
    .where("usage_ledger.created_at", ">=", query.from)
    .where("usage_ledger.created_at", "<", query.to)
    .groupBy([group, "usage_ledger.currency"])
    .orderBy(group)
    .orderBy("usage_ledger.currency");
  if (query.keyId !== undefined) builder = builder.where("usage_ledger.key_id", "=", query.keyId);
  const rows = await builder.execute();
  const names =
    query.groupBy === "key" ? new Map((await db.selectFrom("api_keys").select(["id", "name"]).execute()).map((k) => [k.id, k.name])) : new Map<string, string>();
  return rows.map((row) => ({
    group: query.groupBy === "day" ? new Date(Number(row.grp) * DAY_MS).toISOString().slice(0, 10) : String(row.grp),
    ...(query.groupBy === "key" ? { name: String(row.grp) === "local" ? "local" : (names.get(String(row.grp)) ?? "") } : {}),
    currency: row.currency,
    requests: Number(row.requests),
    promptCacheHitTokens: Number(row.hit),
    promptCacheMissTokens: Number(row.miss),
    completionTokens: Number(row.completion),
    reasoningTokens: Number(row.reasoning),
    costMicros: Number(row.cost),
  }));
}

/** Parses `from`/`to`/`group_by` as given on the query string or the command line. */
export function parseUsageQuery(input: { from?: string; to?: string; groupBy?: string; keyId?: string }, now: number): UsageQuery {
  const groupBy = input.groupBy ?? "day";
  if (!(GROUP_BYS as readonly string[]).includes(groupBy)) throw invalidRequest(`group_by must be one of ${GROUP_BYS.join(", ")}.`, "group_by");
  const to = input.to === undefined ? now + 1 : parseTime(input.to, "to", true);
  const from = input.from === undefined ? to - DEFAULT_REPORT_DAYS * DAY_MS : parseTime(input.from, "from", false);
  if (from >= to) throw invalidRequest("from must be before to.", "from");
  return { from, to, groupBy: groupBy as GroupBy, keyId: input.keyId };
}

/** ISO date (`2025-01-31`, UTC; as `to` it means the end of that day) or date-time. */
export function parseTime(value: string, param: string, endOfDay: boolean): number {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const ms = /^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) ? Date.parse(dateOnly ? `${value}T00:00:00Z` : value) : Number.NaN;
  if (!Number.isFinite(ms)) throw invalidRequest(`${param} must be an ISO date (2025-01-31) or date-time (2025-01-31T12:00:00Z).`, param);
  return dateOnly && endOfDay ? ms + DAY_MS : ms;
}

export interface UsageRowJson {
  key?: string;
  name?: string;
  model?: string;
  day?: string;
  currency: string;
  requests: number;
  prompt_cache_hit_tokens: number;
  prompt_cache_miss_tokens: number;
  completion_tokens: number;
  reasoning_tokens: number;
  /** Decimal string, exact. */
  cost: string;
}

export function toUsageJson(rows: UsageRow[], groupBy: GroupBy): UsageRowJson[] {
  return rows.map((row) => ({
    [groupBy]: row.group,
    ...(row.name !== undefined ? { name: row.name } : {}),
    currency: row.currency,
    requests: row.requests,
    prompt_cache_hit_tokens: row.promptCacheHitTokens,
    prompt_cache_miss_tokens: row.promptCacheMissTokens,
    completion_tokens: row.completionTokens,
    reasoning_tokens: row.reasoningTokens,
    cost: formatAmount(row.costMicros),
  }));
}

/** RFC 4180 CSV; cells that a spreadsheet would run as formulas are prefixed with `'`. */
export function toUsageCsv(rows: UsageRow[], groupBy: GroupBy): string {
  const json = toUsageJson(rows, groupBy);
  const columns = [groupBy, ...(groupBy === "key" ? ["name"] : []), "currency", "requests", "prompt_cache_hit_tokens", "prompt_cache_miss_tokens", "completion_tokens", "reasoning_tokens", "cost"];
  const lines = [columns.join(",")];
  for (const row of json) lines.push(columns.map((column) => csvCell((row as unknown as Record<string, unknown>)[column])).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

function csvCell(value: unknown): string {
  let text = value === undefined || value === null ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
