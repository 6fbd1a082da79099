import { describe, expect, it } from "vitest";
import { extractFinalNumber } from "../text.ts";
import { validateJsonSchema } from "../json-schema.ts";
import { BUILTIN_SUITES, parseSuiteList } from "./index.ts";
import { CODE_TASKS } from "./code-tasks.ts";
import { KNOWLEDGE_BANK } from "./knowledge-bank.ts";
import { AUDIT_TOPICS } from "./refusal-bank.ts";
import { allAuditItems } from "./refusal.ts";

describe("built-in suites", () => {
  it.each([...BUILTIN_SUITES.keys()])("%s is deterministic per seed, and --limit takes a prefix", (name) => {
    const suite = BUILTIN_SUITES.get(name)!;
    const limit = Math.min(8, suite.defaultSize);
    const first = suite.items(42, limit);
    expect(first).toHaveLength(limit);
    expect(suite.items(42, limit)).toEqual(first);
    expect(suite.items(42, limit + 2).slice(0, limit)).toEqual(first);
    expect(suite.items(43, limit)).not.toEqual(first);
    const ids = suite.items(42, suite.defaultSize).map((item) => item.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("math problems have exact answers the scorer can read back", () => {
    const items = BUILTIN_SUITES.get("math")!.items(7, 200);
    const templates = new Set(items.map((item) => item.tags[1]));
    expect(templates.size).toBe(9);
    for (const item of items) {
      if (item.checker.type !== "number") throw new Error("math items are numeric");
      const value = item.checker.value;
      expect(Number.isFinite(value) && value >= 0, item.prompt).toBe(true);
      // Whole cents at most: no rounding question can arise.
      expect(Math.abs(value * 100 - Math.round(value * 100)), item.prompt).toBeLessThan(1e-6);
      expect(extractFinalNumber(`Working…\nAnswer: ${value}`)).toBe(value);
    }
  });

  it("instruction items carry checkable constraints; JSON items a schema that can be met", () => {
    const items = BUILTIN_SUITES.get("instruct")!.items(3, 60);
    const kinds = new Set(items.map((item) => item.tags[1]));
    expect([...kinds].sort()).toEqual(["bullets", "forbidden-words", "json-schema", "language", "required-words"]);
    for (const item of items) {
      if (item.checker.type !== "instructions") throw new Error("instruct items use instructions");
      for (const constraint of item.checker.constraints) {
        if (constraint.kind !== "json-schema") continue;
        expect(item.prompt).toContain(JSON.stringify(constraint.schema, null, 2));
        expect(validateJsonSchema({}, constraint.schema)).toMatch(/is required/);
      }
    }
  });

  it("code items test every task with edge cases and random inputs from the reference", () => {
    const items = BUILTIN_SUITES.get("code")!.items(5, CODE_TASKS.length);
    expect(items).toHaveLength(CODE_TASKS.length);
    for (const item of items) {
      if (item.checker.type !== "code") throw new Error("code items use the sandbox");
      const task = CODE_TASKS.find((t) => item.id === `code-${t.id}`)!;
      expect(item.checker.tests).toHaveLength(task.fixed.length + 5);
      const reference = task.reference as (...args: unknown[]) => unknown;
      for (const test of item.checker.tests) expect(reference(...structuredClone(test.args))).toEqual(test.expected);
      expect(item.prompt).toContain(task.signature);
    }
    const otherSeed = BUILTIN_SUITES.get("code")!.items(6, CODE_TASKS.length);
    expect(otherSeed.map((item) => item.checker)).not.toEqual(items.map((item) => item.checker));
  });

  it("knowledge items put the correct answer under the expected letter", () => {
    for (const item of BUILTIN_SUITES.get("knowledge")!.items(11, KNOWLEDGE_BANK.length)) {
      if (item.checker.type !== "choice") throw new Error("knowledge items are multiple choice");
      const question = KNOWLEDGE_BANK.find((q) => item.id === `knowledge-${q.id}`)!;
      const index = "ABCD".indexOf(item.checker.answer);
      expect(item.checker.options[index]).toBe(question.correct);
      expect(item.prompt).toContain(`${item.checker.answer}. ${question.correct}`);
    }
    const letters = new Set(BUILTIN_SUITES.get("knowledge")!.items(11, 40).map((item) => (item.checker.type === "choice" ? item.checker.answer : "")));
    expect(letters.size).toBe(4);
  });

  it("the refusal audit asks each question about several governments in three languages, with controls", () => {
    const items = allAuditItems().flat();
    expect(items.length).toBeGreaterThanOrEqual(140);
    for (const topic of AUDIT_TOPICS) {
      expect(Object.keys(topic.subjects).length).toBeGreaterThanOrEqual(2);
      for (const language of ["en", "zh", "ko"] as const) {
        expect(topic.template[language]).toContain("{x}");
        for (const phrase of Object.values(topic.subjects)) expect(phrase[language].trim()).not.toBe("");
      }
    }
    for (const item of items) expect(item.prompt).not.toContain("{x}");
    const sensitive = items.filter((item) => !item.audit?.control);
    for (const government of ["china", "usa", "russia"]) {
      expect(sensitive.filter((item) => item.audit?.subject === government).length, government).toBeGreaterThanOrEqual(15);
    }
    expect(items.filter((item) => item.audit?.control).length).toBeGreaterThanOrEqual(24);
    // Chinese prompts are in Chinese and Korean prompts in Korean.
    expect(items.filter((item) => item.audit?.language === "ko").every((item) => /[\uac00-\ud7af]/.test(item.prompt))).toBe(true);
    expect(items.filter((item) => item.audit?.language === "zh").every((item) => /[\u4e00-\u9fff]/.test(item.prompt) && !/[\uac00-\ud7af]/.test(item.prompt))).toBe(true);
  });

  it("a limited refusal run keeps a question's governments together", () => {
    const items = BUILTIN_SUITES.get("refusal")!.items(1, 4);
    expect(new Set(items.map((item) => `${item.audit?.topic}/${item.audit?.language}`)).size).toBe(1);
    expect(new Set(items.map((item) => item.audit?.subject)).size).toBe(4);
  });
});

describe("parseSuiteList", () => {
  it("resolves names, all, and files", () => {
    expect(parseSuiteList("math,refusal")).toEqual([{ kind: "builtin", name: "math" }, { kind: "builtin", name: "refusal" }]);
    expect(parseSuiteList("all")).toHaveLength(5);
    const [file] = parseSuiteList("mine=./x/bench.jsonl");
    expect(file).toMatchObject({ kind: "file", name: "mine" });
    expect(parseSuiteList("data/gsm.jsonl")[0]).toMatchObject({ kind: "file", name: "gsm" });
  });
  it("rejects unknown names and duplicates", () => {
    expect(() => parseSuiteList("maths")).toThrow(/Unknown suite "maths"/);
    expect(() => parseSuiteList("math,math")).toThrow(/named twice/);
  });
});
