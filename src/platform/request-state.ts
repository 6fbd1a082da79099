/**
 * Per-request platform state shared by the authenticate middleware and the generation hook,
 * keyed by the request object (so it dies with it and never pollutes Hono's context types).
 */
import type { Context } from "hono";
import type { ApiKeyRecord } from "./keys/key-store.ts";

const keys = new WeakMap<Request, ApiKeyRecord>();
const headers = new WeakMap<Request, Record<string, string>>();

/** The authenticated API key of this request; undefined when auth is off. */
export function keyOfRequest(c: Context): ApiKeyRecord | undefined {
  return keys.get(c.req.raw);
}

export function setKeyOfRequest(c: Context, key: ApiKeyRecord): void {
  keys.set(c.req.raw, key);
}

/** `x-ratelimit-*` headers to add to this request's response. */
export function responseHeadersOf(c: Context): Record<string, string> | undefined {
  return headers.get(c.req.raw);
}

export function setResponseHeaders(c: Context, values: Record<string, string>): void {
  headers.set(c.req.raw, values);
}
