/**
 * `GET /api/usage/{completion id}`: what one answer cost, from the platform's usage ledger, for the
 * per-answer details under each message. Only the caller's own requests are visible (a key sees
 * its rows, the local user the key-free rows); others are a 404.
 */
import { Hono } from "hono";
import type { Kysely } from "kysely";
import { SputnikError } from "../../core/errors.ts";
import { getPrincipal } from "../../platform/auth/principal.ts";
import { requireAuth } from "../../platform/auth/require-auth.ts";
import type { DatabaseSchema } from "../../platform/store/schema.ts";

export function costRoute(deps: { db: Kysely<DatabaseSchema> }): Hono {
  const app = new Hono();
  app.use("*", requireAuth({ scope: "chat" }));
  app.get("/:id", async (c) => {
    const principal = getPrincipal(c);
    let query = deps.db
      .selectFrom("usage_ledger")
      .select(["id", "status", "cost_micros", "currency", "model"])
      .where("id", "=", c.req.param("id"));
    query = principal.local ? query : query.where("key_id", "=", principal.keyId);
    const row = await query.executeTakeFirst();
    if (!row) throw new SputnikError(`No usage recorded for \`${c.req.param("id")}\`.`, { status: 404, type: "not_found_error", code: "usage_not_found" });
    // `pending` until the request settles (a moment after its last frame); the app asks again.
    return c.json({ id: row.id, status: row.status, model: row.model, cost_micros: row.cost_micros, currency: row.currency });
  });
  return app;
}
