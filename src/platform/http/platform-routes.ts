/**
 * The platform's HTTP routes: key administration and usage (`/admin/*`, admin scope) and DeepSeek's
 * `GET /user/balance` (any key). All behind the app's authenticate middleware.
 */
import { Hono, type Context } from "hono";
import { SputnikError, toSputnikError } from "../../core/errors.ts";
import { readJsonBody } from "../../protocol/http/read-json-body.ts";
import { openAIErrorResponse } from "../../protocol/openai/errors.ts";
import { getPrincipal } from "../auth/principal.ts";
import { requireAuth } from "../auth/require-auth.ts";
import { parseCreateKey, toKeyJson } from "../keys/key-input.ts";
import type { KeyStore } from "../keys/key-store.ts";
import { dayStart, monthStart } from "../ledger/periods.ts";
import { formatAmount } from "../money.ts";
import { keyOfRequest } from "../request-state.ts";
import { storeUnavailable } from "../store/store-errors.ts";
import type { Kysely } from "kysely";
import type { DatabaseSchema } from "../store/schema.ts";
import { parseUsageQuery, queryUsage, toUsageCsv, toUsageJson } from "../usage/usage-report.ts";

export interface PlatformRoutesDeps {
  db: Kysely<DatabaseSchema>;
  keys: KeyStore;
  /** Clock in epoch ms. Defaults to `Date.now`. */
  now?: () => number;
}

/** Admin bodies are tiny; anything bigger is refused before parsing. */
const MAX_ADMIN_BODY_BYTES = 16 * 1024;

export function platformRoutes(deps: PlatformRoutesDeps): Hono {
  const now = deps.now ?? Date.now;
  const app = new Hono();
  app.onError((error) => openAIErrorResponse(toSputnikError(storeUnavailable(error))));

  app.use("/admin/*", requireAuth({ scope: "admin" }));

  app.get("/admin/keys", async (c) => c.json({ object: "list", data: (await deps.keys.list()).map(toKeyJson) }));

  app.post("/admin/keys", async (c) => {
    const input = parseCreateKey(await readJsonBody(c, MAX_ADMIN_BODY_BYTES), now());
    const { token, key } = await deps.keys.create(input);
    // The only time the key itself is ever sent: it is not stored.
    return c.json({ ...toKeyJson(key), key: token }, 201);
  });

  app.delete("/admin/keys/:id", async (c) => {
    const id = c.req.param("id");
    if (!(await deps.keys.revoke(id))) {
      throw new SputnikError(`No active API key with id ${JSON.stringify(id.slice(0, 80))}.`, { status: 404, type: "not_found_error", code: "key_not_found" });
    }
    return c.json({ id, object: "api_key", revoked: true });
  });

  app.get("/admin/usage", async (c) => {
    const query = parseUsageQuery({ from: c.req.query("from"), to: c.req.query("to"), groupBy: c.req.query("group_by"), keyId: c.req.query("key") }, now());
    const rows = await queryUsage(deps.db, query);
    const csv = c.req.query("format") === "csv" || (c.req.query("format") === undefined && (c.req.header("accept") ?? "").includes("text/csv"));
    if (csv) return c.body(toUsageCsv(rows, query.groupBy), 200, { "Content-Type": "text/csv; charset=utf-8" });
    return c.json({
      object: "usage",
      from: new Date(query.from).toISOString(),
      to: new Date(query.to).toISOString(),
      group_by: query.groupBy,
      data: toUsageJson(rows, query.groupBy),
    });
  });

  const balance = async (c: Context) => c.json(await balanceOf(c, deps, now()));
  app.get("/user/balance", balance);
  app.get("/v1/user/balance", balance);
  return app;
}

/**
 * DeepSeek's balance shape. Sputnik has one prepaid balance per key, reported as topped up
 * (granted is always 0). Keys without a prepaid balance, and local callers, report no balances and
 * are available unless a budget is spent.
 */
async function balanceOf(c: Context, deps: PlatformRoutesDeps, now: number) {
  const principal = getPrincipal(c);
  if (principal.local || !principal.keyId) return { is_available: true, balance_infos: [] };
  const key = (await deps.keys.get(principal.keyId)) ?? keyOfRequest(c);
  if (!key) return { is_available: false, balance_infos: [] };
  const spent = await deps.db
    .selectFrom("api_keys")
    .select(["day_start", "day_spent_micros", "month_start", "month_spent_micros"])
    .where("id", "=", key.id)
    .executeTakeFirstOrThrow();
  const daySpent = spent.day_start === dayStart(now) ? spent.day_spent_micros : 0;
  const monthSpent = spent.month_start === monthStart(now) ? spent.month_spent_micros : 0;
  const withinBudgets =
    (key.dailyBudgetMicros === null || daySpent + key.reservedMicros < key.dailyBudgetMicros) &&
    (key.monthlyBudgetMicros === null || monthSpent + key.reservedMicros < key.monthlyBudgetMicros);
  if (key.balanceMicros === null) return { is_available: withinBudgets, balance_infos: [] };
  const total = formatAmount(key.balanceMicros);
  return {
    is_available: withinBudgets && key.balanceMicros - key.reservedMicros > 0,
    balance_infos: [{ currency: key.currency, total_balance: total, granted_balance: "0.00", topped_up_balance: total }],
  };
}
