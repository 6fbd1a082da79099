/**
 * Exactness under concurrency: 50 requests at once against one prepaid balance never spend more
 * than it (each reservation is taken under the key's row lock and covers the request's worst
 * case), and two Sputnik instances sharing one PostgreSQL database share the balance, the limits,
 * revocations and the ledger.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/server.ts";
import { createTestStore, DIALECTS, type TestStore } from "./helpers/databases.ts";
import { call, chat, startPlatformServer } from "./helpers/platform-server.ts";

// 1 USD per 1M tokens: one token costs exactly one micro-unit, so costs are token counts.
const PRICES = { models: { chatml: { input_cache_hit: 1, input_cache_miss: 1, output: 1 } } };
const BALANCE = 600;

async function spendOf(server: RunningServer, keyId: string) {
  const db = server.platform.database.db;
  const rows = await db.selectFrom("usage_ledger").selectAll().where("key_id", "=", keyId).execute();
  const key = await db.selectFrom("api_keys").selectAll().where("id", "=", keyId).executeTakeFirstOrThrow();
  return { rows, key, spent: rows.reduce((sum, row) => sum + row.cost_micros, 0) };
}

describe.each(DIALECTS)("budget exactness (%s)", (dialect) => {
  let store: TestStore;
  let server: RunningServer;
  beforeAll(async () => {
    store = await createTestStore(dialect);
    server = await startPlatformServer(store, { prices: PRICES, parallel: 4, maxQueue: 64 });
  });
  afterAll(async () => {
    await server?.close(0);
    await store?.dispose();
  });

  it("50 parallel requests never spend more than the balance", async () => {
    const { token, key } = await server.platform.keys.create({ name: "burst", balanceMicros: BALANCE });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => call(server, "POST", "/v1/chat/completions", { key: token, body: chat(`request ${i}`, { max_tokens: 8 }) })),
    );
    await server.platform.settlements.drain();
    const statuses = results.map((r) => r.status);
    const served = statuses.filter((s) => s === 200).length;
    const refused = statuses.filter((s) => s === 402).length;
    expect(served + refused).toBe(50);
    const { rows, key: after, spent } = await spendOf(server, key.id);
    // Every admitted request has exactly one settled row; refused ones have none.
    expect(rows).toHaveLength(served);
    expect(rows.every((row) => row.status === "completed" && row.completion_tokens === 8)).toBe(true);
    expect(spent).toBeLessThanOrEqual(BALANCE);
    expect(after.balance_micros).toBe(BALANCE - spent);
    expect(after.reserved_micros).toBe(0);
    // Reservations are the real prompt + max_tokens, so all but less than one request's worth of
    // the balance can be used: each admitted request holds at most `reserved` until it settles.
    const reserved = Math.max(...rows.map((row) => row.reserved_micros));
    expect(served).toBeGreaterThan(BALANCE / reserved - 1);
    expect(rows.every((row) => row.cost_micros <= row.reserved_micros)).toBe(true);
    console.info(
      `[budget exactness, ${dialect}] balance ${BALANCE} µ: ${served} served, ${refused} refused with 402, spent ${spent} µ ` +
        `(${BALANCE - spent} left; reservation ${reserved} µ, actual ${rows[0].cost_micros} µ per request), overshoot ${Math.max(0, spent - BALANCE)} µ`,
    );
  });
});

describe.each(DIALECTS.filter((d) => d === "postgres"))("two instances on one database (%s)", (dialect) => {
  let store: TestStore;
  let a: RunningServer;
  let b: RunningServer;
  beforeAll(async () => {
    store = await createTestStore(dialect);
    [a, b] = await Promise.all([
      startPlatformServer(store, { prices: PRICES, parallel: 2, maxQueue: 64 }),
      startPlatformServer(store, { prices: PRICES, parallel: 2, maxQueue: 64 }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(0), b?.close(0)]);
    await store?.dispose();
  });

  it("share one balance exactly, and one ledger", async () => {
    const { token, key } = await a.platform.keys.create({ name: "shared", balanceMicros: BALANCE });
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => call(i % 2 ? a : b, "POST", "/v1/chat/completions", { key: token, body: chat(`shared ${i}`, { max_tokens: 8 }) })),
    );
    await Promise.all([a.platform.settlements.drain(), b.platform.settlements.drain()]);
    const served = results.filter((r) => r.status === 200).length;
    expect(served + results.filter((r) => r.status === 402).length).toBe(40);
    const { rows, key: after, spent } = await spendOf(b, key.id);
    expect(rows).toHaveLength(served);
    expect(new Set(rows.map((row) => row.instance_id))).toEqual(new Set([a.platform.instance.id, b.platform.instance.id]));
    expect(spent).toBeLessThanOrEqual(BALANCE);
    expect(after).toMatchObject({ balance_micros: BALANCE - spent, reserved_micros: 0 });
    console.info(`[budget exactness, two instances] balance ${BALANCE} µ: ${served} served across both, spent ${spent} µ, overshoot ${Math.max(0, spent - BALANCE)} µ`);

    // Usage seen from either instance includes both; a key revoked on one is refused by the other.
    const admin = (await b.platform.keys.create({ name: "admin", scopes: ["chat", "admin"] })).token;
    const usage = await call(a, "GET", "/admin/usage?group_by=key", { key: admin });
    expect(usage.body.data.find((row: { key: string }) => row.key === key.id).requests).toBe(served);
    expect((await call(a, "DELETE", `/admin/keys/${key.id}`, { key: admin })).status).toBe(200);
    expect((await call(b, "GET", "/v1/models", { key: token })).status).toBe(401);
  });

  it("share concurrency limits across instances", async () => {
    const { token } = await a.platform.keys.create({ name: "one-at-a-time", maxConcurrent: 1 });
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => call(i % 2 ? a : b, "POST", "/v1/chat/completions", { key: token, body: chat(`c ${i}`, { max_tokens: 16 }) })),
    );
    const served = results.filter((r) => r.status === 200).length;
    expect(served).toBeGreaterThanOrEqual(1);
    expect(results.filter((r) => r.status === 429).length).toBe(6 - served);
    // With one in flight at a time, the served requests never overlapped.
    await Promise.all([a.platform.settlements.drain(), b.platform.settlements.drain()]);
    const rows = await a.platform.database.db.selectFrom("usage_ledger").select(["created_at", "settled_at"]).where("key_id", "=", results.length ? (await a.platform.keys.list()).find((k) => k.name === "one-at-a-time")!.id : "").orderBy("created_at").execute();
    for (let i = 1; i < rows.length; i++) expect(rows[i].created_at).toBeGreaterThanOrEqual(rows[i - 1].settled_at!);
  });
});
