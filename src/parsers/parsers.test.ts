import { describe, expect, it } from "vitest";
import { ReasoningParser, type ReasoningPart } from "./reasoning/reasoning-parser.ts";
import { StopStringDetector } from "./stop-strings.ts";
import { ForcedToolCallParser } from "./tools/forced-tool-call-parser.ts";
import { HermesToolCallParser } from "./tools/hermes-tool-call-parser.ts";
import type { ToolParserOutput } from "./tools/tool-call-events.ts";

/** Every case runs whole, character by character, and in 3-character chunks. */
const splits: Array<[string, (text: string) => string[]]> = [
  ["whole", (text) => [text]],
  ["per character", (text) => [...text]],
  ["in 3-char chunks", (text) => text.match(/[\s\S]{1,3}/g) ?? []],
];

function runReasoning(chunks: string[], startsInReasoning: boolean): { reasoning: string; content: string } {
  const parser = new ReasoningParser({ startsInReasoning, detectOpenTag: true });
  const parts: ReasoningPart[] = [];
  for (const chunk of chunks) parts.push(...parser.push(chunk));
  parts.push(...parser.flush());
  return {
    reasoning: parts.filter((p) => p.kind === "reasoning").map((p) => p.text).join(""),
    content: parts.filter((p) => p.kind === "content").map((p) => p.text).join(""),
  };
}

describe("ReasoningParser", () => {
  const cases: Array<{ name: string; text: string; startsInReasoning: boolean; reasoning: string; content: string }> = [
    { name: "Qwen3: model opens <think>", text: "<think>\nLet me see.\n</think>\n\nHello!", startsInReasoning: false, reasoning: "Let me see.\n", content: "Hello!" },
    { name: "R1: prompt opened <think>", text: "Hmm, 2+2.\n</think>\n\n4", startsInReasoning: true, reasoning: "Hmm, 2+2.\n", content: "4" },
    { name: "no reasoning at all", text: "Just an answer <think> later is text", startsInReasoning: false, reasoning: "", content: "Just an answer <think> later is text" },
    { name: "empty reasoning block (thinking off)", text: "<think>\n\n</think>\n\nDone", startsInReasoning: false, reasoning: "", content: "Done" },
    { name: "cut off while thinking", text: "<think>still going", startsInReasoning: false, reasoning: "still going", content: "" },
    { name: "partial close tag at the end", text: "thinking </thi", startsInReasoning: true, reasoning: "thinking </thi", content: "" },
    { name: "CJK inside reasoning", text: "<think>想一想</think>답: 네", startsInReasoning: false, reasoning: "想一想", content: "답: 네" },
  ];
  for (const testCase of cases) {
    for (const [how, split] of splits) {
      it(`${testCase.name} (${how})`, () => {
        expect(runReasoning(split(testCase.text), testCase.startsInReasoning)).toEqual({ reasoning: testCase.reasoning, content: testCase.content });
      });
    }
  }
});

describe("StopStringDetector", () => {
  const cases = [
    { name: "stops before the stop string", text: "Hello END world", stops: ["END"], out: "Hello ", stopped: true },
    { name: "earliest of several", text: "a;b.c", stops: [".", ";"], out: "a", stopped: true },
    { name: "near miss is released", text: "EN then E", stops: ["END"], out: "EN then E", stopped: false },
    { name: "no stops", text: "anything", stops: [], out: "anything", stopped: false },
  ];
  for (const testCase of cases) {
    for (const [how, split] of splits) {
      it(`${testCase.name} (${how})`, () => {
        const detector = new StopStringDetector(testCase.stops);
        let out = "";
        let stopped = false;
        for (const chunk of split(testCase.text)) {
          const scan = detector.push(chunk);
          out += scan.text;
          stopped ||= scan.stopped;
        }
        out += detector.flush();
        expect({ out, stopped }).toEqual({ out: testCase.out, stopped: testCase.stopped });
      });
    }
  }
});

function collectTools(parser: HermesToolCallParser | ForcedToolCallParser, chunks: string[]) {
  const outputs: ToolParserOutput[] = [];
  for (const chunk of chunks) outputs.push(...parser.push(chunk));
  outputs.push(...parser.flush());
  const text = outputs.flatMap((o) => (o.type === "text" ? [o.text] : [])).join("");
  const calls: Array<{ name: string; arguments: string }> = [];
  for (const o of outputs) {
    if (o.type === "tool-call-start") calls[o.index] = { name: o.name, arguments: "" };
    if (o.type === "tool-call-delta") calls[o.index].arguments += o.argumentsDelta;
  }
  const ends = outputs.filter((o) => o.type === "tool-call-end").length;
  return { text, calls, ends };
}

describe("HermesToolCallParser", () => {
  const cases = [
    {
      name: "one call after text",
      text: 'Let me check.\n<tool_call>\n{"name": "get_weather", "arguments": {"city": "Seoul"}}\n</tool_call>',
      result: { text: "Let me check.\n", calls: [{ name: "get_weather", arguments: '{"city":"Seoul"}' }], ends: 1 },
    },
    {
      name: "two parallel calls",
      text: '<tool_call>{"name":"a","arguments":{}}</tool_call>\n<tool_call>{"name":"b","arguments":{"x":1}}</tool_call>',
      result: { text: "", calls: [{ name: "a", arguments: "{}" }, { name: "b", arguments: '{"x":1}' }], ends: 2 },
    },
    {
      name: "invalid JSON is passed on as text",
      text: "<tool_call>not json</tool_call>",
      result: { text: "<tool_call>not json</tool_call>", calls: [], ends: 0 },
    },
    { name: "plain text with a lone <", text: "a < b and <tool", result: { text: "a < b and <tool", calls: [], ends: 0 } },
  ];
  for (const testCase of cases) {
    for (const [how, split] of splits) {
      it(`${testCase.name} (${how})`, () => {
        expect(collectTools(new HermesToolCallParser(), split(testCase.text))).toEqual(testCase.result);
      });
    }
  }
});

describe("ForcedToolCallParser", () => {
  const cases = [
    { name: "compact", text: '{"name":"get_weather","arguments":{"city":"Seoul"}}', args: '{"city":"Seoul"}' },
    { name: "spaced, nested", text: '{ "name": "f", "arguments": { "a": { "b": [1, 2] } } }\n', args: '{ "a": { "b": [1, 2] } }' },
    { name: "escaped name", text: '{"name":"my\\u005fname","arguments":{}}', args: "{}", callName: "my_name" },
  ];
  for (const testCase of cases) {
    for (const [how, split] of splits) {
      it(`${testCase.name} (${how})`, () => {
        const result = collectTools(new ForcedToolCallParser(), split(testCase.text));
        expect(result.calls).toHaveLength(1);
        expect(result.calls[0].arguments).toBe(testCase.args);
        expect(JSON.parse(result.calls[0].arguments)).toEqual(JSON.parse(testCase.args));
        if (testCase.callName) expect(result.calls[0].name).toBe(testCase.callName);
        expect(result.ends).toBe(1);
      });
    }
  }
});
