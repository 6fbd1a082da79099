/**
 * Route guard for other modules (web app, moderation, admin routes): `app.use("/x/*", requireAuth({scope: "admin"}))`.
 * Authentication itself (resolving the key into `c.get("principal")`) happens once per request in
 * the app-wide `authenticate` middleware; this only checks the scope, so a route cannot forget
 * authentication by forgetting the guard.
 */
import type { MiddlewareHandler } from "hono";
import { toSputnikError } from "../../core/errors.ts";
import { openAIErrorResponse } from "../../protocol/openai/errors.ts";
import { getPrincipal, hasScope, permissionError, SCOPES, type Scope } from "./principal.ts";

export interface RequireAuthOptions {
  /** Scope the caller's key must have. Defaults to `chat`. A local (auth-off) caller has every scope. */
  scope?: Scope;
}

export function requireAuth(options: RequireAuthOptions = {}): MiddlewareHandler {
  const scope = options.scope ?? "chat";
  if (!SCOPES.includes(scope)) throw new Error(`requireAuth: unknown scope ${String(scope)}`);
  return async function requireAuthMiddleware(c, next) {
    try {
      if (!hasScope(getPrincipal(c), scope)) throw permissionError(scope);
    } catch (error) {
      return openAIErrorResponse(toSputnikError(error));
    }
    await next();
  };
}
