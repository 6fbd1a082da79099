/**
 * Turns a validated policy file into what runs per request: every keyword of every rule in one
 * Aho-Corasick automaton per case mode (so 1,000 keyword rules cost one automaton step per
 * character, not 1,000), regexes compiled once, and a quick lookup of the rules that apply to a
 * given key and model.
 */
import type { MessageRole } from "../../core/request.ts";
import { AhoCorasick } from "../match/aho-corasick.ts";
import type { PiiKind } from "../pii/detectors.ts";
import { PrivacyShield } from "../pii/privacy-shield.ts";
import type { AuditConfig, JudgeConfig, ModerationAction, PolicyFile, PrivacyConfig, RetentionConfig } from "./policy-schema.ts";

export interface CompiledRule {
  /** Position in {@link CompiledPolicySet.rules}; keyword patterns point back here. */
  index: number;
  policy: string;
  rule: string;
  action: ModerationAction;
  reason: string;
  marker: string;
  input: boolean;
  output: boolean;
  roles: ReadonlySet<MessageRole>;
  /** Regexes with the `g` flag (and `i` unless case-sensitive). */
  regexes: readonly RegExp[];
  /** Longest regex match looked for in a stream. */
  window: number;
  pii: readonly PiiKind[];
  judge?: JudgeConfig;
  hasKeywords: boolean;
}

/** One keyword in the shared automaton, and the rule it belongs to. */
export interface KeywordEntry {
  rule: number;
  wholeWord: boolean;
}

export interface KeywordIndex {
  automaton: AhoCorasick;
  /** Pattern id → rule and options. */
  entries: readonly KeywordEntry[];
}

export interface CompiledPolicySet {
  /** Names of the policies, in file order. */
  policies: readonly string[];
  rules: readonly CompiledRule[];
  /** Case-insensitive and case-sensitive keywords. */
  keywordIndexes: readonly KeywordIndex[];
  privacy: PrivacyConfig;
  shield: PrivacyShield;
  audit: AuditConfig;
  retention: RetentionConfig;
  /** The rules that apply to this caller and model (policies scoped by `keys` / `models`). */
  rulesFor(keyIds: readonly string[], model: string): readonly CompiledRule[];
}

export function compilePolicySet(file: PolicyFile): CompiledPolicySet {
  const rules: CompiledRule[] = [];
  const scopes: Array<{ keys?: ReadonlySet<string>; models?: ReadonlySet<string>; rules: CompiledRule[] }> = [];
  const keywords = { insensitive: [] as string[], sensitive: [] as string[] };
  const entries = { insensitive: [] as KeywordEntry[], sensitive: [] as KeywordEntry[] };
  for (const policy of file.policies) {
    const scoped: CompiledRule[] = [];
    for (const config of policy.rules) {
      const index = rules.length;
      const flags = config.caseSensitive ? "gu" : "giu";
      const rule: CompiledRule = {
        index,
        policy: policy.name,
        rule: config.name,
        action: config.action,
        reason: config.reason,
        marker: config.marker,
        input: config.on !== "output",
        output: config.on !== "input",
        roles: new Set(config.roles),
        regexes: config.regex.map((source) => new RegExp(source, flags)),
        window: config.window,
        pii: config.pii,
        judge: config.judge,
        hasKeywords: config.keywords.length > 0,
      };
      const mode = config.caseSensitive ? "sensitive" : "insensitive";
      for (const keyword of config.keywords) {
        keywords[mode].push(keyword);
        entries[mode].push({ rule: index, wholeWord: config.wholeWord });
      }
      rules.push(rule);
      scoped.push(rule);
    }
    scopes.push({ keys: policy.keys && new Set(policy.keys), models: policy.models && new Set(policy.models), rules: scoped });
  }
  const keywordIndexes: KeywordIndex[] = [];
  if (keywords.insensitive.length > 0) keywordIndexes.push({ automaton: new AhoCorasick(keywords.insensitive, { caseInsensitive: true }), entries: entries.insensitive });
  if (keywords.sensitive.length > 0) keywordIndexes.push({ automaton: new AhoCorasick(keywords.sensitive, { caseInsensitive: false }), entries: entries.sensitive });
  return {
    policies: file.policies.map((p) => p.name),
    rules,
    keywordIndexes,
    privacy: file.privacy,
    shield: new PrivacyShield({ kinds: file.privacy.detectors }),
    audit: file.audit,
    retention: file.retention,
    rulesFor(keyIds, model) {
      return scopes
        .filter((scope) => (!scope.keys || keyIds.some((id) => scope.keys?.has(id))) && (!scope.models || scope.models.has(model)))
        .flatMap((scope) => scope.rules);
    },
  };
}
