/** The legacy completions endpoint (and DeepSeek's FIM under /beta) through the official client. */
import type OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../src/server.ts";
import { openAIClient, postJson, startTestServer } from "./helpers/test-server.ts";

let server: RunningServer;
let client: OpenAI;

beforeAll(async () => {
  server = await startTestServer({ models: ["chatml"] });
  client = openAIClient(server);
});
afterAll(async () => {
  await server?.close(0);
});

describe("completions", () => {
  it("completes a prompt, 16 tokens by default", async () => {
    const completion = await client.completions.create({ model: "chatml", prompt: "Once upon a time", seed: 1, ignore_eos: true } as OpenAI.CompletionCreateParamsNonStreaming);
    expect(completion.object).toBe("text_completion");
    expect(completion.usage!.completion_tokens).toBe(16);
    expect(completion.choices[0].finish_reason).toBe("length");
  });

  it("echoes the prompt and streams the same text", async () => {
    const params = { model: "chatml", prompt: "The capital of Korea is", max_tokens: 6, seed: 3, ignore_eos: true };
    const whole = await client.completions.create({ ...params, echo: true } as OpenAI.CompletionCreateParamsNonStreaming);
    expect(whole.choices[0].text.startsWith(params.prompt)).toBe(true);
    const stream = await client.completions.create({ ...params, stream: true } as OpenAI.CompletionCreateParamsStreaming);
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.text ?? "";
    expect(params.prompt + text).toBe(whole.choices[0].text);
  });

  it("returns legacy logprobs", async () => {
    const completion = await client.completions.create({ model: "chatml", prompt: "1 2 3", max_tokens: 4, logprobs: 2, ignore_eos: true } as OpenAI.CompletionCreateParamsNonStreaming);
    const logprobs = completion.choices[0].logprobs!;
    expect(logprobs.tokens).toHaveLength(4);
    expect(logprobs.token_logprobs).toHaveLength(4);
    expect(Object.keys(logprobs.top_logprobs![0]).length).toBeGreaterThanOrEqual(1);
    expect(logprobs.text_offset![0]).toBe(0);
  });

  it("fills in the middle with suffix (FIM tokens of the Qwen vocabulary)", async () => {
    const beta = openAIClient(server, "/beta");
    const completion = await beta.completions.create({ model: "chatml", prompt: "def add(a, b):\n    ", suffix: "\n    return c", max_tokens: 5, ignore_eos: true } as OpenAI.CompletionCreateParamsNonStreaming);
    expect(completion.usage!.completion_tokens).toBe(5);
    // prefix token + prompt + suffix token + suffix + middle token
    const plain = await beta.completions.create({ model: "chatml", prompt: "def add(a, b):\n    ", max_tokens: 1 });
    expect(completion.usage!.prompt_tokens).toBeGreaterThan(plain.usage!.prompt_tokens + 3);
  });

  it("refuses a batch of prompts and echo with logprobs clearly", async () => {
    const batch = await postJson(server, "/v1/completions", { model: "chatml", prompt: ["a", "b"] });
    expect(batch.status).toBe(400);
    expect(batch.body.error.param).toBe("prompt");
    const echo = await postJson(server, "/v1/completions", { model: "chatml", prompt: "a", echo: true, logprobs: 1 });
    expect(echo.status).toBe(400);
    expect(echo.body.error.param).toBe("logprobs");
  });
});
