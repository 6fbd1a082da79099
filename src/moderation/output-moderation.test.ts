import { describe, expect, it } from "vitest";
import type { GenerationEvent, GenerationOutcome } from "../core/events.ts";
import { ModelRegistry } from "../pipeline/model-registry.ts";
import { AuditRecorder } from "./audit/audit-recorder.ts";
import { MemoryAuditStore } from "./audit/audit-store.ts";
import { moderateOutput } from "./output-moderation.ts";
import { PrivacyShield } from "./pii/privacy-shield.ts";
import { parsePolicyText } from "./policy/load-policy-file.ts";
import { RequestModeration } from "./request-moderation.ts";

const USAGE = { promptTokens: 5, cachedPromptTokens: 0, completionTokens: 9, reasoningTokens: 0 };
const TIMINGS = { timeToFirstTokenMs: 1, queueMs: 0, totalMs: 2 };

/** An upstream as the pipeline yields it, reporting `cancelled` when stopped early (as `generate` does). */
async function* upstream(events: GenerationEvent[], onSettled: (o: GenerationOutcome) => void): AsyncGenerator<GenerationEvent> {
  let finished = false;
  try {
    for (const event of events) yield event;
    finished = true;
  } finally {
    onSettled(finished ? { status: "completed", usage: USAGE } : { status: "cancelled", usage: { ...USAGE, completionTokens: 4 } });
  }
}

async function moderate(policyJson: object, events: GenerationEvent[], vaultFrom?: string) {
  const policy = parsePolicyText(JSON.stringify(policyJson), "p.json");
  const store = new MemoryAuditStore();
  const moderation = new RequestModeration(policy, { requestId: "r1", keyId: "key_1", model: "m" }, new AuditRecorder(store), () => new Date(0));
  const vault = vaultFrom === undefined ? undefined : new PrivacyShield().mask(vaultFrom).vault;
  let settle!: (o: GenerationOutcome) => void;
  const settled = new Promise<GenerationOutcome>((resolve) => (settle = resolve));
  const out: GenerationEvent[] = [];
  const stream = moderateOutput(upstream(events, (o) => settle(o)), {
    moderation,
    rules: policy.rules,
    vault,
    settled,
    judge: { models: new ModelRegistry(), signal: new AbortController().signal },
  });
  for await (const event of stream) out.push(event);
  return { out, audit: await store.list() };
}

const text = (t: string): GenerationEvent => ({ type: "text-delta", text: t });
const start: GenerationEvent = { type: "start", id: "r1", model: "m", created: 0, promptTokens: 5 };
const finish: GenerationEvent = { type: "finish", finishReason: "length", usage: USAGE, timings: TIMINGS };
const contentOf = (events: GenerationEvent[]) => events.map((e) => (e.type === "text-delta" ? e.text : "")).join("");

describe("moderateOutput", () => {
  it("restores placeholders split across tokens, in content and tool-call arguments", async () => {
    const events: GenerationEvent[] = [
      start,
      ...["Sure, [EM", "AIL_", "1] is ", "noted. [", "CARD_1", "]"].map(text),
      { type: "tool-call-start", index: 0, id: "c", name: "send" },
      ...['{"to": "[EMAIL', '_1]"}'].map((a): GenerationEvent => ({ type: "tool-call-delta", index: 0, argumentsDelta: a })),
      { type: "tool-call-end", index: 0 },
      finish,
    ];
    const { out } = await moderate({}, events, "bob@example.com 4111 1111 1111 1111");
    expect(contentOf(out)).toBe("Sure, bob@example.com is noted. 4111 1111 1111 1111");
    const args = out.map((e) => (e.type === "tool-call-delta" ? e.argumentsDelta : "")).join("");
    expect(args).toBe('{"to": "bob@example.com"}');
    expect(out.at(-1)).toEqual(finish);
  });

  it("a block mid-stream stops the generation and reports the tokens it used", async () => {
    const policy = { policies: [{ name: "p", rules: [{ name: "r", action: "block", reason: "no", keywords: ["secret plan"] }] }] };
    const { out, audit } = await moderate(policy, [start, ...["The ", "secret ", "plan is", " this"].map(text), finish]);
    expect(contentOf(out)).toBe("The ");
    expect(out.at(-2)).toEqual({ type: "moderation", notice: { policy: "p", rule: "r", action: "block", reason: "no" } });
    expect(out.at(-1)).toMatchObject({ type: "finish", finishReason: "content_filter", usage: { completionTokens: 4 }, moderation: { rule: "r" } });
    expect(audit).toEqual([{ time: new Date(0).toISOString(), requestId: "r1", keyId: "key_1", model: "m", policy: "p", rule: "r", action: "block", excerpt: expect.stringMatching(/^sha256:/) }]);
  });

  it("passes logprobs along with the text they belong to when text is held back", async () => {
    const lp = (token: string) => ({ token, logprob: -1, bytes: [], top: [] });
    const policy = { policies: [{ name: "p", rules: [{ name: "r", action: "redact", reason: "x", keywords: ["abc"] }] }] };
    const events: GenerationEvent[] = [start, { type: "text-delta", text: "a", logprobs: [lp("a")] }, { type: "text-delta", text: "b", logprobs: [lp("b")] }, { type: "text-delta", text: "x", logprobs: [lp("x")] }, finish];
    const { out } = await moderate(policy, events);
    const deltas = out.filter((e) => e.type === "text-delta");
    expect(deltas.map((e) => e.text).join("")).toBe("abx");
    expect(deltas.flatMap((e) => e.logprobs ?? []).map((l) => l.token)).toEqual(["a", "b", "x"]);
  });

  it("reasoning is moderated too, and a tool call flushes held text first", async () => {
    const policy = { policies: [{ name: "p", rules: [{ name: "r", action: "redact", reason: "x", keywords: ["hidden"], marker: "#" }] }] };
    const events: GenerationEvent[] = [start, { type: "reasoning-delta", text: "a hidden thought" }, text("call hid"), { type: "tool-call-start", index: 0, id: "c", name: "f" }, { type: "tool-call-end", index: 0 }, finish];
    const { out } = await moderate(policy, events);
    expect(out.filter((e) => e.type === "reasoning-delta").map((e) => e.text).join("")).toBe("a # thought");
    const order = out.map((e) => e.type);
    expect(order.indexOf("text-delta")).toBeLessThan(order.indexOf("tool-call-start"));
    expect(contentOf(out)).toBe("call hid");
    expect(out.at(-1)).toMatchObject({ finishReason: "length", moderation: { action: "redact" } });
  });
});
