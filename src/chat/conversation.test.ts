import { describe, expect, it } from "vitest";
import { Conversation } from "./conversation.ts";

describe("Conversation", () => {
  it("builds a streaming request with usage, thinking and max_tokens", () => {
    const conversation = new Conversation({ model: "m", system: "Be brief.", thinking: false, maxTokens: 7 });
    expect(conversation.requestBody("hi")).toEqual({
      model: "m",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "hi" },
      ],
      stream_options: { include_usage: true },
      thinking: { type: "disabled" },
      max_tokens: 7,
    });
  });

  it("omits thinking for a model that cannot think, and the system message when there is none", () => {
    const body = new Conversation({ model: "m", sendThinking: false }).requestBody("hi");
    expect(body).not.toHaveProperty("thinking");
    expect(body).not.toHaveProperty("max_tokens");
    expect(body.messages).toEqual([{ role: "user", content: "hi" }]);
  });

  it("sends earlier turns back with content only, and clear() keeps the system prompt", () => {
    const conversation = new Conversation({ model: "m", system: "S" });
    expect(conversation.record("q1", "a1")).toBe(true);
    expect(conversation.requestBody("q2").messages).toEqual([
      { role: "system", content: "S" },
      { role: "user", content: "q1" },
      { role: "assistant", content: "a1" },
      { role: "user", content: "q2" },
    ]);
    conversation.clear();
    expect(conversation.requestBody("q3").messages).toEqual([
      { role: "system", content: "S" },
      { role: "user", content: "q3" },
    ]);
  });

  it("does not record an exchange whose answer has no content", () => {
    const conversation = new Conversation({ model: "m" });
    expect(conversation.record("q", "  ")).toBe(false);
    expect(conversation.history).toEqual([]);
  });
});
