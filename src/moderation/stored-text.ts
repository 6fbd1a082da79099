/**
 * What the web app stores for a conversation message. With `privacy.conversations: mask` in the
 * policy file, private data is replaced by its kind (`[EMAIL]`, `[CARD]`) — irreversibly, since a
 * stored conversation outlives any request's vault. Otherwise the text is stored as it is.
 */
import type { CompiledPolicySet } from "./policy/compile-policy.ts";

export function textForStorage(text: string, policy: CompiledPolicySet): string {
  return policy.privacy.conversations === "mask" ? policy.shield.redact(text) : text;
}
