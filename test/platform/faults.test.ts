/**
 * Storage faults on the SQLite store, each a real SQLite failure (no mocks): a database file the
 * server may not write stops start-up with a clear message; a database that turns read-only or a
 * disk that fills while serving refuses new requests with 503 `store_unavailable`, while requests
 * already running keep their ledger rows — their settlement is retried until the store is
 * writable again, and lands exactly once.
 */
import { spawn } from "node:child_process";
import { chmodSync } from "node:fs";
import path from "node:path";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { KeyStore } from "../../src/platform/keys/key-store.ts";
import { startAppServer } from "./helpers/app-server.ts";
import { BIN } from "./helpers/child-server.ts";
import { createTestStore } from "./helpers/databases.ts";
import { chat } from "./helpers/platform-server.ts";
import { openStream } from "./helpers/stream.ts";

const post = (url: string, body: unknown) => fetch(`${url}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe("storage faults (sqlite)", () => {
  it("refuses to start on a database file it cannot write, saying where and why", async () => {
    await using store = await createTestStore("sqlite");
    {
      await using database = await store.open();
      await new KeyStore({ db: database.db }).create({ name: "k" });
    }
    chmodSync(store.dataDir, 0o555);
    chmodSync(path.join(store.dataDir, "sputnik.db"), 0o444);
    // Root writes through file modes, so run the server as `nobody` when we are root.
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const child = spawn(process.execPath, [BIN, "serve", "--model", "/nonexistent.gguf", "--port", "0", "--data-dir", store.dataDir], {
      stdio: ["ignore", "ignore", "pipe"],
      env: { PATH: process.env.PATH, TMPDIR: "/tmp" },
      ...asNobody,
    });
    let log = "";
    child.stderr!.on("data", (chunk: Buffer) => (log += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    chmodSync(store.dataDir, 0o755);
    expect(code).toBe(1);
    expect(log).toContain(`Cannot open the SQLite database at ${path.join(store.dataDir, "sputnik.db")}`);
    expect(log).toMatch(/SQLITE_(READONLY|CANTOPEN)/);
    expect(log).toMatch(/writable by this user/);
    // It stopped before loading any model.
    expect(log).not.toMatch(/nonexistent/);
  });

  it("keeps the row of a request that completes while the store is read-only, and refuses new ones with 503", async () => {
    await using store = await createTestStore("sqlite");
    await using app = await startAppServer({ ...store.options, settleRetryDelaysMs: [20] });
    const { db } = app.platform.database;
    const stream = await openStream(app.url, chat("running when it breaks", { max_tokens: 6 }));

    await sql`pragma query_only = 1`.execute(db);
    const refused = await post(app.url, chat("refused"));
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("5");
    expect(await refused.json()).toEqual({ error: { message: expect.stringContaining("read-only"), type: "overloaded_error", param: null, code: "store_unavailable" } });

    const frames = await stream.rest();
    expect(frames.at(-1)).toBe("[DONE]");
    await app.platform.settlements.drain();
    expect(app.platform.settlements.backlog).toBe(1);

    await sql`pragma query_only = 0`.execute(db);
    const settled = await app.platform.settlements.whenSettled(stream.id);
    expect(settled.applied).toBe(true);
    const row = await db.selectFrom("usage_ledger").selectAll().where("id", "=", stream.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: "completed", completion_tokens: 6, finish_reason: "length" });
    expect(app.platform.settlements.backlog).toBe(0);
  });

  it("answers 503 'disk is full' when the database cannot grow, and recovers when it can", async () => {
    await using store = await createTestStore("sqlite");
    await using app = await startAppServer({ ...store.options, settleRetryDelaysMs: [20] });
    const { db } = app.platform.database;
    const pages = (await sql<{ page_count: number }>`pragma page_count`.execute(db)).rows[0].page_count;
    // The database may not grow past its current size: the next page it needs is a full disk.
    await sql.raw(`pragma max_page_count = ${pages}`).execute(db);
    let status = 200;
    let body: { error?: { message: string; code: string } } = {};
    let served = 0;
    for (let i = 0; i < 300 && status === 200; i++) {
      const response = await post(app.url, chat(`fill ${i}`, { max_tokens: 1 }));
      status = response.status;
      body = (await response.json()) as typeof body;
      if (status === 200) served++;
    }
    expect(status).toBe(503);
    expect(body.error).toMatchObject({ code: "store_unavailable", message: expect.stringContaining("disk is full") });
    await app.platform.settlements.drain();

    await sql.raw("pragma max_page_count = 1073741823").execute(db);
    await app.platform.settlements.flush();
    expect((await post(app.url, chat("after", { max_tokens: 1 }))).status).toBe(200);
    await app.platform.settlements.drain();
    // Every request that was served has its one settled row.
    const rows = await db.selectFrom("usage_ledger").select(["status"]).execute();
    expect(rows.filter((r) => r.status === "completed")).toHaveLength(served + 1);
    expect(rows.filter((r) => r.status === "pending")).toHaveLength(0);
  });
});
