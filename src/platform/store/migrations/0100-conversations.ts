/**
 * Web app conversations: one row per chat, its messages as a tree (`parent_id`), both keyed by
 * owner (an API key id, or `local`). Portable DDL only, as the platform migration.
 */
import type { Kysely, Migration } from "kysely";

export const conversationsMigration: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see an untyped database
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable("conversations")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("owner", "text", (c) => c.notNull())
      .addColumn("title", "text", (c) => c.notNull())
      .addColumn("model", "text")
      .addColumn("system_prompt", "text", (c) => c.notNull().defaultTo(""))
      .addColumn("settings", "text", (c) => c.notNull().defaultTo("{}"))
      .addColumn("current_leaf_id", "text")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .execute();
    // The sidebar lists an owner's conversations, most recently used first.
    await db.schema.createIndex("conversations_owner_updated").on("conversations").columns(["owner", "updated_at"]).execute();

    await db.schema
      .createTable("conversation_messages")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("conversation_id", "text", (c) => c.notNull().references("conversations.id").onDelete("cascade"))
      .addColumn("parent_id", "text")
      .addColumn("role", "text", (c) => c.notNull())
      .addColumn("content", "text", (c) => c.notNull())
      .addColumn("reasoning_content", "text")
      .addColumn("model", "text")
      .addColumn("details", "text")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("conversation_messages_conversation")
      .on("conversation_messages")
      .columns(["conversation_id", "created_at"])
      .execute();
  },
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropTable("conversation_messages").execute();
    await db.schema.dropTable("conversations").execute();
  },
};
