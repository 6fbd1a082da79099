/**
 * Moderation audit trail: one row per moderation decision. Portable DDL only, as the platform
 * migration (epoch-ms `bigint` timestamps, text ids).
 */
import type { Kysely, Migration } from "kysely";

export const moderationAuditMigration: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see an untyped database
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable("moderation_audit")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("request_id", "text", (c) => c.notNull())
      .addColumn("key_id", "text")
      .addColumn("model", "text", (c) => c.notNull())
      .addColumn("policy", "text", (c) => c.notNull())
      .addColumn("rule", "text", (c) => c.notNull())
      .addColumn("action", "text", (c) => c.notNull())
      .addColumn("excerpt", "text")
      .execute();
    // The admin page and the retention job scan by time; `DELETE /api/me/data` by key.
    await db.schema.createIndex("moderation_audit_created").on("moderation_audit").column("created_at").execute();
    await db.schema.createIndex("moderation_audit_key").on("moderation_audit").columns(["key_id", "created_at"]).execute();
  },
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropTable("moderation_audit").execute();
  },
};
