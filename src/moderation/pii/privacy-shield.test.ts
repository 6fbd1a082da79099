import { describe, expect, it } from "vitest";
import { parsePolicyText } from "../policy/load-policy-file.ts";
import { textForStorage } from "../stored-text.ts";
import { PiiVault, PrivacyShield, StreamUnmasker } from "./privacy-shield.ts";

const shield = new PrivacyShield();
const PROMPT = "Mail alice@example.com or bob@example.org, call +1 415 555 2671, card 4111 1111 1111 1111. Again: alice@example.com.";

/** Streams `text` through an unmasker in pieces cut at `cuts`. */
function streamUnmask(vault: PiiVault, pieces: string[]): string {
  const unmasker = new StreamUnmasker(vault);
  return pieces.map((piece) => unmasker.push(piece)).join("") + unmasker.flush();
}

/** Every way of cutting `text` into pieces of `size` characters, at every offset. */
function chunkings(text: string, size: number): string[][] {
  const out: string[][] = [];
  for (let offset = 0; offset < size; offset++) {
    const pieces = [text.slice(0, offset)];
    for (let i = offset; i < text.length; i += size) pieces.push(text.slice(i, i + size));
    out.push(pieces.filter((p) => p !== ""));
  }
  return out;
}

describe("PrivacyShield.mask", () => {
  it("replaces every value with a stable placeholder; the same value gets the same one", () => {
    const { text, vault, findings } = shield.mask(PROMPT);
    expect(text).toBe("Mail [EMAIL_1] or [EMAIL_2], call [PHONE_1], card [CARD_1]. Again: [EMAIL_1].");
    expect(findings.map((f) => f.kind)).toEqual(["email", "email", "phone", "credit-card", "email"]);
    expect(vault.original("[EMAIL_2]")).toBe("bob@example.org");
    // A second text masked with the same vault continues its numbering and reuses its placeholders.
    expect(shield.mask("bob@example.org and carol@example.net", vault).text).toBe("[EMAIL_2] and [EMAIL_3]");
  });

  it("never hands out a placeholder the text already contains literally", () => {
    const { text, vault } = shield.mask("The template says [EMAIL_1]; mine is dave@example.com");
    expect(text).toBe("The template says [EMAIL_1]; mine is [EMAIL_2]");
    expect(shield.unmask("Reply to [EMAIL_2], not [EMAIL_1]", vault)).toBe("Reply to dave@example.com, not [EMAIL_1]");
  });

  it("round-trips: unmask(mask(text)) is the text", () => {
    const { text, vault } = shield.mask(PROMPT);
    expect(shield.unmask(text, vault)).toBe(PROMPT);
  });
});

describe("StreamUnmasker", () => {
  const { text: masked, vault } = shield.mask(PROMPT);

  it.each([1, 2, 3, 5, 7])("restores placeholders split across tokens (pieces of %i chars, every offset)", (size) => {
    for (const pieces of chunkings(masked, size)) expect(streamUnmask(vault, pieces)).toBe(PROMPT);
  });

  it("releases text at once when a bracket cannot start a placeholder", () => {
    const unmasker = new StreamUnmasker(vault);
    expect(unmasker.push("array[0] and [E")).toBe("array[0] and ");
    expect(unmasker.push("X")).toBe("[EX");
    expect(unmasker.push(" [EMAIL_")).toBe(" ");
    expect(unmasker.push("1] done")).toBe("alice@example.com done");
  });

  it("flushes an unfinished placeholder as it is at the end of the stream", () => {
    expect(streamUnmask(vault, ["see [EMA", "IL_"])).toBe("see [EMAIL_");
  });
});

describe("PrivacyShield.redact", () => {
  it("replaces values by their kind, irreversibly", () => {
    expect(shield.redact("alice@example.com paid with 4111 1111 1111 1111")).toBe("[EMAIL] paid with [CARD]");
  });
  it("runs only the chosen detectors", () => {
    expect(new PrivacyShield({ kinds: ["phone"] }).redact("alice@example.com, 010-1234-5678")).toBe("alice@example.com, [PHONE]");
  });
});

describe("textForStorage", () => {
  it("masks stored conversations only when the policy says so", () => {
    const text = "reach me at alice@example.com";
    expect(textForStorage(text, parsePolicyText("privacy: {conversations: mask}", "p.yaml"))).toBe("reach me at [EMAIL]");
    expect(textForStorage(text, parsePolicyText("", "p.yaml"))).toBe(text);
  });
});
