/**
 * The conversation store on both databases: SQLite, and PostgreSQL when SPUTNIK_TEST_DATABASE_URL
 * is set (`.ci/run` sets it) — owners kept apart, trees, search with LIKE wildcards taken
 * literally, the privacy hook, deletion with the messages.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SputnikDatabase } from "../../src/platform/store/database.ts";
import { ConversationStore } from "../../src/webapp/conversations/conversation-store.ts";
import { createTestStore, DIALECTS, type TestStore } from "../platform/helpers/databases.ts";

describe.each(DIALECTS)("conversation store (%s)", (dialect) => {
  let store: TestStore;
  let database: SputnikDatabase;
  let conversations: ConversationStore;
  let clock = 1_700_000_000_000;

  beforeAll(async () => {
    store = await createTestStore(dialect);
    database = await store.open();
    conversations = new ConversationStore({ db: database.db, now: () => (clock += 1000), textForStorage: (text) => text.replaceAll("secret@example.com", "[EMAIL]") });
  });
  afterAll(async () => {
    await database?.destroy();
    await store?.dispose();
  });

  it("keeps a tree per conversation and each owner's conversations apart", async () => {
    const mine = await conversations.create("key_a", { model: "m", settings: { max_tokens: 10 } });
    const q = await conversations.addMessage("key_a", mine.id, { parent_id: null, role: "user", content: "Mail secret@example.com about 50% off_sale" });
    const a1 = await conversations.addMessage("key_a", mine.id, { parent_id: q.id, role: "assistant", content: "Done.", details: { finish_reason: "stop" } });
    const a2 = await conversations.addMessage("key_a", mine.id, { parent_id: q.id, role: "assistant", content: "Done again." });
    const full = await conversations.get("key_a", mine.id);
    expect(full.title).toBe("Mail [EMAIL] about 50% off_sale");
    expect(full.messages.map((m) => m.id)).toEqual([q.id, a1.id, a2.id]);
    expect(full.messages[0].content).toBe("Mail [EMAIL] about 50% off_sale");
    expect(full.current_leaf_id).toBe(a2.id);
    expect(full.settings).toEqual({ max_tokens: 10 });
    expect(full.messages[1].details).toEqual({ finish_reason: "stop" });

    await expect(conversations.get("key_b", mine.id)).rejects.toMatchObject({ status: 404 });
    expect((await conversations.list("key_b", { limit: 10, offset: 0 })).data).toEqual([]);
    expect((await conversations.list("key_a", { q: "50%", limit: 10, offset: 0 })).data.map((c) => c.id)).toEqual([mine.id]);
    expect((await conversations.list("key_a", { q: "F_S", limit: 10, offset: 0 })).data.map((c) => c.id)).toEqual([mine.id]);
    expect((await conversations.list("key_a", { q: "again", limit: 10, offset: 0 })).data.map((c) => c.id)).toEqual([mine.id]);
    expect((await conversations.list("key_a", { q: "0_o", limit: 10, offset: 0 })).data).toEqual([]);

    const updated = await conversations.update("key_a", mine.id, { title: "Renamed", current_leaf_id: a1.id });
    expect(updated).toMatchObject({ title: "Renamed", current_leaf_id: a1.id });
    await conversations.delete("key_a", mine.id);
    await expect(conversations.get("key_a", mine.id)).rejects.toMatchObject({ status: 404 });
    const left = await database.db.selectFrom("conversation_messages").select("id").where("conversation_id", "=", mine.id).execute();
    expect(left).toEqual([]);
  });

  it("lists newest first, a page at a time", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await conversations.create("key_c", { title: `c${i}` })).id);
    const first = await conversations.list("key_c", { limit: 2, offset: 0 });
    expect(first.data.map((c) => c.id)).toEqual([ids[2], ids[1]]);
    expect(first.has_more).toBe(true);
    const second = await conversations.list("key_c", { limit: 2, offset: 2 });
    expect(second.data.map((c) => c.id)).toEqual([ids[0]]);
    expect(second.has_more).toBe(false);
  });
});
