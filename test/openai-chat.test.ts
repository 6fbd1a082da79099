/**
 * The chat completions API through the official `openai` client, against a real server on the
 * synthesized tiny models (random weights: the text is gibberish, the protocol is real).
 */
import type OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../src/server.ts";
import { openAIClient, startTestServer } from "./helpers/test-server.ts";

let server: RunningServer;
let client: OpenAI;

beforeAll(async () => {
  server = await startTestServer();
  client = openAIClient(server);
});
afterAll(async () => {
  await server?.close(0);
});

const weatherTool = {
  type: "function" as const,
  function: {
    name: "get_weather",
    description: "Current weather for a city",
    parameters: {
      type: "object",
      properties: { city: { type: "string", enum: ["Seoul", "Beijing", "Paris"] }, unit: { type: "string", enum: ["c", "f"] } },
      required: ["city", "unit"],
    },
  },
};

describe("models", () => {
  it("lists every served model and retrieves one", async () => {
    const models = await client.models.list();
    expect(models.data.map((m) => m.id).sort()).toEqual(["chatml", "qwen3", "r1"]);
    const one = await client.models.retrieve("r1");
    expect(one).toMatchObject({ id: "r1", object: "model", owned_by: "sputnik" });
    expect((one as unknown as { meta: { thinking: boolean } }).meta.thinking).toBe(true);
    // ChatML (Qwen2.5) has no reasoning block.
    const chatml = await client.models.retrieve("chatml");
    expect((chatml as unknown as { meta: { thinking: boolean } }).meta.thinking).toBe(false);
  });

  it("answers 404 in OpenAI's shape for an unknown model", async () => {
    await expect(client.models.retrieve("nope")).rejects.toMatchObject({ status: 404, code: "model_not_found" });
    await expect(client.chat.completions.create({ model: "nope", messages: [{ role: "user", content: "hi" }] })).rejects.toMatchObject({
      status: 404,
      param: "model",
    });
  });
});

