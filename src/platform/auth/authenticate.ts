/**
 * The app-wide authentication middleware: resolves the caller into `c.get("principal")` for every
 * route but the public ones, and answers 401 itself when auth is on and the key is missing or bad.
 *
 * Modes (chosen at start-up from `--auth` / `--no-auth` and the bind address, see `authModeFor`):
 * - `off`: no keys are checked; every caller is the local principal (a personal tool).
 * - `auto`: off until the first key is created (by the CLI, an admin route, or another instance),
 *   then on for good — revoking every key does not turn it back off.
 * - `on`: every non-public request needs a valid key, even before any exists.
 */
import type { Context, MiddlewareHandler } from "hono";
import { toSputnikError } from "../../core/errors.ts";
import { openAIErrorResponse } from "../../protocol/openai/errors.ts";
import type { ApiKeyRecord, KeyStore } from "../keys/key-store.ts";
import { responseHeadersOf, setKeyOfRequest } from "../request-state.ts";
import { storeUnavailable } from "../store/store-errors.ts";
import { authenticationError, hasScope, LOCAL_PRINCIPAL, permissionError, type Principal } from "./principal.ts";

export type AuthMode = "off" | "auto" | "on";

/** Paths anyone may call: liveness and version only. */
export const PUBLIC_PATHS: ReadonlySet<string> = new Set(["/health", "/version"]);
/** Paths that need the `admin` scope when auth is on, besides the admin routes' own guards. */
const ADMIN_PATHS: ReadonlySet<string> = new Set(["/metrics"]);
/** Longer than any key we issue; longer values are refused without hashing them. */
const MAX_TOKEN_LENGTH = 256;

export interface AuthenticateOptions {
  keys: KeyStore;
  mode: AuthMode;
  /** Paths served without a key. Defaults to `PUBLIC_PATHS`. */
  publicPaths?: ReadonlySet<string>;
}

/**
 * Decides the auth mode: an explicit flag wins; otherwise `auto` on a loopback address, and a
 * refusal to start on any other address (serving the network key-free must be a choice).
 */
export function authModeFor(options: { auth?: boolean; host: string }): AuthMode | "refuse" {
  if (options.auth === true) return "on";
  if (options.auth === false) return "off";
  return isLoopback(options.host) ? "auto" : "refuse";
}

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127\.\d+\.\d+\.\d+$/.test(h) || h === "::ffff:127.0.0.1";
}

export function authenticate(options: AuthenticateOptions): MiddlewareHandler {
  const publicPaths = options.publicPaths ?? PUBLIC_PATHS;
  // Keys are never deleted, so once one exists auth stays on; only the "none yet" answer is re-asked.
  let keysExist = false;
  const authRequired = async (): Promise<boolean> => {
    if (options.mode !== "auto") return options.mode === "on";
    keysExist ||= await options.keys.anyExist();
    return keysExist;
  };

  return async function authenticateMiddleware(c, next) {
    if (publicPaths.has(c.req.path)) return next();
    let principal: Principal;
    try {
      if (!(await authRequired())) {
        principal = LOCAL_PRINCIPAL;
      } else {
        const key = await resolveKey(c, options.keys);
        setKeyOfRequest(c, key);
        principal = { keyId: key.id, name: key.name, scopes: key.scopes, local: false };
        if (ADMIN_PATHS.has(c.req.path) && !hasScope(principal, "admin")) throw permissionError("admin");
      }
    } catch (error) {
      return openAIErrorResponse(toSputnikError(storeUnavailable(error)));
    }
    c.set("principal", principal);
    await next();
    // Rate-limit headers on successful responses too (OpenAI sends them on every response).
    for (const [name, value] of Object.entries(responseHeadersOf(c) ?? {})) c.header(name, value);
  };
}

async function resolveKey(c: Context, keys: KeyStore): Promise<ApiKeyRecord> {
  const token = presentedToken(c);
  if (token === undefined) {
    throw authenticationError("You didn't provide an API key. Send it as `Authorization: Bearer sk-…` (or in an `x-api-key` header).", "missing_api_key");
  }
  const found = token.length > MAX_TOKEN_LENGTH ? ({ ok: false, reason: "malformed" } as const) : await keys.lookup(token);
  if (found.ok) return found.key;
  const shown = token.length > 10 ? `${token.slice(0, 6)}…${token.slice(-4)}` : "****";
  const message =
    found.reason === "revoked"
      ? `The API key ${shown} has been revoked.`
      : found.reason === "expired"
        ? `The API key ${shown} has expired.`
        : `Incorrect API key provided: ${shown}.`;
  throw authenticationError(message);
}

function presentedToken(c: Context): string | undefined {
  const header = c.req.header("authorization");
  if (header !== undefined) {
    const match = /^\s*bearer\s+(\S+)\s*$/i.exec(header);
    return match ? match[1] : header.trim();
  }
  const apiKey = c.req.header("x-api-key");
  return apiKey === undefined ? undefined : apiKey.trim();
}
