/**
 * Unit tests of the web app's pure logic (no browser): the SSE reader, the message tree, the
 * answer reducer, the chat request, the dictionaries and the usage series.
 */
import { describe, expect, it } from "vitest";
import { byDay, byModel, daysBetween, type UsageRow } from "../../web/src/admin/usage-data.ts";
import { readSseData, SseParser } from "../../web/src/api/sse.ts";
import { buildChatRequest } from "../../web/src/chat/chat-request.ts";
import { applyChunk, finishAnswer, startAnswer, toDetails } from "../../web/src/chat/chat-stream.ts";
import { childrenOf, newestLeafFrom, pathTo, siblingsOf } from "../../web/src/chat/tree.ts";
import { dateGroup } from "../../web/src/format.ts";
import { en } from "../../web/src/i18n/en.ts";
import { DICTIONARIES, LANGUAGES, pickLanguage, translate } from "../../web/src/i18n/translate.ts";
import { parseRoute, routePath } from "../../web/src/router.ts";

describe("SSE reader", () => {
  const frames = 'data: {"a":1}\n\ndata: {"b":\ndata: 2}\n\n: comment\nevent: x\ndata: [DONE]\n\n';
  const cases: Array<[string, string[]]> = [
    ["whole", [frames]],
    ["per character", [...frames]],
    ["CRLF line ends", [frames.replaceAll("\n", "\r\n")]],
    ["CRLF split between chunks", frames.replaceAll("\n", "\r\n").split("\r")],
  ];
  for (const [name, chunks] of cases) {
    it(`parses ${name}`, () => {
      const parser = new SseParser();
      const events = chunks.flatMap((chunk) => parser.push(chunk));
      expect(events).toEqual(['{"a":1}', '{"b":\n2}', "[DONE]"]);
    });
  }

  it("reads a body, stops at [DONE], keeps a last event without a blank line", async () => {
    const body = (text: string) =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(text));
          controller.close();
        },
      });
    const all = async (text: string) => {
      const out: string[] = [];
      for await (const data of readSseData(body(text))) out.push(data);
      return out;
    };
    expect(await all("data: 1\n\ndata: [DONE]\n\ndata: 2\n\n")).toEqual(["1"]);
    expect(await all("data: 1\n\ndata: 2")).toEqual(["1", "2"]);
  });
});

describe("message tree", () => {
  // q1 → a1 → q2 → a2; q1 edited as q1b → a1b; a1 regenerated as a1r.
  const m = (id: string, parent: string | null, at: number) => ({ id, parent_id: parent, created_at: at });
  const messages = [m("q1", null, 1), m("a1", "q1", 2), m("q2", "a1", 3), m("a2", "q2", 4), m("q1b", null, 5), m("a1b", "q1b", 6), m("a1r", "q1", 7)];

  it("walks a branch from its leaf", () => {
    expect(pathTo(messages, "a2").map((x) => x.id)).toEqual(["q1", "a1", "q2", "a2"]);
    expect(pathTo(messages, "a1b").map((x) => x.id)).toEqual(["q1b", "a1b"]);
    expect(pathTo(messages, null)).toEqual([]);
    expect(pathTo(messages, "missing")).toEqual([]);
  });

  it("orders siblings by age and finds the newest leaf of a branch", () => {
    expect(childrenOf(messages, null).map((x) => x.id)).toEqual(["q1", "q1b"]);
    expect(siblingsOf(messages, messages[1])).toMatchObject({ index: 0, siblings: [{ id: "a1" }, { id: "a1r" }] });
    expect(newestLeafFrom(messages, "q1")).toBe("a1r");
    expect(newestLeafFrom(messages, "a1")).toBe("a2");
  });
});

