/**
 * Who owns what in the web app: conversations belong to the caller's API key, or to `local` when
 * auth is off (the principal comes from the platform's `authenticate` middleware).
 */
import type { Context } from "hono";
import { getPrincipal } from "../platform/auth/principal.ts";

/** The owner of conversations created by key-free (auth off) callers. */
export const LOCAL_OWNER = "local";

export function ownerOf(c: Context): string {
  const principal = getPrincipal(c);
  return principal.local || principal.keyId === null ? LOCAL_OWNER : principal.keyId;
}