describe("chat completions", () => {
  it("returns a completion with true usage numbers", async () => {
    const completion = await client.chat.completions.create({
      model: "chatml",
      messages: [
        { role: "system", content: "You are terse." },
        { role: "user", content: [{ type: "text", text: "Say hi in 中文 and 한국어" }] },
      ],
      max_tokens: 12,
      temperature: 0,
    });
    expect(completion.object).toBe("chat.completion");
    expect(completion.id).toMatch(/^chatcmpl-/);
    const choice = completion.choices[0];
    expect(typeof choice.message.content).toBe("string");
    expect(choice.finish_reason === "length" || choice.finish_reason === "stop").toBe(true);
    const usage = completion.usage!;
    expect(usage.prompt_tokens).toBeGreaterThan(10);
    expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens);
    if (choice.finish_reason === "length") expect(usage.completion_tokens).toBe(12);
    expect(usage.prompt_tokens_details?.cached_tokens).toBeGreaterThanOrEqual(0);
    const deepseek = usage as unknown as { prompt_cache_hit_tokens: number; prompt_cache_miss_tokens: number };
    expect(deepseek.prompt_cache_hit_tokens + deepseek.prompt_cache_miss_tokens).toBe(usage.prompt_tokens);
  });

  it("is deterministic with temperature 0 and reuses the cached prefix", async () => {
    const request = { model: "chatml", messages: [{ role: "user" as const, content: "Repeat after me: deterministic" }], max_tokens: 8, temperature: 0 };
    const first = await client.chat.completions.create(request);
    const second = await client.chat.completions.create(request);
    expect(second.choices[0].message.content).toBe(first.choices[0].message.content);
    // The whole prompt but its last token is served from the slot's KV cache the second time.
    expect(second.usage!.prompt_tokens_details!.cached_tokens).toBe(second.usage!.prompt_tokens - 1);
  });

  it("streams deltas, then finish_reason, then usage", async () => {
    const stream = await client.chat.completions.create({
      model: "chatml",
      messages: [{ role: "user", content: "Stream please" }],
      max_tokens: 10,
      stream: true,
      stream_options: { include_usage: true },
      seed: 7,
      ignore_eos: true,
    } as OpenAI.ChatCompletionCreateParamsStreaming);
    let text = "";
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined;
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      if (chunk.usage) usage = chunk.usage;
      const choice = chunk.choices[0];
      if (!choice) continue;
      text += choice.delta.content ?? "";
      finish = choice.finish_reason ?? finish;
    }
    expect(chunks).toBeGreaterThan(3);
    expect(finish).toBe("length");
    expect(usage?.completion_tokens).toBe(10);
    const whole = await client.chat.completions.create({
      model: "chatml",
      messages: [{ role: "user", content: "Stream please" }],
      max_tokens: 10,
      seed: 7,
      ignore_eos: true,
    } as OpenAI.ChatCompletionCreateParamsNonStreaming);
    expect(text).toBe(whole.choices[0].message.content);
  });

  it("honours stop strings", async () => {
    const request = { model: "chatml", messages: [{ role: "user" as const, content: "stop test" }], max_tokens: 16, seed: 11, ignore_eos: true };
    const base = await client.chat.completions.create(request as OpenAI.ChatCompletionCreateParamsNonStreaming);
    const text = base.choices[0].message.content!;
    expect(text.length).toBeGreaterThan(8);
    const stop = text.slice(4, 7);
    const stopped = await client.chat.completions.create({ ...request, stop: [stop] } as OpenAI.ChatCompletionCreateParamsNonStreaming);
    expect(stopped.choices[0].finish_reason).toBe("stop");
    expect(stopped.choices[0].message.content).toBe(text.slice(0, text.indexOf(stop)));
  });

  it("ignore_eos generates exactly max_tokens", async () => {
    const body = { model: "chatml", messages: [{ role: "user" as const, content: "go" }], max_tokens: 40, ignore_eos: true };
    const completion = await client.chat.completions.create(body as OpenAI.ChatCompletionCreateParamsNonStreaming);
    expect(completion.usage!.completion_tokens).toBe(40);
    expect(completion.choices[0].finish_reason).toBe("length");
  });

  it("returns log-probabilities of the chosen tokens", async () => {
    const completion = await client.chat.completions.create({
      model: "chatml",
      messages: [{ role: "user", content: "probabilities" }],
      max_tokens: 5,
      logprobs: true,
      top_logprobs: 3,
    });
    const content = completion.choices[0].logprobs!.content!;
    expect(content).toHaveLength(completion.usage!.completion_tokens);
    for (const entry of content) {
      expect(entry.logprob).toBeLessThanOrEqual(0);
      expect(entry.top_logprobs).toHaveLength(3);
      expect(entry.top_logprobs[0].logprob).toBeGreaterThanOrEqual(entry.top_logprobs[2].logprob);
    }
  });
});