describe("answer reducer", () => {
  const chunk = (delta: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ id: "chatcmpl-1", choices: [{ delta, finish_reason: null, ...extra }] });

  it("splits reasoning and text and times them", () => {
    let s = startAnswer(1000);
    s = applyChunk(s, chunk({ role: "assistant", content: "" }), 1100);
    s = applyChunk(s, chunk({ reasoning_content: "Let me " }), 1200);
    s = applyChunk(s, chunk({ reasoning_content: "think." }), 1300);
    s = applyChunk(s, chunk({ content: "Hello" }), 3700);
    s = applyChunk(s, chunk({ content: "!" }), 4200);
    s = applyChunk(s, chunk({}, { finish_reason: "stop" }), 4200);
    s = applyChunk(s, { id: "chatcmpl-1", choices: [], usage: { prompt_tokens: 20, completion_tokens: 11, prompt_tokens_details: { cached_tokens: 8 }, completion_tokens_details: { reasoning_tokens: 5 } } }, 4201);
    s = finishAnswer(s, 4300);
    expect(s).toMatchObject({ reasoning: "Let me think.", content: "Hello!", finishReason: "stop", completionId: "chatcmpl-1" });
    expect(toDetails(s)).toEqual({
      finish_reason: "stop",
      completion_id: "chatcmpl-1",
      usage: { prompt_tokens: 20, cached_tokens: 8, reasoning_tokens: 5, completion_tokens: 11 },
      ttft_ms: 200,
      duration_ms: 3300,
      reasoning_ms: 2500,
      tokens_per_second: 10 / 3.1,
    });
  });

  it("tells a cut by max_tokens from a full context", () => {
    const cut = (completion: number, maxTokens?: number) => {
      let s = applyChunk(startAnswer(0), chunk({ content: "x" }, { finish_reason: "length" }), 1);
      s = applyChunk(s, { choices: [], usage: { prompt_tokens: 1, completion_tokens: completion } }, 2);
      return toDetails(finishAnswer(s, 3), { maxTokens }).length_cause;
    };
    expect(cut(64, 64)).toBe("max_tokens");
    expect(cut(30, 64)).toBe("context");
    expect(cut(4000)).toBe("context");
  });

  it("records a stop by the user, an error frame and a moderation notice", () => {
    const stopped = finishAnswer(applyChunk(startAnswer(0), chunk({ content: "par" }), 1), 2, { stopped: true });
    expect(toDetails(stopped).finish_reason).toBe("stopped");
    const failed = applyChunk(startAnswer(0), { error: { message: "boom" } }, 1);
    expect(toDetails(finishAnswer(failed, 2))).toMatchObject({ finish_reason: "error", error: "boom" });
    const notice = { policy: "default", rule: "pii", action: "block", reason: "an e-mail address" };
    let withheld = applyChunk(startAnswer(0), { choices: [{ delta: {}, finish_reason: "content_filter" }], moderation: notice }, 1);
    withheld = finishAnswer(withheld, 2);
    expect(toDetails(withheld)).toMatchObject({ finish_reason: "content_filter", moderation: notice });
    const inChoice = applyChunk(startAnswer(0), { choices: [{ delta: {}, finish_reason: "content_filter", moderation: notice }] }, 1);
    expect(inChoice.moderation).toEqual(notice);
  });
});

describe("chat request", () => {
  it("sends the system prompt, the branch, the settings and DeepThink", () => {
    const body = buildChatRequest({
      model: "r1",
      systemPrompt: "Be brief.",
      settings: { temperature: 0.2, max_tokens: 64 },
      history: [
        { role: "user", content: "Hi" },
        { role: "assistant", content: "Hello" },
        { role: "user", content: "Why?" },
      ],
      supportsThinking: true,
      deepThink: false,
    });
    expect(body).toEqual({
      model: "r1",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi" },
        { role: "assistant", content: "Hello" },
        { role: "user", content: "Why?" },
      ],
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.2,
      max_tokens: 64,
      thinking: { type: "disabled" },
    });
    const plain = buildChatRequest({ model: "m", systemPrompt: " ", settings: {}, history: [{ role: "user", content: "x" }], supportsThinking: false, deepThink: true });
    expect(plain).not.toHaveProperty("thinking");
    expect(plain.messages).toEqual([{ role: "user", content: "x" }]);
    const afterEmpty = buildChatRequest({
      model: "m",
      systemPrompt: "",
      settings: {},
      history: [
        { role: "user", content: "a" },
        { role: "assistant", content: "" },
        { role: "user", content: "b" },
      ],
      supportsThinking: true,
      deepThink: true,
    });
    expect(afterEmpty.messages).toEqual([
      { role: "user", content: "a" },
      { role: "user", content: "b" },
    ]);
  });
});

