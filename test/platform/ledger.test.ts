/**
 * The ledger on both stores: one row per request with exact integer costs (cache hits priced
 * apart), also for requests that disconnect mid-stream, fail part-way, or are refused before they
 * run — billed for what they used, once — and balances that move by exactly the ledger's costs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usageCommand } from "../../src/platform/cli/usage-command.ts";
import { costMicros, type ModelPrice } from "../../src/platform/money.ts";
import { PriceTable } from "../../src/platform/prices/price-table.ts";
import type { RunningServer } from "../../src/server.ts";
import { startAppServer } from "./helpers/app-server.ts";
import { createTestStore, DIALECTS, type TestStore } from "./helpers/databases.ts";
import { call, chat, client, startPlatformServer } from "./helpers/platform-server.ts";
import { openStream } from "./helpers/stream.ts";

// Odd prices, so a swapped or truncated term shows up in the last digit.
const PRICE: ModelPrice = { currency: "USD", inputCacheHitMicros: 123_457_000, inputCacheMissMicros: 1_234_567_891, outputMicros: 9_876_543_219 };
const PRICES = { models: { chatml: { currency: "USD", input_cache_hit: "123.457", input_cache_miss: "1234.567891", output: "9876.543219" } } } as const;

describe.each(DIALECTS)("ledger and balance (%s)", (dialect) => {
  let store: TestStore;
  let server: RunningServer;
  let key: string;
  let keyId: string;

  beforeAll(async () => {
    store = await createTestStore(dialect);
    server = await startPlatformServer(store, { prices: PRICES, parallel: 1 });
    const created = await server.platform.keys.create({ name: "billing", balanceMicros: 100_000_000, currency: "USD" });
    key = created.token;
    keyId = created.key.id;
  });
  afterAll(async () => {
    await server?.close(0);
    await store?.dispose();
  });

  const ledgerRow = (id: string) => server.platform.database.db.selectFrom("usage_ledger").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  const keyRow = () => server.platform.database.db.selectFrom("api_keys").selectAll().where("id", "=", keyId).executeTakeFirstOrThrow();

  it("charges cache hits, misses and output exactly, and the balance moves by exactly the ledger's cost", async () => {
    const before = (await keyRow()).balance_micros!;
    const body = chat("The same long prompt, twice, so the second one hits the prefix cache.", { max_tokens: 5 });
    const first = await client(server, key).chat.completions.create(body as never);
    const second = await client(server, key).chat.completions.create(body as never);
    const costs = [];
    for (const response of [first, second]) {
      const usage = response.usage as unknown as Record<string, number>;
      const { costMicros: settled } = await server.platform.settlements.whenSettled(response.id);
      const row = await ledgerRow(response.id);
      expect(row).toMatchObject({
        key_id: keyId,
        model: "chatml",
        status: "completed",
        finish_reason: "length",
        prompt_cache_hit_tokens: usage.prompt_cache_hit_tokens,
        prompt_cache_miss_tokens: usage.prompt_cache_miss_tokens,
        completion_tokens: 5,
        reasoning_tokens: 0,
        currency: "USD",
      });
      const expected = Number(
        (BigInt(usage.prompt_cache_hit_tokens) * 123_457_000n + BigInt(usage.prompt_cache_miss_tokens) * 1_234_567_891n + 5n * 9_876_543_219n + 500_000n) / 1_000_000n,
      );
      expect(row.cost_micros).toBe(expected);
      expect(settled).toBe(expected);
      expect(row.latency_ms).toBeGreaterThanOrEqual(0);
      costs.push(expected);
    }
    expect((second.usage as unknown as Record<string, number>).prompt_cache_hit_tokens).toBeGreaterThan(0);
    const after = await keyRow();
    expect(after.balance_micros).toBe(before - costs[0] - costs[1]);
    expect(after.reserved_micros).toBe(0);

    const balance = await call(server, "GET", "/user/balance", { key });
    expect(balance.body).toEqual({
      is_available: true,
      balance_infos: [{ currency: "USD", total_balance: expect.any(String), granted_balance: "0.00", topped_up_balance: expect.any(String) }],
    });
    expect(Math.round(Number(balance.body.balance_infos[0].total_balance) * 1e6)).toBe(after.balance_micros);
  });

  it("bills a stream that the client abandons for the tokens generated, once, and releases its reservation", async () => {
    const before = await keyRow();
    const stream = await openStream(server.url, chat("talk for a while", { max_tokens: 300 }), key);
    expect((await ledgerRow(stream.id)).status).toBe("pending");
    expect((await keyRow()).reserved_micros).toBeGreaterThan(0);
    await stream.frames(3);
    stream.abort();
    const settled = await server.platform.settlements.whenSettled(stream.id);
    const row = await ledgerRow(stream.id);
    expect(row.status).toBe("cancelled");
    expect(row.completion_tokens).toBeGreaterThanOrEqual(2);
    expect(row.completion_tokens).toBeLessThan(300);
    const expected = costMicros(PRICE, { cacheHitTokens: row.prompt_cache_hit_tokens, cacheMissTokens: row.prompt_cache_miss_tokens, outputTokens: row.completion_tokens });
    expect(row.cost_micros).toBe(expected);
    expect(settled.costMicros).toBe(expected);
    const after = await keyRow();
    expect(after.balance_micros).toBe(before.balance_micros! - expected);
    expect(after.reserved_micros).toBe(0);
    const rows = await server.platform.database.db.selectFrom("usage_ledger").select("id").where("id", "=", stream.id).execute();
    expect(rows).toHaveLength(1);
  });

  it("records a request refused before it runs as rejected, charging nothing", async () => {
    const before = await keyRow();
    const response = await call(server, "POST", "/v1/chat/completions", { key, body: chat("x ".repeat(600)) });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("context_length_exceeded");
    await server.platform.settlements.drain();
    const rows = await server.platform.database.db.selectFrom("usage_ledger").selectAll().where("status", "=", "rejected").execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ key_id: keyId, cost_micros: 0, completion_tokens: 0 });
    expect(await keyRow()).toMatchObject({ balance_micros: before.balance_micros, reserved_micros: 0 });
  });

  it("reports usage by key, model and day as JSON and CSV", async () => {
    const admin = (await server.platform.keys.create({ name: "admin, \"quoted\"", scopes: ["chat", "admin"] })).token;
    const byKey = await call(server, "GET", "/admin/usage?group_by=key", { key: admin });
    expect(byKey.status).toBe(200);
    const rows = await server.platform.database.db.selectFrom("usage_ledger").selectAll().where("status", "!=", "pending").execute();
    const total = rows.reduce((sum, row) => sum + row.cost_micros, 0);
    expect(byKey.body.data).toEqual([
      expect.objectContaining({ key: keyId, name: "billing", currency: "USD", requests: rows.length, completion_tokens: rows.reduce((s, r) => s + r.completion_tokens, 0) }),
    ]);
    expect(Math.round(Number(byKey.body.data[0].cost) * 1e6)).toBe(total);
    const byModel = await call(server, "GET", "/admin/usage?group_by=model&format=csv", { key: admin });
    expect(byModel.headers.get("content-type")).toMatch(/text\/csv/);
    expect(byModel.body).toMatch(/^model,currency,requests,prompt_cache_hit_tokens,prompt_cache_miss_tokens,completion_tokens,reasoning_tokens,cost\r\nchatml,USD,\d+,/);
    const today = new Date().toISOString().slice(0, 10);
    const byDay = await call(server, "GET", `/admin/usage?from=${today}&to=${today}`, { key: admin, headers: { accept: "text/csv" } });
    expect(byDay.body).toContain(`\r\n${today},USD,${rows.length},`);
    expect((await call(server, "GET", "/admin/usage?from=2999-01-01", { key: admin })).status).toBe(400);
    for (const bad of ["group_by=key;drop table usage_ledger", "from=1' OR '1'='1", "to=2025-01-01T00:00:00Z'--"]) {
      const response = await call(server, "GET", `/admin/usage?${bad}`, { key: admin });
      expect(response.status).toBe(400);
    }
    const none = await call(server, "GET", `/admin/usage?group_by=key&key=${encodeURIComponent("' OR 1=1 --")}`, { key: admin });
    expect(none.body.data).toEqual([]);

    // The terminal view of the same numbers.
    let table = "";
    await usageCommand({ ...store.options, groupBy: "key" }, {}, (text) => (table += text));
    expect(table).toMatch(new RegExp(`${keyId}\\s+billing\\s+${rows.length}\\s`));
    expect(table).toContain(`${byKey.body.data[0].cost} USD`);
  });
});

describe.each(DIALECTS)("failures part-way (%s)", (dialect) => {
  it("bills a generation that fails after some tokens for exactly those tokens, as failed", async () => {
    await using store = await createTestStore(dialect);
    await using app = await startAppServer({ ...store.options, prices: new PriceTable(PRICES) }, { failAfterTokens: 3 });
    const { token, key } = await app.platform.keys.create({ name: "f", balanceMicros: 50_000_000 });
    const stream = await openStream(app.url, chat("this one breaks", { max_tokens: 50 }), token);
    const frames = await stream.rest();
    expect(frames.at(-2)).toContain('"error"');
    expect(frames.at(-1)).toBe("[DONE]");
    const settled = await app.platform.settlements.whenSettled(stream.id);
    const row = await app.platform.database.db.selectFrom("usage_ledger").selectAll().where("id", "=", stream.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: "failed", completion_tokens: 3, finish_reason: null });
    const expected = costMicros(PRICE, { cacheHitTokens: row.prompt_cache_hit_tokens, cacheMissTokens: row.prompt_cache_miss_tokens, outputTokens: 3 });
    expect(row.cost_micros).toBe(expected);
    expect(settled).toEqual({ costMicros: expected, applied: true });
    const after = await app.platform.database.db.selectFrom("api_keys").selectAll().where("id", "=", key.id).executeTakeFirstOrThrow();
    expect(after).toMatchObject({ balance_micros: 50_000_000 - expected, reserved_micros: 0 });
  });
});

describe("prices derived from --price-per-hour", () => {
  it("prices an unlisted model from the measured throughput, before it serves", async () => {
    await using store = await createTestStore("sqlite");
    await using server = await startPlatformServer(store, { pricePerHour: "3.6" });
    const price = server.platform.prices.priceFor("chatml");
    expect(price.currency).toBe("USD");
    expect(price.outputMicros).toBeGreaterThan(0);
    expect(price.inputCacheMissMicros).toBeGreaterThan(0);
    expect(price.inputCacheHitMicros).toBe(Math.round(price.inputCacheMissMicros / 10));
    const response = await client(server).chat.completions.create(chat("priced") as never);
    const settled = await server.platform.settlements.whenSettled(response.id);
    const usage = response.usage as unknown as Record<string, number>;
    expect(settled.costMicros).toBe(costMicros(price, { cacheHitTokens: usage.prompt_cache_hit_tokens, cacheMissTokens: usage.prompt_cache_miss_tokens, outputTokens: 4 }));
  });
});
