/**
 * Every way a client can get a request wrong gets a clear 4xx in OpenAI's error shape, and the
 * server keeps serving afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../src/server.ts";
import { postJson, startTestServer } from "./helpers/test-server.ts";

let server: RunningServer;

beforeAll(async () => {
  server = await startTestServer({ models: ["chatml"], contextSize: 256 });
});
afterAll(async () => {
  await server?.close(0);
});

const ok = { model: "chatml", messages: [{ role: "user", content: "hi" }], max_tokens: 2 };

describe("bad requests", () => {
  const cases: Array<{ name: string; body: unknown; status: number; param?: string | null; code?: string }> = [
    { name: "invalid JSON", body: "{not json", status: 400, code: "invalid_json" },
    { name: "a JSON array", body: "[1,2]", status: 400, code: "invalid_json" },
    { name: "empty body", body: "", status: 400, code: "invalid_json" },
    { name: "missing model", body: { messages: ok.messages }, status: 400, param: "model" },
    { name: "missing messages", body: { model: "chatml" }, status: 400, param: "messages" },
    { name: "empty messages", body: { ...ok, messages: [] }, status: 400, param: "messages" },
    { name: "unknown role", body: { ...ok, messages: [{ role: "wizard", content: "hi" }] }, status: 400, param: "messages.0.role" },
    { name: "content of the wrong type", body: { ...ok, messages: [{ role: "user", content: 42 }] }, status: 400, param: "messages.0.content" },
    { name: "image parts", body: { ...ok, messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "x" } }] }] }, status: 400, param: "messages.0.content.0" },
    { name: "tool message without tool_call_id", body: { ...ok, messages: [{ role: "tool", content: "x" }] }, status: 400, param: "messages.0.tool_call_id" },
    { name: "temperature out of range", body: { ...ok, temperature: 5 }, status: 400, param: "temperature" },
    { name: "temperature as a string", body: { ...ok, temperature: "hot" }, status: 400, param: "temperature" },
    { name: "negative max_tokens", body: { ...ok, max_tokens: -1 }, status: 400, param: "max_tokens" },
    { name: "absurd max_tokens", body: { ...ok, max_tokens: 10_000_000 }, status: 400, param: "max_tokens" },
    { name: "n > 1", body: { ...ok, n: 3 }, status: 400, param: "n" },
    { name: "top_logprobs without logprobs", body: { ...ok, top_logprobs: 2 }, status: 400, param: "top_logprobs" },
    { name: "too many stop strings", body: { ...ok, stop: Array.from({ length: 17 }, (_, i) => `s${i}`) }, status: 400, param: "stop" },
    { name: "logit_bias with a non-numeric key", body: { ...ok, logit_bias: { abc: 1 } }, status: 400, param: "logit_bias.abc" },
    { name: "tool_choice required without tools", body: { ...ok, tool_choice: "required" }, status: 400, param: "tool_choice" },
    { name: "tool_choice naming an absent tool", body: { ...ok, tools: [{ type: "function", function: { name: "a", parameters: { type: "object", properties: {} } } }], tool_choice: { type: "function", function: { name: "b" } } }, status: 400, param: "tool_choice" },
    { name: "bad function name", body: { ...ok, tools: [{ type: "function", function: { name: "has space" } }] }, status: 400, param: "tools.0.function.name" },
    { name: "unknown response_format", body: { ...ok, response_format: { type: "yaml" } }, status: 400, param: "response_format.type" },
    { name: "prefix on a non-final message", body: { ...ok, messages: [{ role: "assistant", content: "a", prefix: true }, { role: "user", content: "b" }] }, status: 400, param: "messages.0.prefix" },
    { name: "unknown model", body: { ...ok, model: "gpt-9" }, status: 404, param: "model", code: "model_not_found" },
  ];
  for (const testCase of cases) {
    it(`${testCase.name} → ${testCase.status}`, async () => {
      const { status, body } = await postJson(server, "/v1/chat/completions", testCase.body);
      expect(status).toBe(testCase.status);
      expect(body.error).toMatchObject({ type: expect.any(String), message: expect.any(String) });
      if (testCase.param !== undefined) expect(body.error.param).toBe(testCase.param);
      if (testCase.code) expect(body.error.code).toBe(testCase.code);
    });
  }

  it("a prompt longer than the context is refused with both numbers, never truncated", async () => {
    const { status, body } = await postJson(server, "/v1/chat/completions", { ...ok, messages: [{ role: "user", content: "word ".repeat(400) }] });
    expect(status).toBe(400);
    expect(body.error.code).toBe("context_length_exceeded");
    expect(body.error.message).toMatch(/maximum context length is 256 tokens.*your prompt is \d+ tokens/);
  });

  it("rejects bodies that are not UTF-8", async () => {
    const bytes = Buffer.concat([Buffer.from('{"model":"chatml","messages":[{"role":"user","content":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}]}')]);
    const { status, body } = await postJson(server, "/v1/chat/completions", new Uint8Array(bytes));
    expect(status).toBe(400);
    expect(body.error.code).toBe("invalid_encoding");
  });

  it("answers 413 for a body over the limit", async () => {
    const { status, body } = await postJson(server, "/v1/chat/completions", { ...ok, messages: [{ role: "user", content: "x".repeat(9 * 1024 * 1024) }] });
    expect(status).toBe(413);
    expect(body.error.code).toBe("request_too_large");
  });

  it("answers unknown routes with a 404 in the same shape", async () => {
    const response = await fetch(`${server.url}/v1/nothing-here`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("unknown_route");
  });

  it("keeps serving after all of the above", async () => {
    const { status, body } = await postJson(server, "/v1/chat/completions", ok);
    expect(status).toBe(200);
    expect(body.choices[0].message.role).toBe("assistant");
  });
});

describe("health and version", () => {
  it("reports ready models and the version", async () => {
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok", models: [{ id: "chatml", status: "ready" }] });
    const version = (await (await fetch(`${server.url}/version`)).json()) as { version: string; engine: string };
    expect(version.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(version.engine).toBe("node-llama-cpp 3.21.1");
  });
});

describe("metrics", () => {
  it("exposes Prometheus metrics that count what happened", async () => {
    await postJson(server, "/v1/chat/completions", { ...ok, max_tokens: 3, ignore_eos: true });
    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    const text = await response.text();
    expect(text).toMatch(/sputnik_requests_total\{route="\/v1\/chat\/completions",status="400"\} [1-9]/);
    expect(text).toMatch(/sputnik_requests_total\{route="\/v1\/chat\/completions",status="200"\} [1-9]/);
    const generated = Number(/sputnik_generated_tokens_total\{model="chatml"\} (\d+)/.exec(text)?.[1]);
    expect(generated).toBeGreaterThanOrEqual(3);
    expect(text).toMatch(/sputnik_slots\{model="chatml"\} 2/);
    expect(text).toMatch(/sputnik_queue_depth\{model="chatml"\} 0/);
    expect(text).toMatch(/sputnik_time_to_first_token_seconds_count\{model="chatml"\} [1-9]/);
    expect(text).toContain("sputnik_inter_token_latency_seconds_bucket");
  });
});

describe("token ids", () => {
  it("refuses logit_bias for a token outside the vocabulary", async () => {
    const { status, body } = await postJson(server, "/v1/chat/completions", { ...ok, logit_bias: { "999999999": 5 } });
    expect(status).toBe(400);
    expect(body.error.param).toBe("logit_bias.999999999");
  });
});
