/** The audit trail in Sputnik's database (SQLite or PostgreSQL, through Kysely): table `moderation_audit`. */
import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { DatabaseSchema } from "../../platform/store/schema.ts";
import type { AuditEntry, AuditQuery, AuditStore } from "./audit-store.ts";

export interface ModerationAuditTable {
  id: string;
  /** Epoch ms, UTC. */
  created_at: number;
  request_id: string;
  key_id: string | null;
  model: string;
  policy: string;
  rule: string;
  action: string;
  excerpt: string | null;
}

declare module "../../platform/store/schema.ts" {
  interface DatabaseSchema {
    moderation_audit: ModerationAuditTable;
  }
}

export class SqlAuditStore implements AuditStore {
  constructor(private readonly db: Kysely<DatabaseSchema>) {}

  async append(entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.db
      .insertInto("moderation_audit")
      .values(
        entries.map((e) => ({
          id: randomUUID(),
          created_at: Date.parse(e.time),
          request_id: e.requestId,
          key_id: e.keyId,
          model: e.model,
          policy: e.policy,
          rule: e.rule,
          action: e.action,
          excerpt: e.excerpt,
        })),
      )
      .execute();
  }

  async list(query: AuditQuery = {}): Promise<AuditEntry[]> {
    let select = this.db.selectFrom("moderation_audit").selectAll().orderBy("created_at", "desc").orderBy("id");
    if (query.from) select = select.where("created_at", ">=", query.from.getTime());
    if (query.to) select = select.where("created_at", "<", query.to.getTime());
    if (query.keyId !== undefined) select = select.where("key_id", "=", query.keyId);
    if (query.limit !== undefined) select = select.limit(query.limit);
    const rows = await select.execute();
    return rows.map((row) => ({
      time: new Date(Number(row.created_at)).toISOString(),
      requestId: row.request_id,
      keyId: row.key_id,
      model: row.model,
      policy: row.policy,
      rule: row.rule,
      action: row.action,
      excerpt: row.excerpt,
    }));
  }

  async deleteBefore(time: Date): Promise<number> {
    const result = await this.db.deleteFrom("moderation_audit").where("created_at", "<", time.getTime()).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async deleteForKey(keyId: string | null): Promise<number> {
    const result = await this.db
      .deleteFrom("moderation_audit")
      .where("key_id", keyId === null ? "is" : "=", keyId)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
