import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, type SputnikDatabase } from "../platform/store/database.ts";
import { toAuditCsv } from "./audit/audit-csv.ts";
import { MemoryAuditStore, type AuditEntry } from "./audit/audit-store.ts";
import { auditExcerpt } from "./audit/excerpt.ts";
import { SqlAuditStore } from "./audit/sql-audit-store.ts";
import { deleteConversationsOf, RetentionJob } from "./data-controls.ts";
import { PrivacyShield } from "./pii/privacy-shield.ts";
import type { RetentionConfig } from "./policy/policy-schema.ts";

const DAY = 86_400_000;
const T0 = Date.parse("2025-03-01T00:00:00Z");

const entry = (time: number, keyId: string | null, rule = "r"): AuditEntry => ({
  time: new Date(time).toISOString(),
  requestId: `req-${time}`,
  keyId,
  model: "tiny",
  policy: "p",
  rule,
  action: "block",
  excerpt: null,
});

/** A clock the test moves, and a timer the test fires. */
function fakeTime(start: number) {
  let now = start;
  const timers: Array<{ run: () => void; at: number; cancelled: boolean }> = [];
  return {
    now: () => new Date(now),
    schedule: (run: () => void, ms: number) => {
      const timer = { run, at: now + ms, cancelled: false };
      timers.push(timer);
      return { cancel: () => (timer.cancelled = true) };
    },
    /** Moves the clock and fires the timers that came due; resolves once their runs finished. */
    async advance(ms: number) {
      now += ms;
      for (const timer of timers.splice(0)) {
        if (timer.cancelled) continue;
        if (timer.at <= now) timer.run();
        else timers.push(timer);
      }
      // The job's run is a promise chain over an in-memory store: let it settle.
      for (let i = 0; i < 20; i++) await Promise.resolve();
    },
    pending: () => timers.filter((t) => !t.cancelled).length,
  };
}

describe("RetentionJob", () => {
  it("deletes audit rows older than the retention period at every run, on a fake clock", async () => {
    const store = new MemoryAuditStore();
    await store.append([entry(T0 - 40 * DAY, "k"), entry(T0 - 10 * DAY, "k"), entry(T0 - DAY, "k")]);
    const time = fakeTime(T0);
    let settings: RetentionConfig = { auditDays: 30, intervalMinutes: 60 };
    const purged: string[] = [];
    const job = new RetentionJob({
      settings: () => settings,
      now: time.now,
      schedule: time.schedule,
      purge: {
        audit: (cutoff) => store.deleteBefore(cutoff),
        conversations: async (cutoff) => (purged.push(cutoff.toISOString()), 0),
      },
    });
    job.start();
    await time.advance(0);
    expect((await store.list()).length).toBe(2);
    // No conversation retention configured: that kind is skipped.
    expect(purged).toEqual([]);

    // The policy is tightened (a reload): the next run, an hour later, applies it.
    settings = { auditDays: 5, conversationDays: 7, intervalMinutes: 60 };
    await time.advance(59 * 60_000);
    expect((await store.list()).length).toBe(2);
    await time.advance(60_000);
    expect((await store.list()).map((r) => r.time)).toEqual([new Date(T0 - DAY).toISOString()]);
    expect(purged).toEqual([new Date(T0 + 60 * 60_000 - 7 * DAY).toISOString()]);

    job.dispose();
    expect(time.pending()).toBe(0);
  });

  it("reports a failing kind and goes on with the others", async () => {
    const logged: string[] = [];
    const job = new RetentionJob({
      settings: () => ({ auditDays: 1, ledgerDays: 1, intervalMinutes: 60 }),
      now: () => new Date(T0),
      log: (line) => logged.push(line),
      purge: { ledger: async () => Promise.reject(new Error("no such table")), audit: async () => 3 },
    });
    expect(await job.runOnce()).toEqual({ audit: 3 });
    expect(logged[0]).toMatch(/deleting old ledger failed: no such table/);
  });
});

describe("audit store in the database", () => {
  let dir: string | undefined;
  let database: SputnikDatabase | undefined;
  afterEach(async () => {
    await database?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("appends, lists newest first by range, deletes by age and by key; conversations by owner", async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "sputnik-audit-"));
    database = await openDatabase({ dataDir: dir });
    const store = new SqlAuditStore(database.db);
    await store.append([entry(T0, "key_a"), entry(T0 + 1000, null, "r2"), entry(T0 + 2000, "key_b")]);
    expect((await store.list()).map((r) => r.time)).toEqual([T0 + 2000, T0 + 1000, T0].map((t) => new Date(t).toISOString()));
    expect(await store.list({ from: new Date(T0 + 1000), to: new Date(T0 + 2000) })).toEqual([entry(T0 + 1000, null, "r2")]);
    expect(await store.deleteForKey(null)).toBe(1);
    expect(await store.deleteBefore(new Date(T0 + 1500))).toBe(1);
    expect((await store.list()).map((r) => r.keyId)).toEqual(["key_b"]);

    const now = Date.now();
    await database.db.insertInto("conversations").values({ id: "c1", owner: "key_a", title: "t", model: null, system_prompt: "", settings: "{}", current_leaf_id: null, created_at: now, updated_at: now }).execute();
    await database.db.insertInto("conversation_messages").values({ id: "m1", conversation_id: "c1", parent_id: null, role: "user", content: "hi", reasoning_content: null, model: null, details: null, created_at: now }).execute();
    expect(await deleteConversationsOf(database.db, "key_b")).toBe(0);
    expect(await deleteConversationsOf(database.db, "key_a")).toBe(1);
    expect(await database.db.selectFrom("conversation_messages").selectAll().execute()).toEqual([]);
  });
});

describe("audit excerpts and CSV", () => {
  const shield = new PrivacyShield();
  it("keeps (PII masked, cut), hashes or drops the matched text", () => {
    expect(auditExcerpt("mail bob@example.com now", { excerpt: "keep", excerptChars: 12, maskPii: true }, shield)).toBe("mail [EMAIL]…");
    expect(auditExcerpt("abc", { excerpt: "hash", excerptChars: 200, maskPii: true }, shield)).toBe(
      "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
    expect(auditExcerpt("abc", { excerpt: "drop", excerptChars: 200, maskPii: true }, shield)).toBeNull();
  });

  it("writes RFC 4180 CSV with the API's column names, defusing formulas", () => {
    const csv = toAuditCsv([{ ...entry(T0, null), excerpt: '=HYPERLINK("x"), "quoted"' }]);
    expect(csv).toBe(
      "time,requestId,keyId,model,policy,rule,action,excerpt\r\n" +
        `2025-03-01T00:00:00.000Z,req-${T0},,tiny,p,r,block,"'=HYPERLINK(""x""), ""quoted"""\r\n`,
    );
  });
});
