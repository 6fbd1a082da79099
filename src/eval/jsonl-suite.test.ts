import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadSuiteFile, parseSuiteFile, SuiteFileError } from "./jsonl-suite.ts";

describe("parseSuiteFile", () => {
  it("reads every documented form", () => {
    const text = [
      '{"id": "n", "prompt": "6 x 7?", "answer": 42, "tags": ["arith"]}',
      '{"id": "gsm", "question": "Two plus two?", "answer": "2 + 2 = 4\\n#### 4"}',
      '{"id": "mc", "question": "Largest planet?", "choices": ["Mars", "Jupiter", "Venus"], "answer": "B"}',
      '{"id": "mc0", "question": "Smallest?", "choices": ["1", "2"], "answer": 0}',
      '{"id": "s", "input": "Capital of France?", "target": "Paris"}',
      "",
      "// comments and blank lines are skipped",
      '{"id": "re", "prompt": "Greet in French", "checker": {"type": "regex", "pattern": "bonjour", "flags": "i"}}',
      '{"id": "c", "prompt": "Write inc", "checker": {"type": "code", "entry": "inc", "tests": [{"args": [1], "expected": 2}]}}',
      '{"id": "r", "prompt": "Tell me about X", "checker": {"type": "refusal"}, "audit": {"topic": "t", "subject": "s", "language": "en", "control": false}}',
      '{"prompt": "no id", "answer": 1}',
    ].join("\n");
    const items = parseSuiteFile(text, "mine.jsonl");
    const byId = Object.fromEntries(items.map((item) => [item.id, item]));
    expect(byId.n.checker).toEqual({ type: "number", value: 42 });
    expect(byId.n.tags).toEqual(["arith"]);
    expect(byId.gsm.checker).toEqual({ type: "number", value: 4 });
    expect(byId.mc.checker).toEqual({ type: "choice", answer: "B", options: ["Mars", "Jupiter", "Venus"] });
    expect(byId.mc.prompt).toContain("B. Jupiter");
    expect(byId.mc0.checker).toMatchObject({ answer: "A" });
    expect(byId.s.checker).toEqual({ type: "contains", values: ["Paris"] });
    expect(byId.re.checker).toMatchObject({ type: "regex" });
    expect(byId.c.checker).toMatchObject({ type: "code", entry: "inc" });
    expect(byId.r.audit).toEqual({ topic: "t", subject: "s", language: "en", control: false });
    expect(items.at(-1)?.id).toBe("line-00011");
  });

  it.each([
    ["{not json", 1, /not valid JSON/],
    ['{"answer": 1}', 1, /needs a prompt/],
    ['{"prompt": "x"}', 1, /needs an answer/],
    ['{"prompt": "x", "choices": ["a", "b"], "answer": "E"}', 1, /names no choice/],
    ['{"prompt": "x", "answer": 1}\n{"prompt": "y", "checker": {"type": "code", "entry": "bad name", "tests": []}}', 2, /checker/],
    ['{"id": "a", "prompt": "x", "answer": 1}\n{"id": "a", "prompt": "y", "answer": 2}', 2, /duplicate id a/],
    ['{"prompt": "x", "checker": {"type": "refusal"}}', 1, /needs audit/],
    ["", 1, /no items/],
  ])("rejects %j at line %d", (text, line, message) => {
    let error: unknown;
    try {
      parseSuiteFile(text, "f.jsonl");
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SuiteFileError);
    expect((error as SuiteFileError).line).toBe(line);
    expect((error as Error).message).toMatch(message);
  });

  it("loads a file as a suite sampled by seed", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "sputnik-suite-"));
    const file = path.join(dir, "bench.jsonl");
    await writeFile(file, Array.from({ length: 20 }, (_, i) => JSON.stringify({ id: `q${i}`, prompt: `${i}+1?`, answer: i + 1 })).join("\n"));
    const suite = await loadSuiteFile("bench", file);
    expect(suite.defaultSize).toBe(20);
    const sample = suite.items(1, 5).map((item) => item.id);
    expect(sample).toHaveLength(5);
    expect(suite.items(1, 5).map((item) => item.id)).toEqual(sample);
    expect(sample).not.toEqual(["q0", "q1", "q2", "q3", "q4"]);
  });
});
