/** `sputnik usage`: ledger totals in the terminal (a table), or as CSV / JSON for other tools. */
import type { SputnikEnv } from "../../core/config.ts";
import { formatAmount } from "../money.ts";
import { parseUsageQuery, queryUsage, toUsageCsv, toUsageJson } from "../usage/usage-report.ts";
import { openStore, renderTable, type StoreFlags } from "./store-flags.ts";

export interface UsageFlags extends StoreFlags {
  from?: string;
  to?: string;
  groupBy?: string;
  key?: string;
  /** `table` (default), `csv` or `json`. */
  format?: string;
}

export async function usageCommand(flags: UsageFlags, env: SputnikEnv = process.env, out: (text: string) => void = (t) => process.stdout.write(t)): Promise<void> {
  const query = parseUsageQuery({ from: flags.from, to: flags.to, groupBy: flags.groupBy, keyId: flags.key }, Date.now());
  await using database = await openStore(flags, env);
  const rows = await queryUsage(database.db, query);
  if (flags.format === "csv") return out(toUsageCsv(rows, query.groupBy));
  if (flags.format === "json") return out(`${JSON.stringify(toUsageJson(rows, query.groupBy), null, 2)}\n`);
  const header = [query.groupBy, ...(query.groupBy === "key" ? ["name"] : []), "requests", "cache hit", "cache miss", "completion", "reasoning", "cost"];
  const body = rows.map((row) => [
    row.group,
    ...(query.groupBy === "key" ? [row.name ?? ""] : []),
    String(row.requests),
    String(row.promptCacheHitTokens),
    String(row.promptCacheMissTokens),
    String(row.completionTokens),
    String(row.reasoningTokens),
    `${formatAmount(row.costMicros)} ${row.currency}`,
  ]);
  const range = `${new Date(query.from).toISOString()} – ${new Date(query.to).toISOString()}`;
  out(rows.length === 0 ? `No usage from ${range}.\n` : `Usage ${range}, by ${query.groupBy}:\n${renderTable(header, body)}\n`);
}
