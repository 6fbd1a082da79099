/**
 * The policy file's schema (YAML or JSON). Everything is validated before a policy goes live, so
 * a typo is a clear error naming the field (`policies.0.rules.2.regex.0: …`), never a half-applied
 * policy. README "Moderation and privacy" documents the same format with examples.
 */
import { z } from "zod";
import { PII_KINDS } from "../pii/detectors.ts";

/** Text that replaces a redacted span when a rule names no `marker`. */
export const DEFAULT_REDACTION_MARKER = "[redacted]";
/** Longest regex match looked for in a stream, in characters, when a rule names no `window`. */
export const DEFAULT_REGEX_WINDOW = 64;
/** Placeholder in a judge prompt that the text under judgement replaces. */
export const JUDGE_TEXT_PLACEHOLDER = "{{text}}";

const name = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._:-]*$/u, "use letters, digits, spaces and . _ : - (starting with a letter or digit)");

const judgeSchema = z
  .object({
    /** A served model id; it is asked in-process, never over the network. */
    model: z.string().min(1),
    /** The question; `{{text}}` is replaced by the text under judgement. */
    prompt: z.string().min(1).refine((p) => p.includes(JUDGE_TEXT_PLACEHOLDER), `must contain ${JUDGE_TEXT_PLACEHOLDER}`),
    /** Regex (case-insensitive) that an answer meaning "yes, the rule applies" matches. Defaults to `^\W*yes\b`. */
    yes: z.string().min(1).default(String.raw`^\W*yes\b`),
    /** Tokens the judge may answer with. Defaults to 8. */
    maxTokens: z.number().int().min(1).max(256).default(8),
    /** Only the last this many characters are judged. Defaults to 4000. */
    maxChars: z.number().int().min(1).max(100_000).default(4000),
    /** What a judge failure (model missing, error) counts as. Defaults to `allow` (logged). */
    onError: z.enum(["allow", "block"]).default("allow"),
  })
  .strict();

const ruleSchema = z
  .object({
    name,
    /** Which direction the rule checks. Defaults to both. */
    on: z.enum(["input", "output", "both"]).default("both"),
    /** `allow`: record only; `annotate`: answer stands with a note; `redact`: span replaced; `block`: refused / cut. */
    action: z.enum(["allow", "annotate", "redact", "block"]),
    /** Told to the client and written to the audit log. */
    reason: z.string().min(1).max(500),
    keywords: z.array(z.string().min(1)).default([]),
    regex: z.array(z.string().min(1)).default([]),
    pii: z.array(z.enum(PII_KINDS)).default([]),
    judge: judgeSchema.optional(),
    /** Defaults to false. */
    caseSensitive: z.boolean().default(false),
    /** Keywords match only as whole words where the script has word boundaries. Defaults to true. */
    wholeWord: z.boolean().default(true),
    /** Longest regex match in characters (and so the most a stream is held back for it). Defaults to 64. */
    window: z.number().int().min(1).max(2000).default(DEFAULT_REGEX_WINDOW),
    /** Replaces a redacted span. Defaults to `[redacted]`. */
    marker: z.string().max(200).default(DEFAULT_REDACTION_MARKER),
    /** Input messages checked, by role. Defaults to system, user and tool (not earlier answers). */
    roles: z.array(z.enum(["system", "user", "assistant", "tool"])).min(1).default(["system", "user", "tool"]),
  })
  .strict()
  .superRefine((rule, ctx) => {
    if (rule.keywords.length + rule.regex.length + rule.pii.length === 0 && !rule.judge) {
      ctx.addIssue({ code: "custom", message: "a rule needs at least one of keywords, regex, pii or judge" });
    }
    if (rule.judge && rule.action === "redact") {
      ctx.addIssue({ code: "custom", path: ["action"], message: "a judge answers yes/no and has no span to redact; use annotate or block" });
    }
    rule.regex.forEach((source, index) => {
      try {
        new RegExp(source, "gu");
      } catch (error) {
        ctx.addIssue({ code: "custom", path: ["regex", index], message: `invalid regular expression: ${(error as Error).message}` });
      }
    });
    if (rule.judge) {
      try {
        new RegExp(rule.judge.yes, "iu");
      } catch (error) {
        ctx.addIssue({ code: "custom", path: ["judge", "yes"], message: `invalid regular expression: ${(error as Error).message}` });
      }
    }
  });

