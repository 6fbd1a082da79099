/**
 * Input moderation, before a request queues: rules on the prompt (block → 400 `content_policy`
 * naming the policy and reason; redact → the span is replaced before the model sees it; annotate
 * → the answer carries the note), then the privacy shield (block, or mask with a vault that the
 * output side uses to restore the originals).
 */
import { SputnikError } from "../core/errors.ts";
import type { GenerationRequest, MessageRole } from "../core/request.ts";
import type { ModelRegistry } from "../pipeline/model-registry.ts";
import { askJudge } from "./judge.ts";
import { StreamScanner, type RuleHit } from "./match/stream-scanner.ts";
import { PiiVault } from "./pii/privacy-shield.ts";
import type { CompiledRule } from "./policy/compile-policy.ts";
import type { RequestModeration } from "./request-moderation.ts";

/** The policy name privacy-shield decisions are recorded under. */
export const PRIVACY_POLICY_NAME = "privacy";

/** One piece of prompt text, with the request field it came from (for `param`) and a way to rewrite it. */
interface InputPart {
  role: MessageRole;
  param: string;
  text: string;
  set(text: string): void;
}

function inputParts(request: GenerationRequest): InputPart[] {
  if (request.kind === "completion") {
    const parts: InputPart[] = [{ role: "user", param: "prompt", text: request.prompt, set: (t) => (request.prompt = t) }];
    if (request.suffix !== undefined) parts.push({ role: "user", param: "suffix", text: request.suffix, set: (t) => (request.suffix = t) });
    return parts;
  }
  return request.messages.flatMap((message, i) => {
    const parts: InputPart[] = [{ role: message.role, param: `messages.${i}.content`, text: message.content, set: (t) => (message.content = t) }];
    message.toolCalls?.forEach((call, j) =>
      parts.push({ role: message.role, param: `messages.${i}.tool_calls.${j}.function.arguments`, text: call.arguments, set: (t) => (call.arguments = t) }),
    );
    return parts;
  });
}

export function contentPolicyError(policy: string, reason: string, param: string): SputnikError {
  return new SputnikError(`Blocked by policy ${policy}: ${reason}`, { status: 400, type: "invalid_request_error", code: "content_policy", param });
}

/**
 * Applies the input rules to `request` (rewriting redacted spans in place).
 *
 * @throws SputnikError 400 `content_policy` when a `block` rule matches.
 */
export async function checkInput(
  request: GenerationRequest,
  rules: readonly CompiledRule[],
  moderation: RequestModeration,
  judge: { models: ModelRegistry; signal: AbortSignal },
): Promise<void> {
  const inputRules = rules.filter((rule) => rule.input);
  if (inputRules.length === 0) return;
  const parts = inputParts(request);
  for (const part of parts) {
    const scanner = new StreamScanner(
      moderation.policy,
      inputRules.filter((rule) => rule.roles.has(part.role)),
    );
    if (!scanner.active) continue;
    const { hits } = scanner.push(part.text, true);
    const blocked = hits.find((hit) => hit.rule.action === "block");
    for (const hit of blocked ? hits.filter((h) => h.start <= blocked.start) : hits) moderation.decide(hit.rule, hit.text);
    if (blocked) throw contentPolicyError(blocked.rule.policy, blocked.rule.reason, part.param);
    const redactions = hits.filter((hit) => hit.rule.action === "redact");
    if (redactions.length > 0) part.set(applyRedactions(part.text, redactions));
  }
  for (const rule of inputRules.filter((r) => r.judge)) {
    const text = parts
      .filter((part) => rule.roles.has(part.role))
      .map((part) => part.text)
      .join("\n\n");
    if (!text) continue;
    const verdict = await askJudge(rule.judge!, text, judge.models, judge.signal);
    if (verdict.error) console.error(`[sputnik] judge of rule ${rule.policy}/${rule.rule} failed (${rule.judge!.onError}): ${verdict.error}`);
    if (!verdict.yes) continue;
    moderation.decide(rule, text);
    if (rule.action === "block") throw contentPolicyError(rule.policy, rule.reason, request.kind === "chat" ? "messages" : "prompt");
  }
}

/** Replaces each hit's span by its rule's marker; overlapping hits merge into the first. */
export function applyRedactions(text: string, hits: readonly RuleHit[]): string {
  let out = "";
  let at = 0;
  for (const hit of [...hits].sort((a, b) => a.start - b.start)) {
    if (hit.end <= at) continue;
    out += text.slice(at, Math.max(at, hit.start)) + (hit.start >= at ? hit.rule.marker : "");
    at = hit.end;
  }
  return out + text.slice(at);
}

/**
 * The privacy shield on the way out: `block` refuses a request carrying private data; `mask`
 * replaces it with placeholders in place and returns the vault that restores them in the answer.
 */
export function shieldInput(request: GenerationRequest, moderation: RequestModeration): PiiVault | undefined {
  const { privacy, shield } = moderation.policy;
  const parts = inputParts(request);
  if (privacy.mode === "block") {
    for (const part of parts) {
      const found = shield.find(part.text);
      if (found.length === 0) continue;
      for (const finding of found) moderation.record(PRIVACY_POLICY_NAME, finding.kind, "block", finding.value);
      const kinds = [...new Set(found.map((f) => f.kind))].join(", ");
      throw contentPolicyError(PRIVACY_POLICY_NAME, `the request contains private data (${kinds}), which this server does not send out`, part.param);
    }
    return undefined;
  }
  const vault = new PiiVault();
  // Placeholder-shaped text the caller wrote is never minted, so it cannot be "restored" into someone's data.
  for (const part of parts) vault.reserveLiterals(part.text);
  for (const part of parts) {
    const masked = shield.mask(part.text, vault);
    for (const finding of masked.findings) moderation.record(PRIVACY_POLICY_NAME, finding.kind, "mask", finding.value);
    if (masked.findings.length > 0) part.set(masked.text);
  }
  return vault;
}
