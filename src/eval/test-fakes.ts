/**
 * Test doubles for the evaluation tests: a scripted OpenAI-compatible `fetch` that streams SSE
 * answers, and a helper for result records. Used only by `*.test.ts` files.
 */
import type { ItemResult } from "./types.ts";
import type { RunConfig } from "./store.ts";

/** One streamed answer: content and optional reasoning, split into a few deltas. */
export interface FakeAnswer {
  content?: string;
  reasoning?: string;
  finishReason?: string;
  usage?: { prompt_tokens: number; completion_tokens: number };
}

/** A `Response` carrying an SSE stream of chat chunks, cut into awkward network chunks. */
export function sseResponse(answer: FakeAnswer): Response {
  const chunk = (delta: object, finish: string | null = null) => ({ object: "chat.completion.chunk", choices: [{ index: 0, delta, finish_reason: finish }] });
  const frames: object[] = [chunk({ role: "assistant", content: "" })];
  for (const part of split(answer.reasoning ?? "")) frames.push(chunk({ reasoning_content: part }));
  for (const part of split(answer.content ?? "")) frames.push(chunk({ content: part }));
  frames.push(chunk({}, answer.finishReason ?? "stop"));
  if (answer.usage) frames.push({ object: "chat.completion.chunk", choices: [], usage: answer.usage });
  const text = frames.map((frame) => `data: ${JSON.stringify(frame)}\n\n`).join("") + "data: [DONE]\n\n";
  const bytes = new TextEncoder().encode(text);
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      // 7-byte pieces: lines and multi-byte characters split across reads.
      for (let i = 0; i < bytes.length; i += 7) controller.enqueue(bytes.slice(i, i + 7));
      controller.close();
    },
  });
  return new Response(body, { status: 200, headers: { "content-type": "text/event-stream" } });
}

function split(text: string): string[] {
  if (text === "") return [];
  const size = Math.max(1, Math.ceil(text.length / 3));
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += size) parts.push(text.slice(i, i + size));
  return parts;
}

/** A JSON error response in OpenAI's shape. */
export function errorResponse(status: number, message: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ error: { message, type: "error", param: null, code: null } }), { status, headers: { "content-type": "application/json", ...headers } });
}

/** A request the fake saw. */
export interface SeenRequest {
  url: string;
  headers: Record<string, string>;
  body: { model: string; messages: Array<{ role: string; content: string }>; max_tokens: number; stream_options?: unknown; seed?: number; temperature?: number };
}

/** A scripted `fetch`: `answer` decides each response from the parsed request. */
export function fakeFetch(answer: (request: SeenRequest, index: number) => Response | Promise<Response>): typeof fetch & { seen: SeenRequest[] } {
  const seen: SeenRequest[] = [];
  const fn = async (input: string | URL | Request, init?: RequestInit) => {
    init?.signal?.throwIfAborted();
    const request: SeenRequest = {
      url: String(input),
      headers: Object.fromEntries(new Headers(init?.headers).entries()),
      body: JSON.parse(String(init?.body)) as SeenRequest["body"],
    };
    seen.push(request);
    return answer(request, seen.length - 1);
  };
  return Object.assign(fn as typeof fetch, { seen });
}

/** The last user message of a request. */
export function lastUserMessage(request: SeenRequest): string {
  return request.body.messages.filter((m) => m.role === "user").at(-1)?.content ?? "";
}

/** A stored result with defaults, for report and store tests. */
export function makeResult(partial: Partial<ItemResult> & Pick<ItemResult, "target" | "suite" | "itemId">): ItemResult {
  return {
    key: `${partial.target}␟${partial.suite}␟${partial.itemId}␟1`,
    model: partial.target,
    seed: 1,
    tags: [],
    prompt: `prompt of ${partial.itemId}`,
    answer: "",
    reasoningShown: false,
    reasoningChars: 0,
    finishReason: "stop",
    usage: { promptTokens: 10, completionTokens: 20, reasoningTokens: 0, estimated: false },
    ttftMs: 100,
    totalMs: 400,
    tokensPerSecond: 50,
    correct: true,
    detail: "",
    attempts: 1,
    at: "2025-01-01T00:00:00.000Z",
    ...partial,
  };
}

/** A one-suite, one-remote-target run configuration the runner and route tests share. */
export const FAKE_RUN_CONFIG: RunConfig = {
  suites: [{ kind: "builtin", name: "math" }],
  targets: [{ kind: "remote", name: "t1", baseUrl: "http://fake.test/v1", model: "m1" }],
  seed: 1,
  maxTokens: 16,
  temperature: 0,
  concurrency: 1,
  prices: {},
};
