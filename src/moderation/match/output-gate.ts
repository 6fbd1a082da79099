/**
 * The gate between the model's streamed text and the client. Text passes as soon as it is
 * settled (no rule match can still start in it); matched spans are redacted in place; a `block`
 * match releases the text before it and then closes the gate. What was already released stays
 * released — the client is told what happened, never shown a rewritten past.
 */
import { StreamScanner, type RuleHit } from "./stream-scanner.ts";
import type { CompiledPolicySet, CompiledRule } from "../policy/compile-policy.ts";

export interface GateResult {
  /** Text the client may have now (possibly with redaction markers). */
  release: string;
  /** Every rule match decided in this step, in stream order (for the audit log and notices). */
  hits: RuleHit[];
  /** Set when a `block` rule matched: nothing after `release` may be sent. */
  blocked?: RuleHit;
}

export class OutputGate {
  readonly #scanner: StreamScanner;
  /** Offset in the raw text up to which the client has been sent output. */
  #released = 0;
  /** Redactions decided but not yet released, by start. */
  #redactions: RuleHit[] = [];
  #closed = false;

  constructor(policy: CompiledPolicySet, rules: readonly CompiledRule[]) {
    this.#scanner = new StreamScanner(policy, rules);
  }

  /** Whether any rule watches this stream; an inactive gate passes text straight through. */
  get active(): boolean {
    return this.#scanner.active;
  }

  get closed(): boolean {
    return this.#closed;
  }

  push(delta: string): GateResult {
    if (this.#closed) return { release: "", hits: [] };
    if (!this.#scanner.active) return { release: delta, hits: [] };
    return this.#apply(this.#scanner.push(delta));
  }

  /** The end of the stream: everything not withheld is released. */
  finish(): GateResult {
    if (this.#closed || !this.#scanner.active) return { release: "", hits: [] };
    return this.#apply(this.#scanner.finish());
  }

  #apply({ hits, settled }: { hits: RuleHit[]; settled: number }): GateResult {
    const blocked = hits.find((hit) => hit.rule.action === "block");
    const decided = blocked ? hits.filter((hit) => hit.start <= blocked.start) : hits;
    for (const hit of decided) {
      if (hit.rule.action !== "redact" || hit.end <= this.#released) continue;
      // A span overlapping one already chosen is covered by it.
      if (this.#redactions.some((r) => hit.start < r.end && hit.end > r.start)) continue;
      this.#redactions.push({ ...hit, start: Math.max(hit.start, this.#released) });
      this.#redactions.sort((a, b) => a.start - b.start);
    }
    let until = blocked ? Math.max(this.#released, blocked.start) : settled;
    // Never split a redaction: release up to its start and keep the rest back.
    for (const r of this.#redactions) if (r.start < until && r.end > until) until = r.start;
    const release = this.#take(until);
    if (blocked) this.#closed = true;
    return { release, hits: decided, blocked };
  }

  /** The raw text from the released offset to `until`, with redactions applied. */
  #take(until: number): string {
    if (until <= this.#released) return "";
    const text = this.#scanner.text;
    let out = "";
    let at = this.#released;
    while (this.#redactions.length > 0 && this.#redactions[0].start < until) {
      const r = this.#redactions.shift() as RuleHit;
      out += text.slice(at, r.start) + r.rule.marker;
      at = r.end;
    }
    out += text.slice(at, Math.max(at, until));
    this.#released = Math.max(until, at);
    return out;
  }
}
