import { describe, expect, it } from "vitest";
import { chatWithRetries, EndpointError } from "./client.ts";
import { errorResponse, fakeFetch, sseResponse } from "./test-fakes.ts";

const endpoint = { baseUrl: "http://fake.test/v1/", model: "m", apiKey: "sk-secret" };
const request = { messages: [{ role: "user" as const, content: "Hi" }], maxTokens: 16, temperature: 0, seed: 3 };
const quick = { retries: 3, baseDelayMs: 1, maxDelayMs: 5 };

describe("chatWithRetries", () => {
  it("streams content and reasoning, with usage, TTFT and decode rate", async () => {
    const fetch = fakeFetch(() => sseResponse({ content: "Answer: 안녕하세요 42", reasoning: "let me think", usage: { prompt_tokens: 9, completion_tokens: 12 } }));
    const outcome = await chatWithRetries(endpoint, request, { fetch, retry: quick });
    expect(outcome.content).toBe("Answer: 안녕하세요 42");
    expect(outcome.reasoning).toBe("let me think");
    expect(outcome.finishReason).toBe("stop");
    expect(outcome.usage).toEqual({ promptTokens: 9, completionTokens: 12, reasoningTokens: 0, estimated: false });
    expect(outcome.ttftMs).toBeGreaterThanOrEqual(0);
    expect(outcome.ttftMs!).toBeLessThanOrEqual(outcome.totalMs);
    expect(outcome.attempts).toBe(1);
    const sent = fetch.seen[0];
    expect(sent.url).toBe("http://fake.test/v1/chat/completions");
    expect(sent.headers.authorization).toBe("Bearer sk-secret");
    expect(sent.body).toMatchObject({ model: "m", stream: true, stream_options: { include_usage: true }, max_tokens: 16, temperature: 0, seed: 3 });
  });

  it("estimates tokens from deltas when the server sends no usage", async () => {
    const fetch = fakeFetch(() => sseResponse({ content: "abcdef" }));
    const outcome = await chatWithRetries(endpoint, request, { fetch, retry: quick });
    expect(outcome.usage.estimated).toBe(true);
    expect(outcome.usage.completionTokens).toBe(3);
  });

  it("retries 429 and 5xx with backoff, then succeeds", async () => {
    const fetch = fakeFetch((_request, index) =>
      index === 0 ? errorResponse(429, "slow down", { "retry-after": "0" }) : index === 1 ? errorResponse(503, "busy") : sseResponse({ content: "ok" }),
    );
    const waits: number[] = [];
    const outcome = await chatWithRetries(endpoint, request, { fetch, retry: quick, onRetry: (_e, _a, ms) => waits.push(ms) });
    expect(outcome.content).toBe("ok");
    expect(outcome.attempts).toBe(3);
    expect(waits).toHaveLength(2);
    expect(Math.max(...waits)).toBeLessThanOrEqual(quick.maxDelayMs);
  });

  it("retries a dropped connection and an error frame", async () => {
    const fetch = fakeFetch((_request, index) => {
      if (index === 0) throw new TypeError("fetch failed", { cause: { code: "ECONNRESET" } });
      if (index === 1) return new Response('data: {"error": {"message": "engine crashed"}}\n\ndata: [DONE]\n\n', { headers: { "content-type": "text/event-stream" } });
      return sseResponse({ content: "fine" });
    });
    expect((await chatWithRetries(endpoint, request, { fetch, retry: quick })).attempts).toBe(3);
  });

  it("does not retry a 400, and gives up after the retries", async () => {
    const bad = fakeFetch(() => errorResponse(400, "max_tokens too large"));
    await expect(chatWithRetries(endpoint, request, { fetch: bad, retry: quick })).rejects.toThrow("HTTP 400: max_tokens too large");
    expect(bad.seen).toHaveLength(1);
    const down = fakeFetch(() => errorResponse(500, "boom"));
    const error = await chatWithRetries(endpoint, request, { fetch: down, retry: quick }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EndpointError);
    expect(down.seen).toHaveLength(4);
  });

  it("reads a plain JSON completion from a server that ignores stream", async () => {
    const fetch = fakeFetch(() => Response.json({ choices: [{ message: { content: "plain" }, finish_reason: "stop" }], usage: { prompt_tokens: 3, completion_tokens: 1 } }));
    const outcome = await chatWithRetries(endpoint, request, { fetch, retry: quick });
    expect(outcome.content).toBe("plain");
    expect(outcome.usage.promptTokens).toBe(3);
  });

  it("stops waiting when aborted during a backoff", async () => {
    const controller = new AbortController();
    const fetch = fakeFetch(() => errorResponse(503, "busy"));
    const started = Date.now();
    const pending = chatWithRetries(endpoint, { ...request, signal: controller.signal }, {
      fetch,
      retry: { retries: 3, baseDelayMs: 60_000, maxDelayMs: 60_000 },
      onRetry: () => controller.abort(),
    });
    await expect(pending).rejects.toThrow(/abort/i);
    expect(fetch.seen).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
