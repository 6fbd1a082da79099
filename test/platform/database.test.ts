/** The store opens on both dialects, migrates once, and reports unusable locations clearly. */
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/platform/store/database.ts";
import { createTestStore, DIALECTS } from "./helpers/databases.ts";

describe.each(DIALECTS)("database (%s)", (dialect) => {
  it("applies the migrations once and reopens without redoing them", async () => {
    await using store = await createTestStore(dialect);
    let firstRun: string[];
    {
      await using database = await store.open();
      firstRun = (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(database.db)).rows.map((r) => r.name);
      expect(database.dialect).toBe(dialect);
      await database.db.insertInto("instances").values({ id: "i1", hostname: "h", pid: 1, started_at: 2 ** 45, heartbeat_at: 2 ** 45 }).execute();
    }
    await using again = await store.open();
    const row = await again.db.selectFrom("instances").selectAll().executeTakeFirstOrThrow();
    // BIGINT comes back as an exact JS number on both dialects.
    expect(row.started_at).toBe(2 ** 45);
    const applied = await sql<{ name: string; timestamp: string }>`select name, timestamp from kysely_migration order by name`.execute(again.db);
    expect(applied.rows.map((r) => r.name)).toContain("0001_platform");
    // Reopening applied nothing new: one row per migration, from the first open.
    expect(applied.rows.map((r) => r.name)).toEqual(firstRun);
    await again.destroy();
    await again.destroy();
  });
});

describe("database errors", () => {
  it("rejects a URL that is not postgres://", async () => {
    await expect(openDatabase({ dataDir: "/tmp/x", databaseUrl: "mysql://u:secret@h/db" })).rejects.toThrow(/postgres:\/\/ URL.*\*\*\*/);
  });
  it("names the server and hides the password when PostgreSQL is unreachable", async () => {
    const error = await openDatabase({ dataDir: "/tmp/x", databaseUrl: "postgres://u:secret@127.0.0.1:1/db" }).catch((e: Error) => e);
    expect(String(error)).toMatch(/PostgreSQL database at postgres:\/\/u:\*\*\*@127\.0\.0\.1:1\/db.*ECONNREFUSED/);
    expect(String(error)).not.toContain("secret");
  });
});