const policySchema = z
  .object({
    name,
    description: z.string().optional(),
    /** API key ids or names the policy applies to. Defaults to every caller. */
    keys: z.array(z.string().min(1)).optional(),
    /** Served model ids the policy applies to. Defaults to every model. */
    models: z.array(z.string().min(1)).optional(),
    rules: z.array(ruleSchema).min(1),
  })
  .strict()
  .superRefine((policy, ctx) => {
    const seen = new Set<string>();
    policy.rules.forEach((rule, index) => {
      if (seen.has(rule.name)) ctx.addIssue({ code: "custom", path: ["rules", index, "name"], message: `duplicate rule name "${rule.name}"` });
      seen.add(rule.name);
    });
  });

export const privacySchema = z
  .object({
    /** `off`; `mask`: placeholders out, originals back in; `block`: refuse requests carrying private data. Defaults to off. */
    mode: z.enum(["off", "mask", "block"]).default("off"),
    /** Detectors used by the shield. Defaults to all. */
    detectors: z.array(z.enum(PII_KINDS)).min(1).default([...PII_KINDS]),
    /** `remote`: only requests leaving the machine; `all`: every generation, local ones too. Defaults to remote. */
    scope: z.enum(["remote", "all"]).default("remote"),
    /** Whether stored conversations keep private data or have it masked (`[EMAIL]`). Defaults to keep. */
    conversations: z.enum(["keep", "mask"]).default("keep"),
  })
  .strict();

export const auditSchema = z
  .object({
    /** The matched excerpt in the audit log: kept, replaced by its SHA-256, or dropped. Defaults to hash. */
    excerpt: z.enum(["keep", "hash", "drop"]).default("hash"),
    /** Longest excerpt kept, in characters. Defaults to 200. */
    excerptChars: z.number().int().min(1).max(10_000).default(200),
    /** Mask private data in kept excerpts (`[EMAIL]`). Defaults to true. */
    maskPii: z.boolean().default(true),
  })
  .strict();

const days = z.number().positive().max(36_500);
export const retentionSchema = z
  .object({
    /** Days conversations are kept. Defaults to forever. */
    conversationDays: days.optional(),
    /** Days per-request ledger details are kept. Defaults to forever. */
    ledgerDays: days.optional(),
    /** Days audit entries are kept. Defaults to forever. */
    auditDays: days.optional(),
    /** Minutes between retention runs. Defaults to 60. */
    intervalMinutes: z.number().positive().max(10_080).default(60),
  })
  .strict();

export const policyFileSchema = z
  .object({
    version: z.literal(1).default(1),
    policies: z.array(policySchema).default([]),
    privacy: privacySchema.default(() => privacySchema.parse({})),
    audit: auditSchema.default(() => auditSchema.parse({})),
    retention: retentionSchema.default(() => retentionSchema.parse({})),
  })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.policies.forEach((policy, index) => {
      if (seen.has(policy.name)) ctx.addIssue({ code: "custom", path: ["policies", index, "name"], message: `duplicate policy name "${policy.name}"` });
      seen.add(policy.name);
    });
  });

export type PolicyFile = z.infer<typeof policyFileSchema>;
export type PolicyConfig = PolicyFile["policies"][number];
export type RuleConfig = PolicyConfig["rules"][number];
export type JudgeConfig = NonNullable<RuleConfig["judge"]>;
export type PrivacyConfig = PolicyFile["privacy"];
export type AuditConfig = PolicyFile["audit"];
export type RetentionConfig = PolicyFile["retention"];
export type ModerationAction = RuleConfig["action"];
