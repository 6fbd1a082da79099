import { describe, expect, it } from "vitest";
import { analyzeStream, eventCarriesToken, SseTimingParser, type TimedSseEvent } from "./sse-timing.ts";

const chunk = (delta: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  `data: ${JSON.stringify({ object: "chat.completion.chunk", choices: [{ index: 0, delta, finish_reason: null, ...extra }] })}\n\n`;

describe("SseTimingParser", () => {
  it("stamps each event with the arrival time of the piece that completed it", () => {
    const parser = new SseTimingParser();
    expect(parser.push("data: {\"a\"", 10)).toEqual([]);
    expect(parser.push(":1}\n", 12)).toEqual([]);
    expect(parser.push("\ndata: two\n\ndata: three\n\n", 15)).toEqual([
      { data: '{"a":1}', at: 15 },
      { data: "two", at: 15 },
      { data: "three", at: 15 },
    ]);
  });

  it("handles CRLF split across reads, comments, other fields and multi-line data", () => {
    const parser = new SseTimingParser();
    const events = [
      ...parser.push(": keep-alive\r\nevent: message\r\nid: 7\r\ndata: first\r", 1),
      ...parser.push("\ndata:second\r\n\r", 2),
      ...parser.push("\n", 3),
    ];
    expect(events).toEqual([{ data: "first\nsecond", at: 3 }]);
  });

  it("dispatches an unterminated last event at end of stream", () => {
    const parser = new SseTimingParser();
    expect(parser.push("data: [DONE]", 5)).toEqual([]);
    expect(parser.end(6)).toEqual([{ data: "[DONE]", at: 6 }]);
    expect(parser.end(7)).toEqual([]);
  });

  it("ignores blank lines that close no data", () => {
    expect(new SseTimingParser().push("\n\n: ping\n\n", 1)).toEqual([]);
  });
});

describe("analyzeStream", () => {
  const parse = (pieces: Array<[string, number]>): TimedSseEvent[] => {
    const parser = new SseTimingParser();
    return pieces.flatMap(([text, at]) => parser.push(text, at));
  };

  it("times token-carrying chat chunks and reads usage", () => {
    const events = parse([
      [chunk({ role: "assistant", content: "" }), 105],
      [chunk({ reasoning_content: "Hmm" }), 130],
      [chunk({ content: "Hel" }) + chunk({ content: "lo" }), 150],
      [chunk({ content: "!" }), 175],
      [chunk({}, { finish_reason: "length" }), 176],
      [
        `data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 40, completion_tokens: 4, prompt_tokens_details: { cached_tokens: 32 } } })}\n\n`,
        177,
      ],
      ["data: [DONE]\n\n", 178],
    ]);
    const timing = analyzeStream(events, 100);
    expect(timing.firstTokenMs).toBe(30); // the role chunk with empty content is not a token
    expect(timing.lastTokenMs).toBe(75);
    expect(timing.tokenChunkMs).toEqual([30, 50, 50, 75]);
    expect(timing.interChunkMs).toEqual([20, 0, 25]);
    expect(timing.usage).toEqual({ promptTokens: 40, completionTokens: 4, cachedTokens: 32 });
    expect(timing.text).toBe("Hello!"); // reasoning is not part of the text
    expect(timing.finishReason).toBe("length");
    expect(timing.done).toBe(true);
    expect(timing.error).toBeNull();
  });

  it("reads legacy completions chunks and DeepSeek's cache field", () => {
    const events = parse([
      [`data: ${JSON.stringify({ choices: [{ index: 0, text: " a", finish_reason: null }] })}\n\n`, 12],
      [`data: ${JSON.stringify({ choices: [{ index: 0, text: "", finish_reason: "length" }] })}\n\n`, 13],
      [`data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 5, completion_tokens: 1, prompt_cache_hit_tokens: 2 } })}\n\n`, 14],
    ]);
    const timing = analyzeStream(events, 10);
    expect(timing.tokenChunkMs).toEqual([2]);
    expect(timing.text).toBe(" a");
    expect(timing.usage).toEqual({ promptTokens: 5, completionTokens: 1, cachedTokens: 2 });
    expect(timing.done).toBe(false);
  });

  it("counts tool-call deltas as tokens", () => {
    const events = parse([[chunk({ tool_calls: [{ index: 0, function: { arguments: "{" } }] }), 3]]);
    expect(analyzeStream(events, 0).firstTokenMs).toBe(3);
  });

  it("reports error frames and unparsable frames", () => {
    expect(analyzeStream(parse([[`data: {"error":{"message":"boom","type":"server_error"}}\n\n`, 1]]), 0).error).toBe("boom");
    expect(analyzeStream(parse([["data: {oops\n\n", 1]]), 0).error).toMatch(/unparsable/);
  });

  it("has no TTFT when nothing with text arrived", () => {
    const timing = analyzeStream(parse([[chunk({ role: "assistant", content: "" }), 1]]), 0);
    expect(timing.firstTokenMs).toBeNull();
    expect(timing.interChunkMs).toEqual([]);
  });
});

describe("eventCarriesToken", () => {
  it("is true only for chunks with generated text", () => {
    const event = (text: string): TimedSseEvent => ({ data: text.replace(/^data: /, "").trim(), at: 0 });
    expect(eventCarriesToken(event(chunk({ content: "x" })))).toBe(true);
    expect(eventCarriesToken(event(chunk({ role: "assistant", content: "" })))).toBe(false);
    expect(eventCarriesToken({ data: "[DONE]", at: 0 })).toBe(false);
    expect(eventCarriesToken({ data: '{"choices": [oops', at: 0 })).toBe(false);
  });
});