describe("tools", () => {
  it('tool_choice "required" returns an OpenAI tool call with valid arguments', async () => {
    const completion = await client.chat.completions.create({
      model: "chatml",
      messages: [{ role: "user", content: "Weather in Seoul?" }],
      tools: [weatherTool],
      tool_choice: "required",
      max_tokens: 200,
    });
    const choice = completion.choices[0];
    expect(choice.finish_reason).toBe("tool_calls");
    const call = choice.message.tool_calls![0] as OpenAI.ChatCompletionMessageFunctionToolCall;
    expect(call.type).toBe("function");
    expect(call.id).toMatch(/^call_/);
    expect(call.function.name).toBe("get_weather");
    const args = JSON.parse(call.function.arguments);
    expect(["Seoul", "Beijing", "Paris"]).toContain(args.city);
    expect(["c", "f"]).toContain(args.unit);
  });

  it("a named tool_choice streams the call as deltas", async () => {
    const other = { type: "function" as const, function: { name: "get_time", parameters: { type: "object", properties: { zone: { type: "string", enum: ["KST", "CST"] } }, required: ["zone"] } } };
    const stream = await client.chat.completions.create({
      model: "chatml",
      messages: [{ role: "user", content: "What time is it?" }],
      tools: [weatherTool, other],
      tool_choice: { type: "function", function: { name: "get_time" } },
      max_tokens: 200,
      stream: true,
    });
    let name = "";
    let args = "";
    let id = "";
    let deltas = 0;
    let finish: string | null = null;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      for (const call of choice?.delta.tool_calls ?? []) {
        deltas++;
        expect(call.index).toBe(0);
        if (call.id) id = call.id;
        if (call.function?.name) name = call.function.name;
        args += call.function?.arguments ?? "";
      }
      finish = choice?.finish_reason ?? finish;
    }
    expect(deltas).toBeGreaterThan(2);
    expect(id).toMatch(/^call_/);
    expect(name).toBe("get_time");
    expect(["KST", "CST"]).toContain(JSON.parse(args).zone);
    expect(finish).toBe("tool_calls");
  });

  it("accepts a full tool round trip (assistant tool_calls + tool result)", async () => {
    const completion = await client.chat.completions.create({
      model: "qwen3",
      messages: [
        { role: "user", content: "Weather in Paris?" },
        { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris","unit":"c"}' } }] },
        { role: "tool", tool_call_id: "call_1", content: '{"temperature": 21}' },
      ],
      tools: [weatherTool],
      tool_choice: "none",
      max_tokens: 5,
    });
    expect(completion.choices[0].message.tool_calls).toBeUndefined();
    expect(completion.usage!.prompt_tokens).toBeGreaterThan(30);
  });
});

describe("structured output", () => {
  it("json_schema output always parses and validates", async () => {
    const completion = await client.chat.completions.create({
      model: "chatml",
      messages: [{ role: "user", content: "Give me a verdict" }],
      response_format: {
        type: "json_schema",
        json_schema: {
          name: "verdict",
          schema: {
            type: "object",
            properties: { verdict: { type: "string", enum: ["yes", "no"] }, sure: { type: "boolean" }, tags: { type: "array", items: { type: "string", enum: ["a", "b"] }, maxItems: 3 } },
            required: ["verdict", "sure", "tags"],
          },
        },
      },
      max_tokens: 200,
    });
    const text = completion.choices[0].message.content!;
    const value = JSON.parse(text);
    expect(["yes", "no"]).toContain(value.verdict);
    expect(typeof value.sure).toBe("boolean");
    expect(Array.isArray(value.tags)).toBe(true);
    // Generation stops at the closing brace instead of padding with whitespace.
    expect(text).toBe(text.trim());
    expect(completion.choices[0].finish_reason).toBe("stop");
  });

  it("json_object output parses", async () => {
    const completion = await client.chat.completions.create({
      model: "chatml",
      messages: [{ role: "user", content: "JSON please" }],
      response_format: { type: "json_object" },
      max_tokens: 60,
      logit_bias: {},
    });
    const text = completion.choices[0].message.content!;
    if (completion.choices[0].finish_reason === "stop") expect(() => JSON.parse(text)).not.toThrow();
    expect(text.trimStart().startsWith("{") || text.trimStart().startsWith("[")).toBe(true);
  });
});

