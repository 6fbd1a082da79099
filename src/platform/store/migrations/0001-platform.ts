/**
 * Keys, the usage ledger and the instance registry. Portable DDL only (Kysely's schema builder,
 * `bigint` for epoch-ms timestamps and micro-unit amounts), so the same migration runs on SQLite
 * and PostgreSQL. Never edit a migration that has shipped: add a new one.
 */
import type { Kysely, Migration } from "kysely";

export const platformMigration: Migration = {
  // Migrations see an untyped database: the schema of the day they were written, not today's.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable("api_keys")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("hash", "text", (c) => c.notNull().unique())
      .addColumn("prefix", "text", (c) => c.notNull())
      .addColumn("scopes", "text", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("expires_at", "bigint")
      .addColumn("revoked_at", "bigint")
      .addColumn("rpm", "integer")
      .addColumn("tpm", "integer")
      .addColumn("max_concurrent", "integer")
      .addColumn("currency", "text", (c) => c.notNull())
      .addColumn("balance_micros", "bigint")
      .addColumn("reserved_micros", "bigint", (c) => c.notNull().defaultTo(0))
      .addColumn("daily_budget_micros", "bigint")
      .addColumn("monthly_budget_micros", "bigint")
      .addColumn("day_start", "bigint", (c) => c.notNull().defaultTo(0))
      .addColumn("day_spent_micros", "bigint", (c) => c.notNull().defaultTo(0))
      .addColumn("month_start", "bigint", (c) => c.notNull().defaultTo(0))
      .addColumn("month_spent_micros", "bigint", (c) => c.notNull().defaultTo(0))
      .execute();

    await db.schema
      .createTable("usage_ledger")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("key_id", "text")
      .addColumn("model", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("finish_reason", "text")
      .addColumn("prompt_cache_hit_tokens", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("prompt_cache_miss_tokens", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("completion_tokens", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("reasoning_tokens", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("estimated_tokens", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("reserved_micros", "bigint", (c) => c.notNull().defaultTo(0))
      .addColumn("cost_micros", "bigint", (c) => c.notNull().defaultTo(0))
      .addColumn("currency", "text", (c) => c.notNull())
      .addColumn("latency_ms", "integer")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("settled_at", "bigint")
      .addColumn("instance_id", "text", (c) => c.notNull())
      .execute();
    // Rate-limit windows and per-key usage views scan by key and time; the sweep scans by status.
    await db.schema.createIndex("usage_ledger_key_created").on("usage_ledger").columns(["key_id", "created_at"]).execute();
    await db.schema.createIndex("usage_ledger_created").on("usage_ledger").column("created_at").execute();
    await db.schema.createIndex("usage_ledger_key_status").on("usage_ledger").columns(["key_id", "status"]).execute();
    await db.schema.createIndex("usage_ledger_status_instance").on("usage_ledger").columns(["status", "instance_id"]).execute();

    await db.schema
      .createTable("instances")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("hostname", "text", (c) => c.notNull())
      .addColumn("pid", "integer", (c) => c.notNull())
      .addColumn("started_at", "bigint", (c) => c.notNull())
      .addColumn("heartbeat_at", "bigint", (c) => c.notNull())
      .execute();
  },
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropTable("instances").execute();
    await db.schema.dropTable("usage_ledger").execute();
    await db.schema.dropTable("api_keys").execute();
  },
};
