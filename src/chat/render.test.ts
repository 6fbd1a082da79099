import { describe, expect, it } from "vitest";
import { Capture } from "./fake-openai-server.ts";
import { ChatView, formatModeration, formatSeconds, formatStatus } from "./render.ts";

describe("formatting", () => {
  it("formats seconds with one decimal below ten", () => {
    expect(formatSeconds(0)).toBe("0.0");
    expect(formatSeconds(2345)).toBe("2.3");
    expect(formatSeconds(12_600)).toBe("13");
  });

  it("builds the status line from what is known", () => {
    const usage = { prompt_tokens: 13, completion_tokens: 8, prompt_tokens_details: { cached_tokens: 9 }, completion_tokens_details: { reasoning_tokens: 3 } };
    expect(formatStatus({ usage, tokensPerSecond: 41.66, timeToFirstTokenMs: 85.4 })).toBe(
      "tokens: 13 prompt, 9 cached, 3 reasoning, 8 output · 41.7 tok/s · first token 85 ms",
    );
    expect(formatStatus({ timeToFirstTokenMs: 10 })).toBe("first token 10 ms");
    expect(formatStatus({})).toBe("");
  });

  it("explains withheld answers", () => {
    expect(formatModeration({ policy: "family", rule: "r1", action: "withhold", reason: "violence" })).toBe("Withheld by policy family: violence");
    expect(formatModeration(undefined)).toBe("Withheld by the content filter.");
  });
});

describe("ChatView", () => {
  it("puts reasoning under Thinking…, then Thought for, then the answer and status on their own lines", () => {
    const out = new Capture();
    const view = new ChatView(out);
    view.reasoning("Let me");
    view.reasoning(" think.");
    view.content("Answer", 2345);
    view.content(" here.", 9999);
    view.endTurn(["[stopped at the token limit]"], "first token 5 ms");
    expect(out.text).toBe("Thinking…\nLet me think.\nThought for 2.3 s\n\nAnswer here.\n[stopped at the token limit]\nfirst token 5 ms\n\n");
  });

  it("writes no escape codes when the output is not a terminal", () => {
    const out = new Capture();
    const view = new ChatView(out);
    view.reasoning("r");
    view.content("c", 1);
    view.note("note");
    view.error("bad");
    view.endTurn([], "status");
    // eslint-disable-next-line no-control-regex
    expect(out.text).not.toMatch(/\u001b\[/);
  });

  it("starts an error on a new line and keeps the answer's partial line", () => {
    const out = new Capture();
    const view = new ChatView(out);
    view.content("partial");
    view.failed();
    view.error("Cannot reach the server");
    expect(out.text).toBe("partial\nError: Cannot reach the server\n");
  });
});