describe("reasoning (DeepSeek extensions)", () => {
  it("splits reasoning_content from content on an R1-template model", async () => {
    const completion = await client.chat.completions.create({
      model: "r1",
      messages: [{ role: "user", content: "Think first" }],
      max_tokens: 16,
      ignore_eos: true,
    } as OpenAI.ChatCompletionCreateParamsNonStreaming);
    const message = completion.choices[0].message as OpenAI.ChatCompletionMessage & { reasoning_content?: string };
    // DeepSeek-R1's template opens <think> in the prompt, so everything generated is reasoning until </think>.
    expect(message.reasoning_content?.length).toBeGreaterThan(0);
    const details = completion.usage!.completion_tokens_details!;
    expect(details.reasoning_tokens).toBeGreaterThan(0);
    expect(details.reasoning_tokens).toBeLessThanOrEqual(completion.usage!.completion_tokens);
  });

  it("streams reasoning_content deltas before content", async () => {
    const stream = await client.chat.completions.create({
      model: "r1",
      messages: [{ role: "user", content: "Think, stream" }],
      max_tokens: 12,
      stream: true,
      ignore_eos: true,
    } as OpenAI.ChatCompletionCreateParamsStreaming);
    let reasoning = "";
    let reasoningEnded = false;
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta as { content?: string; reasoning_content?: string } | undefined;
      if (delta?.content) reasoningEnded = true;
      // No reasoning may follow content: the reasoning block comes first.
      if (delta?.reasoning_content) expect(reasoningEnded).toBe(false);
      reasoning += delta?.reasoning_content ?? "";
    }
    expect(reasoning.length).toBeGreaterThan(0);
    expect(reasoning).not.toContain("<think>");
  });

  it('thinking: {type: "disabled"} produces content only', async () => {
    const body = { model: "r1", messages: [{ role: "user" as const, content: "No thinking" }], max_tokens: 12, thinking: { type: "disabled" } };
    const completion = await client.chat.completions.create(body as OpenAI.ChatCompletionCreateParamsNonStreaming);
    const message = completion.choices[0].message as OpenAI.ChatCompletionMessage & { reasoning_content?: string };
    expect(message.reasoning_content).toBeUndefined();
    expect(message.content!.length).toBeGreaterThan(0);
    expect(completion.usage!.completion_tokens_details!.reasoning_tokens).toBe(0);
  });

  it("reasoning_effort low caps the reasoning and forces an answer", async () => {
    const completion = await client.chat.completions.create({
      model: "r1",
      messages: [{ role: "user", content: "Think briefly" }],
      max_tokens: 560,
      reasoning_effort: "low",
      ignore_eos: true,
    } as OpenAI.ChatCompletionCreateParamsNonStreaming);
    const reasoningTokens = completion.usage!.completion_tokens_details!.reasoning_tokens!;
    expect(reasoningTokens).toBeGreaterThan(0);
    expect(reasoningTokens).toBeLessThanOrEqual(512 + 4);
    expect(completion.choices[0].message.content!.length).toBeGreaterThan(0);
  });

  it("leaves earlier turns' reasoning out of the prompt", async () => {
    const turns = (reasoning: string) => [
      { role: "user", content: "First question" },
      { role: "assistant", content: "First answer", reasoning_content: reasoning },
      { role: "user", content: "Second question" },
    ];
    const short = await client.chat.completions.create({ model: "r1", messages: turns("a") as never, max_tokens: 1 });
    const long = await client.chat.completions.create({ model: "r1", messages: turns("a very long chain of thought ".repeat(20)) as never, max_tokens: 1 });
    expect(long.usage!.prompt_tokens).toBe(short.usage!.prompt_tokens);
  });

  it("continues a final assistant message with prefix: true under /beta", async () => {
    const beta = openAIClient(server, "/beta");
    const messages = [{ role: "user", content: "Write code" }, { role: "assistant", content: "```python\n", prefix: true }];
    const completion = await beta.chat.completions.create({ model: "chatml", messages: messages as never, max_tokens: 4 });
    const plain = await beta.chat.completions.create({ model: "chatml", messages: [{ role: "user", content: "Write code" }], max_tokens: 4 });
    // The prefix is part of the prompt (not a new turn), so the prompt grows by its tokens only.
    expect(completion.usage!.prompt_tokens).toBeGreaterThan(plain.usage!.prompt_tokens);
    expect(completion.usage!.prompt_tokens - plain.usage!.prompt_tokens).toBeLessThan(6);
  });
});
