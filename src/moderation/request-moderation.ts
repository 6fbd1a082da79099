/**
 * One request's moderation state: the policy snapshot it runs under (a reload mid-request does
 * not change the rules half-way), who asked, and the decisions so far — each written to the
 * audit log, the most severe one kept as the notice the client gets in the final chunk.
 */
import type { ModerationNotice } from "../core/events.ts";
import type { AuditRecorder } from "./audit/audit-recorder.ts";
import { auditExcerpt } from "./audit/excerpt.ts";
import type { CompiledPolicySet, CompiledRule } from "./policy/compile-policy.ts";

const SEVERITY: Record<ModerationNotice["action"], number> = { annotate: 1, redact: 2, block: 3 };

export interface RequestInfo {
  requestId: string;
  keyId: string | null;
  model: string;
}

export class RequestModeration {
  #notice?: ModerationNotice;

  constructor(
    readonly policy: CompiledPolicySet,
    readonly info: RequestInfo,
    private readonly recorder: AuditRecorder,
    private readonly now: () => Date,
  ) {}

  /** The most severe notice so far (the first of equal severity), for the final chunk. */
  get notice(): ModerationNotice | undefined {
    return this.#notice;
  }

  /** Records that `rule` matched `text`; returns the notice the client is owed (none for `allow`). */
  decide(rule: CompiledRule, text: string): ModerationNotice | undefined {
    this.record(rule.policy, rule.rule, rule.action, text);
    if (rule.action === "allow") return undefined;
    const notice: ModerationNotice = { policy: rule.policy, rule: rule.rule, action: rule.action, reason: rule.reason };
    if (!this.#notice || SEVERITY[notice.action] > SEVERITY[this.#notice.action]) this.#notice = notice;
    return notice;
  }

  /** Writes one audit row; the excerpt is kept, hashed or dropped per the policy's `audit` settings. */
  record(policy: string, rule: string, action: string, text: string): void {
    this.recorder.record([
      {
        time: this.now().toISOString(),
        requestId: this.info.requestId,
        keyId: this.info.keyId,
        model: this.info.model,
        policy,
        rule,
        action,
        excerpt: auditExcerpt(text, this.policy.audit, this.policy.shield),
      },
    ]);
  }
}
