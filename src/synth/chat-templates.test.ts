import { Template } from "@huggingface/jinja";
import { describe, expect, it } from "vitest";
import { CHAT_TEMPLATES } from "./chat-templates.ts";
import { buildQwenVocab, TOKEN_TYPE, type SynthTemplate } from "./qwen-vocab.ts";

const BOS = "<｜begin▁of▁sentence｜>";
const DEFAULT_SYSTEM = "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n";

type Message = Record<string, unknown>;
interface Case {
  name: string;
  template: SynthTemplate;
  messages: Message[];
  tools?: unknown[];
  addGenerationPrompt?: boolean;
  enableThinking?: boolean;
  extra?: Record<string, unknown>;
  expected: string;
}

function render(c: Pick<Case, "template" | "messages" | "tools" | "addGenerationPrompt" | "enableThinking" | "extra">): string {
  return new Template(CHAT_TEMPLATES[c.template]).render({
    messages: c.messages,
    tools: c.tools,
    add_generation_prompt: c.addGenerationPrompt ?? false,
    enable_thinking: c.enableThinking,
    bos_token: BOS,
    eos_token: "<|im_end|>",
    ...c.extra,
  });
}

const weatherTool = {
  type: "function",
  function: { name: "get_weather", description: "Current weather", parameters: { type: "object", properties: { city: { type: "string" } } } },
};
const toolJson = JSON.stringify(weatherTool).replaceAll('":', '": ').replaceAll(',"', ', "');
const call = { id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city": "Paris"}' } };
const QWEN_TOOLS_SYSTEM =
  "# Tools\n\nYou may call one or more functions to assist with the user query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>\n" +
  toolJson +
  '\n</tools>\n\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call><|im_end|>\n';
const toolTurn = [
  { role: "user", content: "Weather in Paris?" },
  { role: "assistant", content: null, tool_calls: [call] },
  { role: "tool", tool_call_id: "call_1", content: "18C" },
  { role: "tool", tool_call_id: "call_2", content: "sunny" },
];

const CASES: Case[] = [
  {
    name: "chatml: default system prompt and generation prompt",
    template: "chatml",
    messages: [{ role: "user", content: "Hi" }],
    addGenerationPrompt: true,
    expected: DEFAULT_SYSTEM + "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
  },
  {
    name: "chatml: system, text parts, closed history",
    template: "chatml",
    messages: [
      { role: "system", content: "Be brief." },
      { role: "user", content: [{ type: "text", text: "Hi" }, { type: "text", text: " there" }] },
      { role: "assistant", content: "Hello." },
      { role: "user", content: "Bye" },
    ],
    addGenerationPrompt: true,
    expected:
      "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi there<|im_end|>\n<|im_start|>assistant\nHello.<|im_end|>\n" +
      "<|im_start|>user\nBye<|im_end|>\n<|im_start|>assistant\n",
  },
  {
    name: "chatml: tools, tool_calls and grouped tool responses",
    template: "chatml",
    messages: toolTurn,
    tools: [weatherTool],
    addGenerationPrompt: true,
    expected:
      "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.\n\n" +
      QWEN_TOOLS_SYSTEM +
      "<|im_start|>user\nWeather in Paris?<|im_end|>\n" +
      '<|im_start|>assistant\n<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n</tool_call><|im_end|>\n' +
      "<|im_start|>user\n<tool_response>\n18C\n</tool_response>\n<tool_response>\nsunny\n</tool_response><|im_end|>\n" +
      "<|im_start|>assistant\n",
  },
  {
    name: "chatml: HF-style object arguments after content",
    template: "chatml",
    messages: [
      { role: "user", content: "Go" },
      { role: "assistant", content: "Calling.", tool_calls: [{ function: { name: "f", arguments: { a: 1 } } }, { name: "g" }] },
    ],
    extra: { continue_final_message: false },
    expected:
      DEFAULT_SYSTEM +
      "<|im_start|>user\nGo<|im_end|>\n<|im_start|>assistant\nCalling.\n" +
      '<tool_call>\n{"name": "f", "arguments": {"a": 1}}\n</tool_call>\n<tool_call>\n{"name": "g", "arguments": {}}\n</tool_call><|im_end|>\n',
  },
  {
    name: "chatml: prefix continuation leaves the last assistant turn open",
    template: "chatml",
    messages: [
      { role: "user", content: "Count" },
      { role: "assistant", content: "1, 2," },
    ],
    expected: DEFAULT_SYSTEM + "<|im_start|>user\nCount<|im_end|>\n<|im_start|>assistant\n1, 2,",
  },
  {
    name: "qwen3: no default system, thinking on",
    template: "qwen3",
    messages: [{ role: "user", content: "Hi" }],
    addGenerationPrompt: true,
    expected: "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
  },
  {
    name: "qwen3: thinking off pre-fills an empty think block",
    template: "qwen3",
    messages: [{ role: "system", content: "Sys" }, { role: "user", content: "Hi" }],
    addGenerationPrompt: true,
    enableThinking: false,
    expected: "<|im_start|>system\nSys<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n",
  },
  {
    name: "qwen3: earlier reasoning is stripped (inline and reasoning_content)",
    template: "qwen3",
    messages: [
      { role: "user", content: "A?" },
      { role: "assistant", content: "<think>\nhmm\n</think>\n\nA." },
      { role: "user", content: "B?" },
      { role: "assistant", content: "B.", reasoning_content: "secret" },
      { role: "user", content: "C?" },
    ],
    addGenerationPrompt: true,
    expected:
      "<|im_start|>user\nA?<|im_end|>\n<|im_start|>assistant\nA.<|im_end|>\n<|im_start|>user\nB?<|im_end|>\n" +
      "<|im_start|>assistant\nB.<|im_end|>\n<|im_start|>user\nC?<|im_end|>\n<|im_start|>assistant\n",
  },
  {
    name: "qwen3: reasoning of the current tool-calling turn is kept",
    template: "qwen3",
    messages: [toolTurn[0], { ...toolTurn[1], reasoning_content: "need weather" }, toolTurn[2]],
    tools: [weatherTool],
    addGenerationPrompt: true,
    expected:
      "<|im_start|>system\n" +
      QWEN_TOOLS_SYSTEM +
      "<|im_start|>user\nWeather in Paris?<|im_end|>\n" +
      '<|im_start|>assistant\n<think>\nneed weather\n</think>\n\n<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n</tool_call><|im_end|>\n' +
      "<|im_start|>user\n<tool_response>\n18C\n</tool_response><|im_end|>\n<|im_start|>assistant\n",
  },
  {
    name: "qwen3: prefix continuation of open reasoning",
    template: "qwen3",
    messages: [
      { role: "user", content: "Q" },
      { role: "assistant", content: "", reasoning_content: "Let me" },
    ],
    expected: "<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\n<think>\nLet me",
  },
  {
    name: "qwen3: prefix continuation of the answer closes an empty think block",
    template: "qwen3",
    messages: [
      { role: "user", content: "Q" },
      { role: "assistant", content: "The answer" },
    ],
    expected: "<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\nThe answer",
  },
  {
    name: "qwen3: prefix continuation of literal reasoning text",
    template: "qwen3",
    messages: [
      { role: "user", content: "Q" },
      { role: "assistant", content: "<think>\nSo" },
    ],
    expected: "<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\n<think>\nSo",
  },
  {
    name: "qwen3: continuing an empty assistant turn equals the generation prompt",
    template: "qwen3",
    messages: [
      { role: "user", content: "Q" },
      { role: "assistant", content: "" },
    ],
    expected: "<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\n",
  },
  {
    name: "qwen3: prefix continuation with thinking off",
    template: "qwen3",
    messages: [
      { role: "user", content: "Q" },
      { role: "assistant", content: "The answer" },
    ],
    enableThinking: false,
    expected: "<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\nThe answer",
  },
  {
    name: "deepseek-r1: BOS, system, turns and reasoning generation prompt",
    template: "deepseek-r1",
    messages: [
      { role: "system", content: "Be brief." },
      { role: "user", content: "A?" },
      { role: "assistant", content: "<think>\nhmm\n</think>\n\nA." },
      { role: "user", content: "B?" },
    ],
    addGenerationPrompt: true,
    expected: BOS + "Be brief.<｜User｜>A?<｜Assistant｜>A.<｜end▁of▁sentence｜><｜User｜>B?<｜Assistant｜><think>\n",
  },
  {
    name: "deepseek-r1: tool calls and outputs in R1's native markers",
    template: "deepseek-r1",
    messages: toolTurn,
    addGenerationPrompt: true,
    expected:
      BOS +
      "<｜User｜>Weather in Paris?<｜Assistant｜><｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>get_weather\n```json\n" +
      '{"city": "Paris"}\n```<｜tool▁call▁end｜><｜tool▁calls▁end｜><｜end▁of▁sentence｜>' +
      "<｜tool▁outputs▁begin｜><｜tool▁output▁begin｜>18C<｜tool▁output▁end｜><｜tool▁output▁begin｜>sunny<｜tool▁output▁end｜><｜tool▁outputs▁end｜>" +
      "<｜Assistant｜><think>\n",
  },
  {
    name: "deepseek-r1: prefix continuation and thinking off",
    template: "deepseek-r1",
    messages: [
      { role: "user", content: "Q" },
      { role: "assistant", content: "Sure" },
    ],
    enableThinking: false,
    expected: BOS + "<｜User｜>Q<｜Assistant｜><think>\n\n</think>\n\nSure",
  },
];

describe("chat templates", () => {
  it.each(CASES)("$name", (c) => {
    expect(render(c)).toBe(c.expected);
  });

  it("close the final assistant turn when continue_final_message is false", () => {
    const messages = [{ role: "user", content: "Q" }, { role: "assistant", content: "A" }];
    expect(render({ template: "qwen3", messages, extra: { continue_final_message: false } })).toBe(
      "<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\nA<|im_end|>\n",
    );
    expect(render({ template: "deepseek-r1", messages, extra: { continue_final_message: false } })).toBe(
      BOS + "<｜User｜>Q<｜Assistant｜>A<｜end▁of▁sentence｜>",
    );
  });

  it.each(["chatml", "qwen3", "deepseek-r1"] as const)("%s uses only marker tokens its vocabulary has as single tokens", async (template) => {
    const vocab = await buildQwenVocab(template, 151936);
    const ids = new Map(vocab.tokens.map((t, i) => [t, i]));
    const markers = new Set(CHAT_TEMPLATES[template].match(/<\|[a-z_]+\|>|<｜[^｜]+｜>|<\/?(?:think|tool_call|tool_response)>/g));
    expect(markers.size).toBeGreaterThan(2);
    for (const marker of markers) {
      const id = ids.get(marker);
      expect(id, marker).toBeDefined();
      expect(vocab.tokenTypes[id!], marker).not.toBe(TOKEN_TYPE.normal);
    }
  });
});
