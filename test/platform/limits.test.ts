/**
 * Refusals before a request runs, on both stores: 402 when the balance or a budget cannot hold the
 * request's reservation (DeepSeek's `insufficient_balance`), 429 with `Retry-After` and
 * `x-ratelimit-*` for requests per minute, tokens per minute and concurrent requests.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CreateKeyInput } from "../../src/platform/keys/key-store.ts";
import type { RunningServer } from "../../src/server.ts";
import { createTestStore, DIALECTS, type TestStore } from "./helpers/databases.ts";
import { call, chat, startPlatformServer } from "./helpers/platform-server.ts";
import { openStream } from "./helpers/stream.ts";

// 1 USD per 1M tokens everywhere: a token costs exactly 1 micro-unit.
const PRICES = { models: { chatml: { input_cache_hit: 1, input_cache_miss: 1, output: 1 } } };

describe.each(DIALECTS)("balances, budgets and rate limits (%s)", (dialect) => {
  let store: TestStore;
  let server: RunningServer;
  const newKey = async (input: Omit<CreateKeyInput, "name">) => (await server.platform.keys.create({ name: "limited", ...input })).token;
  const post = (key: string, body = chat("hello")) => call(server, "POST", "/v1/chat/completions", { key, body });

  beforeAll(async () => {
    store = await createTestStore(dialect);
    server = await startPlatformServer(store, { prices: PRICES, parallel: 2 });
  });
  afterAll(async () => {
    await server?.close(0);
    await store?.dispose();
  });

  it("answers 402 insufficient_balance when the balance cannot hold prompt + max_tokens", async () => {
    const key = await newKey({ balanceMicros: 40 });
    const refused = await post(key, chat("hello", { max_tokens: 100 }));
    expect(refused.status).toBe(402);
    expect(refused.body.error).toMatchObject({ type: "insufficient_balance", code: "insufficient_balance" });
    expect(refused.body.error.message).toMatch(/available/);
    // A smaller max_tokens fits; spending drains it to the point of refusal.
    expect((await post(key, chat("hello", { max_tokens: 4 }))).status).toBe(200);
    await server.platform.settlements.drain();
    const balance = await call(server, "GET", "/user/balance", { key });
    expect(Number(balance.body.balance_infos[0].total_balance)).toBeLessThan(0.00004);
    expect(balance.body.balance_infos[0].currency).toBe("USD");
  });

  it("answers 402 when the daily or monthly budget is spent, and says which", async () => {
    const daily = await newKey({ dailyBudgetMicros: 60 });
    expect((await post(daily, chat("hi", { max_tokens: 4 }))).status).toBe(200);
    await server.platform.settlements.drain();
    let refused = await post(daily, chat("hi", { max_tokens: 40 }));
    expect(refused.status).toBe(402);
    expect(refused.body.error.code).toBe("daily_budget_exceeded");
    expect((await call(server, "GET", "/user/balance", { key: daily })).body).toEqual({ is_available: true, balance_infos: [] });

    const monthly = await newKey({ monthlyBudgetMicros: 10 });
    refused = await post(monthly, chat("hi", { max_tokens: 4 }));
    expect(refused.body.error.code).toBe("monthly_budget_exceeded");
  });

  it("refuses a model priced in another currency than the key's balance", async () => {
    const key = await newKey({ balanceMicros: 1_000_000, currency: "CNY" });
    const refused = await post(key);
    expect(refused.status).toBe(402);
    expect(refused.body.error.code).toBe("currency_mismatch");
  });

  it("answers 429 past the requests-per-minute limit, with Retry-After and x-ratelimit headers", async () => {
    const key = await newKey({ rpm: 2 });
    const first = await post(key);
    expect(first.status).toBe(200);
    expect(first.headers.get("x-ratelimit-limit-requests")).toBe("2");
    expect(first.headers.get("x-ratelimit-remaining-requests")).toBe("1");
    expect((await post(key)).headers.get("x-ratelimit-remaining-requests")).toBe("0");
    const refused = await post(key);
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ type: "rate_limit_error", code: "rate_limit_exceeded" });
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers.get("x-ratelimit-remaining-requests")).toBe("0");
    expect(refused.headers.get("x-ratelimit-reset-requests")).toBe(`${retryAfter}s`);
  });

  it("answers 429 past the tokens-per-minute limit, counting prompt + max_tokens while a request runs", async () => {
    const key = await newKey({ tpm: 120 });
    const ok = await post(key, chat("hi", { max_tokens: 40 }));
    expect(ok.status).toBe(200);
    expect(ok.headers.get("x-ratelimit-limit-tokens")).toBe("120");
    await server.platform.settlements.drain();
    const refused = await post(key, chat("hi", { max_tokens: 90 }));
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe("rate_limit_exceeded");
    expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);
    const never = await post(key, chat("hi", { max_tokens: 500 }));
    expect(never.body.error.code).toBe("tokens_exceed_limit");
  });

  it("answers 429 past max concurrent requests, and admits again once one ends", async () => {
    const key = await newKey({ maxConcurrent: 1 });
    const stream = await openStream(server.url, chat("long", { max_tokens: 400 }), key);
    const refused = await post(key);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe("concurrency_limit_exceeded");
    expect(refused.headers.get("retry-after")).toBe("1");
    stream.abort();
    await server.platform.settlements.whenSettled(stream.id);
    expect((await post(key)).status).toBe(200);
  });

  it("records the key on the pending row while the request runs", async () => {
    const key = await newKey({});
    const stream = await openStream(server.url, chat("who", { max_tokens: 400 }), key);
    const row = await server.platform.database.db.selectFrom("usage_ledger").select(["key_id", "status"]).where("id", "=", stream.id).executeTakeFirstOrThrow();
    stream.abort();
    expect(row.status).toBe("pending");
    expect(row.key_id).toMatch(/^key_/);
  });
});
