/**
 * Moderation's HTTP routes:
 * - `GET /admin/audit?from&to&format=json|csv&limit` — the audit trail (admin key, or local mode);
 * - `POST /admin/policies/reload`, `GET /admin/policies` — reload and inspect the live policy;
 * - `DELETE /api/me/data` — the caller's own conversations and audit rows.
 */
import { getConnInfo } from "@hono/node-server/conninfo";
import { Hono, type Context } from "hono";
import { SputnikError } from "../core/errors.ts";
import { openAIErrorResponse } from "../protocol/openai/errors.ts";
import { hasScope, type Principal } from "../platform/auth/principal.ts";
import { isLoopback } from "../platform/auth/authenticate.ts";
import { toAuditCsv } from "./audit/audit-csv.ts";
import type { AuditRecorder } from "./audit/audit-recorder.ts";
import type { PolicySource } from "./policy/policy-source.ts";

/** Rows `GET /admin/audit` returns as JSON when no `limit` is given. */
export const DEFAULT_AUDIT_PAGE = 1000;
/** Most rows one request may ask for. */
export const MAX_AUDIT_ROWS = 100_000;

export interface ModerationRouteDeps {
  policies: PolicySource;
  recorder: AuditRecorder;
  /** Deletes an owner's conversations (`local` for key-free use); absent when there is no database. */
  deleteConversations?: (owner: string) => Promise<number>;
}

export function moderationRoutes(deps: ModerationRouteDeps): Hono {
  const app = new Hono();

  app.get("/admin/audit", async (c) => {
    const denied = requireAdmin(c);
    if (denied) return denied;
    let from, to, limit, format;
    try {
      from = dateParam(c, "from");
      to = dateParam(c, "to");
      format = c.req.query("format") ?? "json";
      if (format !== "json" && format !== "csv") throw badParam("format", "`format` must be json or csv.");
      const rawLimit = c.req.query("limit");
      limit = rawLimit === undefined ? (format === "json" ? DEFAULT_AUDIT_PAGE : MAX_AUDIT_ROWS) : Number(rawLimit);
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_AUDIT_ROWS) throw badParam("limit", `\`limit\` must be an integer from 1 to ${MAX_AUDIT_ROWS}.`);
    } catch (error) {
      return openAIErrorResponse(error as SputnikError);
    }
    // Decisions recorded by requests that already answered are visible here.
    await deps.recorder.idle();
    const rows = await deps.recorder.store.list({ from, to, limit });
    if (format === "csv") {
      return c.body(toAuditCsv(rows), 200, {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="sputnik-audit-${new Date().toISOString().slice(0, 10)}.csv"`,
      });
    }
    return c.json({ object: "list", data: rows, from: from?.toISOString() ?? null, to: to?.toISOString() ?? null });
  });

  app.post("/admin/policies/reload", async (c) => {
    const denied = requireAdmin(c);
    if (denied) return denied;
    const result = await deps.policies.reload();
    if (result.ok) return c.json({ reloaded: true, policies: result.policies });
    const code = deps.policies.file ? "invalid_policy" : "no_policy_file";
    return openAIErrorResponse(new SputnikError(result.error, { status: deps.policies.file ? 422 : 409, type: "invalid_request_error", code }));
  });

  app.get("/admin/policies", (c) => {
    const denied = requireAdmin(c);
    if (denied) return denied;
    const policy = deps.policies.current;
    return c.json({
      file: deps.policies.file ?? null,
      policies: policy.policies,
      rules: policy.rules.map((r) => ({ policy: r.policy, rule: r.rule, action: r.action, input: r.input, output: r.output })),
      privacy: policy.privacy,
      audit: policy.audit,
      retention: policy.retention,
    });
  });

  app.delete("/api/me/data", async (c) => {
    const principal = principalOf(c);
    if (!principal) return openAIErrorResponse(forbidden("This route needs an API key (or a local, key-free server)."));
    const owner = principal.keyId ?? "local";
    await deps.recorder.idle();
    const audit = await deps.recorder.store.deleteForKey(principal.keyId);
    const conversations = deps.deleteConversations ? await deps.deleteConversations(owner) : 0;
    return c.json({ deleted: { conversations, audit } });
  });

  return app;
}

/**
 * The caller: set by the platform's `authenticate` middleware. Without it (an app built without
 * auth) only a loopback caller counts, as the machine's own user.
 */
function principalOf(c: Context): Principal | undefined {
  const principal = c.get("principal") as Principal | undefined;
  if (principal) return principal;
  let address: string | undefined;
  try {
    address = getConnInfo(c).remote.address;
  } catch {
    address = undefined;
  }
  return address && isLoopback(address) ? { keyId: null, name: "local", scopes: ["chat", "admin"], local: true } : undefined;
}

function requireAdmin(c: Context): Response | undefined {
  const principal = principalOf(c);
  if (principal && hasScope(principal, "admin")) return undefined;
  return openAIErrorResponse(forbidden("The audit log and policies need an API key with the `admin` scope."));
}

function forbidden(message: string): SputnikError {
  return new SputnikError(message, { status: 403, type: "permission_error", code: "insufficient_scope" });
}

function badParam(param: string, message: string): SputnikError {
  return new SputnikError(message, { status: 400, type: "invalid_request_error", param, code: "invalid_value" });
}

/** ISO 8601 (`2025-01-31`, `2025-01-31T12:00:00Z`) or epoch milliseconds. */
function dateParam(c: Context, name: string): Date | undefined {
  const raw = c.req.query(name);
  if (raw === undefined || raw === "") return undefined;
  const date = /^\d+$/.test(raw) ? new Date(Number(raw)) : new Date(raw);
  if (Number.isNaN(date.getTime())) throw badParam(name, `\`${name}\` must be an ISO 8601 date or epoch milliseconds, got "${raw}".`);
  return date;
}
