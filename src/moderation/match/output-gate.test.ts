import { describe, expect, it } from "vitest";
import { parsePolicyText } from "../policy/load-policy-file.ts";
import { OutputGate } from "./output-gate.ts";

/** A one-policy set from rules written as YAML-compatible objects. */
function policyOf(rules: object[]) {
  return parsePolicyText(JSON.stringify({ policies: [{ name: "test", rules }] }), "test.json");
}

/** Streams `pieces` through a fresh gate: what the client got, which rules fired, and whether it was cut. */
function run(rules: object[], pieces: string[]) {
  const policy = policyOf(rules);
  const gate = new OutputGate(policy, policy.rules);
  let released = "";
  const fired: string[] = [];
  let blocked: string | undefined;
  for (const piece of [...pieces, null]) {
    const result = piece === null ? gate.finish() : gate.push(piece);
    released += result.release;
    fired.push(...result.hits.map((h) => `${h.rule.rule}:${h.text}`));
    if (result.blocked) {
      blocked = result.blocked.rule.rule;
      break;
    }
  }
  return { released, fired, blocked };
}

/** The text cut token-like: whole, per character, and in chunks of 2, 3 and 5 at every offset. */
function chunkings(text: string): string[][] {
  const out: string[][] = [[text], [...text]];
  for (const size of [2, 3, 5]) {
    for (let offset = 0; offset < size; offset++) {
      const pieces = [text.slice(0, offset)];
      for (let i = offset; i < text.length; i += size) pieces.push(text.slice(i, i + size));
      out.push(pieces.filter((p) => p !== ""));
    }
  }
  return out;
}

/** Runs every chunking and checks they all agree; returns the common result. */
function runAll(rules: object[], text: string) {
  const results = chunkings(text).map((pieces) => run(rules, pieces));
  for (const result of results) expect(result).toEqual(results[0]);
  return results[0];
}

const block = (keywords: string[], extra: object = {}) => ({ name: "topic", action: "block", reason: "off topic", keywords, ...extra });

describe("OutputGate", () => {
  it("block: releases the text before the match, then closes — however the stream is cut", () => {
    const result = runAll([block(["forbidden fruit"])], "The answer is forbidden fruit and more text.");
    expect(result).toEqual({ released: "The answer is ", fired: ["topic:forbidden fruit"], blocked: "topic" });
  });

  it("a partial keyword that does not complete is released after all", () => {
    expect(runAll([block(["forbidden"])], "It is forbidding and forbid.")).toEqual({ released: "It is forbidding and forbid.", fired: [], blocked: undefined });
  });

  it("holds back only what could still become a keyword", () => {
    const policy = policyOf([block(["forbidden"])]);
    const gate = new OutputGate(policy, policy.rules);
    expect(gate.push("Hello world ").release).toBe("Hello world ");
    expect(gate.push("and forb").release).toBe("and ");
    expect(gate.push("s").release).toBe("forbs");
  });

  it("redact: the span is replaced by the marker, the rest streams on", () => {
    const rules = [{ name: "names", action: "redact", reason: "no names", keywords: ["Voldemort"], marker: "[name]" }];
    expect(runAll(rules, "Then Voldemort said hi to voldemort.")).toEqual({
      released: "Then [name] said hi to [name].",
      fired: ["names:Voldemort", "names:voldemort"],
      blocked: undefined,
    });
  });

  it("whole words only (by default), except in scripts without spaces", () => {
    const rules = [block(["ass", "폭탄"], { action: "annotate" })];
    expect(runAll(rules, "A class assignment.").fired).toEqual([]);
    expect(runAll(rules, "You ass.").fired).toEqual(["topic:ass"]);
    expect(runAll(rules, "그는폭탄을").fired).toEqual(["topic:폭탄"]);
    expect(runAll([block(["ass"], { action: "annotate", wholeWord: false })], "A class.").fired).toEqual(["topic:ass"]);
  });

  it("annotate and allow leave the text untouched", () => {
    const rules = [block(["apple"], { name: "a", action: "annotate" }), block(["pear"], { name: "b", action: "allow" })];
    expect(runAll(rules, "An apple and a pear.")).toEqual({ released: "An apple and a pear.", fired: ["a:apple", "b:pear"], blocked: undefined });
  });

  it("regex rules match across tokens within their window", () => {
    const rules = [{ name: "ticket", action: "redact", reason: "internal ids", regex: ["\\bTICKET-\\d{3,6}\\b"], window: 16 }];
    expect(runAll(rules, "See TICKET-12345 and TICKET-9.").released).toBe("See [redacted] and TICKET-9.");
  });

  it("PII rules redact values split across tokens, never leaking a fragment", () => {
    const rules = [{ name: "pii", action: "redact", reason: "private data", pii: ["email", "credit-card", "phone"], marker: "[private]" }];
    const text = "Write to alice@example.com, pay with 4111 1111 1111 1111 or call 010-1234-5678 today.";
    expect(runAll(rules, text).released).toBe("Write to [private], pay with [private] or call [private] today.");
  });

  it("a match decided only at the end of the stream still counts", () => {
    expect(runAll([block(["end"])], "This is the end")).toEqual({ released: "This is the ", fired: ["topic:end"], blocked: "topic" });
  });

  it("without rules the gate passes every piece through unchanged", () => {
    const policy = policyOf([block(["x"])]);
    const gate = new OutputGate(policy, []);
    expect(gate.active).toBe(false);
    expect(gate.push("forb").release).toBe("forb");
  });
});