describe("languages", () => {
  it("every dictionary has every key, with the same placeholders", () => {
    for (const language of LANGUAGES) {
      const dictionary = DICTIONARIES[language];
      expect(Object.keys(dictionary).sort()).toEqual(Object.keys(en).sort());
      for (const [key, text] of Object.entries(en)) {
        const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
        expect(placeholders(dictionary[key as keyof typeof en]), `${language} ${key}`).toEqual(placeholders(text));
      }
    }
  });

  it("picks the browser's first supported language and fills placeholders", () => {
    expect(pickLanguage(["ko-KR", "en-US"])).toBe("ko");
    expect(pickLanguage(["fr-FR", "zh-TW", "en"])).toBe("zh");
    expect(pickLanguage(["fr"])).toBe("en");
    expect(translate("en", "chat.thoughtFor", { n: 4 })).toBe("Thought for 4 seconds");
    expect(translate("zh", "chat.withheld", { policy: "p", reason: "r" })).toBe("已被策略 p 拦截：r");
  });
});

describe("routes and dates", () => {
  it("parses and prints app routes", () => {
    expect(parseRoute("/")).toEqual({ page: "chat", conversationId: null });
    expect(parseRoute("/c/conv_1")).toEqual({ page: "chat", conversationId: "conv_1" });
    expect(parseRoute("/manage/usage")).toEqual({ page: "admin", tab: "usage" });
    expect(parseRoute("/manage")).toEqual({ page: "admin", tab: "models" });
    expect(routePath({ page: "admin", tab: "audit" })).toBe("/manage/audit");
  });

  it("groups conversations by day", () => {
    const now = new Date(2025, 5, 15, 12).getTime();
    expect(dateGroup(now - 60_000, now)).toBe("today");
    expect(dateGroup(new Date(2025, 5, 14, 23).getTime(), now)).toBe("yesterday");
    expect(dateGroup(new Date(2025, 5, 10).getTime(), now)).toBe("week");
    expect(dateGroup(new Date(2025, 4, 20).getTime(), now)).toBe("month");
    expect(dateGroup(new Date(2024, 0, 1).getTime(), now)).toBe("older");
  });
});

describe("usage series", () => {
  const row = (over: Partial<UsageRow>): UsageRow => ({
    currency: "USD",
    requests: 1,
    prompt_cache_hit_tokens: 1,
    prompt_cache_miss_tokens: 2,
    completion_tokens: 3,
    reasoning_tokens: 1,
    cost: "0.50",
    ...over,
  });

  it("fills every day of the range and sums per currency", () => {
    const days = daysBetween(Date.parse("2025-01-01T10:00:00Z"), Date.parse("2025-01-03T09:00:00Z"));
    expect(days).toEqual(["2025-01-01", "2025-01-02", "2025-01-03"]);
    const series = byDay([row({ day: "2025-01-02" }), row({ day: "2025-01-02", currency: "CNY", cost: "2" }), row({ day: "2024-12-31" })], days);
    expect(series.uncached).toEqual([0, 4, 0]);
    expect(series.completion).toEqual([0, 6, 0]);
    expect(series.cost.get("USD")).toEqual([0, 0.5, 0]);
    expect(series.cost.get("CNY")).toEqual([0, 2, 0]);
  });

  it("totals per model, largest first", () => {
    const models = byModel([row({ model: "a" }), row({ model: "b", completion_tokens: 100 }), row({ model: "a" })]);
    expect(models.map((m) => [m.model, m.requests, m.promptTokens])).toEqual([
      ["b", 1, 3],
      ["a", 2, 6],
    ]);
  });
});
