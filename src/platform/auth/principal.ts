/**
 * Who is calling: the identity every route can read with `c.get("principal")` once the app's
 * `authenticate` middleware has run (it runs for every route but the public ones).
 */
import type { Context } from "hono";
import { SputnikError } from "../../core/errors.ts";

export type Scope = "chat" | "admin";
export const SCOPES: readonly Scope[] = ["chat", "admin"];

export interface Principal {
  /** The API key's id (`key_…`); null when auth is off (a local, key-free server). */
  readonly keyId: string | null;
  /** The key's name, or `local`. */
  readonly name: string;
  readonly scopes: readonly Scope[];
  /** True when auth is off: the caller is the machine's own user, allowed everything. */
  readonly local: boolean;
}

/** The caller of a key-free server: every scope, no key. */
export const LOCAL_PRINCIPAL: Principal = Object.freeze({ keyId: null, name: "local", scopes: Object.freeze([...SCOPES]), local: true });

declare module "hono" {
  interface ContextVariableMap {
    principal: Principal;
  }
}

/** The caller of this request; throws (a wiring bug, 500) when `authenticate` did not run. */
export function getPrincipal(c: Context): Principal {
  const principal = c.get("principal") as Principal | undefined;
  if (!principal) throw new Error(`No principal on ${c.req.method} ${c.req.path}: is the authenticate middleware mounted before this route?`);
  return principal;
}

export function hasScope(principal: Principal, scope: Scope): boolean {
  return principal.local || principal.scopes.includes(scope);
}

/** 401 in OpenAI's shape (DeepSeek answers the same status for a bad key). */
export function authenticationError(message: string, code = "invalid_api_key"): SputnikError {
  return new SputnikError(message, { status: 401, type: "authentication_error", code, headers: { "WWW-Authenticate": 'Bearer realm="sputnik"' } });
}

export function permissionError(scope: Scope): SputnikError {
  return new SputnikError(`This API key lacks the \`${scope}\` scope needed for this route.`, {
    status: 403,
    type: "permission_error",
    code: "insufficient_scope",
  });
}
