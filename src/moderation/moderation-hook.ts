/**
 * The moderation generation hook: the gate on the way in (input rules, privacy shield) and on
 * the way out (output rules on the stream, placeholder restoration). With no policy that applies
 * to a request it returns no session at all, so unmoderated requests pay nothing.
 */
import type { Context } from "hono";
import type { GenerationOutcome } from "../core/events.ts";
import type { GenerationRequest } from "../core/request.ts";
import type { GenerationHook, HookSession } from "../pipeline/generation-hooks.ts";
import type { ModelRegistry } from "../pipeline/model-registry.ts";
import type { ServedModel } from "../pipeline/served-model.ts";
import type { Principal } from "../platform/auth/principal.ts";
import type { AuditRecorder } from "./audit/audit-recorder.ts";
import { checkInput, shieldInput } from "./input-check.ts";
import { moderateOutput } from "./output-moderation.ts";
import type { PolicySource } from "./policy/policy-source.ts";
import { RequestModeration } from "./request-moderation.ts";

export interface ModerationHookDeps {
  policies: PolicySource;
  recorder: AuditRecorder;
  /** For judges: served models are asked in-process. */
  models: ModelRegistry;
  /**
   * Whether a model's requests leave this machine (remote providers). The privacy shield's
   * `scope: remote` masks only those. Defaults to "none do" — every model is local today.
   */
  isRemote?: (model: ServedModel) => boolean;
  /** Wall clock for audit rows. Defaults to `() => new Date()`. */
  now?: () => Date;
}

export function moderationHook(deps: ModerationHookDeps): GenerationHook {
  const isRemote = deps.isRemote ?? (() => false);
  const now = deps.now ?? (() => new Date());
  return {
    name: "moderation",
    async begin(c: Context, request: GenerationRequest, model: ServedModel): Promise<HookSession | undefined> {
      const policy = deps.policies.current;
      const principal = c.get("principal") as Principal | undefined;
      const keyIds = principal ? [principal.keyId, principal.name].filter((id): id is string => Boolean(id)) : [];
      const rules = policy.rulesFor(keyIds, model.id);
      const shielded = policy.privacy.mode !== "off" && (policy.privacy.scope === "all" || isRemote(model));
      if (rules.length === 0 && !shielded) return undefined;

      const moderation = new RequestModeration(policy, { requestId: request.id, keyId: principal?.keyId ?? null, model: model.id }, deps.recorder, now);
      const abort = new AbortController();
      c.req.raw.signal.addEventListener("abort", () => abort.abort(), { once: true });
      const judge = { models: deps.models, signal: abort.signal };
      await checkInput(request, rules, moderation, judge);
      const masked = shielded ? shieldInput(request, moderation) : undefined;
      // Nothing was masked: nothing to restore, so the stream need not be watched for placeholders.
      const vault = masked && masked.size > 0 ? masked : undefined;

      const outputRules = rules.filter((rule) => rule.output);
      if (outputRules.length === 0 && !vault && !moderation.notice) return undefined;
      let resolveSettled!: (outcome: GenerationOutcome) => void;
      const settled = new Promise<GenerationOutcome>((resolve) => (resolveSettled = resolve));
      return {
        transform: (events) => moderateOutput(events, { moderation, rules: outputRules, vault, settled, judge }),
        engineEnded: (outcome) => resolveSettled(outcome),
      };
    },
  };
}
