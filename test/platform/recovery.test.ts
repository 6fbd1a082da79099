/**
 * Crash consistency on both stores: a server killed with SIGKILL mid-request leaves a `pending`
 * row and a held reservation, never half a row; the restarted server finalizes it as
 * `interrupted` (charging nothing, releasing the reservation) before it serves, and completed
 * rows are untouched. Peers on other hosts are recovered after their heartbeat goes stale.
 */
import { describe, expect, it } from "vitest";
import { KeyStore } from "../../src/platform/keys/key-store.ts";
import { InstanceRegistry } from "../../src/platform/ledger/instance-registry.ts";
import { createTestStore, DIALECTS } from "./helpers/databases.ts";
import { startChildServer } from "./helpers/child-server.ts";
import { chat, call, startPlatformServer } from "./helpers/platform-server.ts";
import { openStream } from "./helpers/stream.ts";

const PRICES = { models: { chatml: { input_cache_hit: 1, input_cache_miss: 1, output: 1 } } };

describe.each(DIALECTS)("SIGKILL recovery (%s)", (dialect) => {
  it("finalizes the killed server's pending row as interrupted at restart, charging nothing twice", async () => {
    await using store = await createTestStore(dialect);
    let token: string;
    let keyId: string;
    {
      await using database = await store.open();
      ({ token, key: { id: keyId } } = await new KeyStore({ db: database.db }).create({ name: "crash", balanceMicros: 10_000 }));
    }
    const child = await startChildServer(store, PRICES);
    let completedId: string;
    let streamId: string;
    try {
      const done = await fetch(`${child.url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify(chat("finish me", { max_tokens: 3 })),
      });
      expect(done.status).toBe(200);
      completedId = ((await done.json()) as { id: string }).id;
      const stream = await openStream(child.url, chat("never finishes", { max_tokens: 400 }), token);
      streamId = stream.id;
      await stream.frames(3);
      child.child.kill("SIGKILL");
      expect(await child.exited).toBeNull();
    } finally {
      child.child.kill("SIGKILL");
    }

    const before = await (async () => {
      await using database = await store.open();
      const rows = await database.db.selectFrom("usage_ledger").selectAll().orderBy("created_at").execute();
      const key = await database.db.selectFrom("api_keys").selectAll().where("id", "=", keyId).executeTakeFirstOrThrow();
      return { rows, key };
    })();
    expect(before.rows.map((r) => [r.id, r.status])).toEqual([
      [completedId, "completed"],
      [streamId, "pending"],
    ]);
    const completedCost = before.rows[0].cost_micros;
    expect(completedCost).toBeGreaterThan(0);
    expect(before.key.reserved_micros).toBe(before.rows[1].reserved_micros);
    expect(before.key.balance_micros).toBe(10_000 - completedCost);

    await using restarted = await startPlatformServer(store, { prices: PRICES });
    const db = restarted.platform.database.db;
    const rows = await db.selectFrom("usage_ledger").selectAll().orderBy("created_at").execute();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toEqual(before.rows[0]);
    expect(rows[1]).toMatchObject({ id: streamId, status: "interrupted", cost_micros: 0, completion_tokens: 0, reserved_micros: before.rows[1].reserved_micros });
    expect(rows[1].settled_at).not.toBeNull();
    const key = await db.selectFrom("api_keys").selectAll().where("id", "=", keyId).executeTakeFirstOrThrow();
    expect(key).toMatchObject({ balance_micros: 10_000 - completedCost, reserved_micros: 0 });
    // The dead server is forgotten; the restarted one serves the key again.
    expect(await db.selectFrom("instances").select("id").execute()).toEqual([{ id: restarted.platform.instance.id }]);
    expect((await call(restarted, "POST", "/v1/chat/completions", { key: token, body: chat("again") })).status).toBe(200);
  });

  it("recovers a peer on another host once its heartbeat is stale, and never a live one", async () => {
    await using store = await createTestStore(dialect);
    await using database = await store.open();
    const { db } = database;
    let now = 1_000_000_000_000;
    const registry = new InstanceRegistry({ db, now: () => now, heartbeatMs: 0, staleAfterMs: 60_000 });
    await registry.start();
    const { key } = await new KeyStore({ db }).create({ name: "peer", balanceMicros: 100 });
    await db.updateTable("api_keys").set({ reserved_micros: 30 }).where("id", "=", key.id).execute();
    await db.insertInto("instances").values({ id: "peer", hostname: "elsewhere.example", pid: 1, started_at: now, heartbeat_at: now }).execute();
    await db
      .insertInto("usage_ledger")
      .values({
        ...{ id: "chatcmpl-peer", key_id: key.id, model: "m", status: "pending", finish_reason: null, currency: "USD", instance_id: "peer" },
        ...{ prompt_cache_hit_tokens: 0, prompt_cache_miss_tokens: 0, completion_tokens: 0, reasoning_tokens: 0, estimated_tokens: 30 },
        ...{ reserved_micros: 30, cost_micros: 0, latency_ms: null, created_at: now, settled_at: null },
      })
      .execute();

    now += 59_000;
    expect(await registry.heartbeat()).toBe(0);
    now += 2_000;
    expect(await registry.heartbeat()).toBe(1);
    expect(await db.selectFrom("usage_ledger").select("status").where("id", "=", "chatcmpl-peer").executeTakeFirstOrThrow()).toEqual({ status: "interrupted" });
    expect(await db.selectFrom("api_keys").select(["reserved_micros", "balance_micros"]).where("id", "=", key.id).executeTakeFirstOrThrow()).toEqual({ reserved_micros: 0, balance_micros: 100 });
    expect(await registry.heartbeat()).toBe(0);
    await registry.stop();
  });
});
