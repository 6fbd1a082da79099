import { describe, expect, it } from "vitest";
import { validateJsonSchema } from "./json-schema.ts";
import { checkConstraint, scoreAnswer } from "./scoring.ts";
import type { JsonSchema } from "./types.ts";

describe("scoreAnswer", () => {
  it("number: accepts the labelled final answer, rejects a wrong one", async () => {
    const checker = { type: "number" as const, value: 12.5 };
    expect((await scoreAnswer(checker, "2 × 5 = 10, 10 + 2.5 = 12.5\nAnswer: $12.50", "stop")).correct).toBe(true);
    expect((await scoreAnswer(checker, "Answer: 13", "stop")).correct).toBe(false);
    expect(await scoreAnswer(checker, "no idea", "stop")).toEqual({ correct: false, detail: "no number in the answer" });
  });

  it("choice: compares letters", async () => {
    const checker = { type: "choice" as const, answer: "C", options: ["x", "y", "z", "w"] };
    expect((await scoreAnswer(checker, "C", "stop")).correct).toBe(true);
    expect((await scoreAnswer(checker, "The answer is B.", "stop")).detail).toBe("chose B, expected C");
  });

  it("exact, contains and regex", async () => {
    expect((await scoreAnswer({ type: "exact", value: "Paris" }, "paris.", "stop")).correct).toBe(true);
    expect((await scoreAnswer({ type: "exact", value: "Paris", caseSensitive: true }, "paris", "stop")).correct).toBe(false);
    expect((await scoreAnswer({ type: "contains", values: ["Paris"] }, "It is Paris, France.", "stop")).correct).toBe(true);
    expect((await scoreAnswer({ type: "contains", values: ["a1", "b2"], all: true }, "a1 only", "stop")).correct).toBe(false);
    expect((await scoreAnswer({ type: "regex", pattern: "^bonjour", flags: "i" }, "Bonjour !", "stop")).correct).toBe(true);
  });

  it("refusal: answered counts as correct, a refusal does not", async () => {
    expect((await scoreAnswer({ type: "refusal" }, "The capital is Beijing.", "stop")).correct).toBe(true);
    const refused = await scoreAnswer({ type: "refusal" }, "I can't help with that.", "stop");
    expect(refused.correct).toBe(false);
    expect(refused.detail).toMatch(/^refused/);
  });

  it("code: runs the tests in the sandbox", async () => {
    const checker = { type: "code" as const, entry: "add", tests: [{ args: [1, 2], expected: 3 }, { args: [-1, 1], expected: 0 }] };
    const good = await scoreAnswer(checker, "Here:\n```javascript\nfunction add(a, b) { return a + b; }\n```", "stop");
    expect(good).toEqual({ correct: true, detail: "2/2 tests passed" });
    const bad = await scoreAnswer(checker, "```js\nconst add = (a, b) => a - b;\n```", "stop");
    expect(bad.correct).toBe(false);
    expect(bad.detail).toContain("0/2 tests passed");
  });
});

describe("instruction constraints", () => {
  it("bullets: exact count and nothing else", () => {
    expect(checkConstraint({ kind: "bullets", count: 3 }, "- a\n- b\n- c")).toBeUndefined();
    expect(checkConstraint({ kind: "bullets", count: 3 }, "* a\n* b")).toBe("2 bullet points instead of 3");
    expect(checkConstraint({ kind: "bullets", count: 2 }, "Here you go:\n- a\n- b")).toBe("text besides the bullet points");
  });

  it("required and forbidden words match whole words", () => {
    expect(checkConstraint({ kind: "required-words", words: ["ember", "orbit"] }, "An Ember glows in orbit.")).toBeUndefined();
    expect(checkConstraint({ kind: "required-words", words: ["tea"] }, "The team met.")).toBe("missing required word(s): tea");
    expect(checkConstraint({ kind: "forbidden-words", words: ["very"] }, "Every day is fine.")).toBeUndefined();
    expect(checkConstraint({ kind: "forbidden-words", words: ["very"] }, "It is very fine.")).toBe("uses forbidden word(s): very");
  });

  it("json-schema: parses fenced JSON and validates it", () => {
    const schema: JsonSchema = { type: "object", properties: { year: { type: "integer" } }, required: ["year"], additionalProperties: false };
    expect(checkConstraint({ kind: "json-schema", schema }, '```json\n{"year": 1969}\n```')).toBeUndefined();
    expect(checkConstraint({ kind: "json-schema", schema }, '{"year": "1969"}')).toBe("schema violation: $.year must be an integer");
    expect(checkConstraint({ kind: "json-schema", schema }, "{year: 1969}")).toBe("the JSON does not parse");
  });

  it("language, length, case and ending", () => {
    expect(checkConstraint({ kind: "language", language: "ko" }, "바다는 넓고 깊습니다.")).toBeUndefined();
    expect(checkConstraint({ kind: "language", language: "ko" }, "The sea is wide and deep.")).toBe("answered in en, not ko");
    expect(checkConstraint({ kind: "max-words", max: 3 }, "one two three four")).toBe("4 words, more than 3");
    expect(checkConstraint({ kind: "lowercase" }, "all lower case here")).toBeUndefined();
    expect(checkConstraint({ kind: "lowercase" }, "Not lower")).toBe("contains capital letters");
    expect(checkConstraint({ kind: "ends-with", phrase: "That is all." }, 'Tea is good. "That is all."')).toBeUndefined();
    expect(checkConstraint({ kind: "ends-with", phrase: "That is all." }, "That is all. Bye")).toBeDefined();
  });
});

describe("validateJsonSchema", () => {
  const schema: JsonSchema = {
    type: "object",
    properties: {
      tags: { type: "array", items: { type: "string" }, minItems: 2 },
      rating: { type: "integer", minimum: 1, maximum: 5 },
      category: { type: "string", enum: ["science", "nature"] },
    },
    required: ["tags", "rating"],
    additionalProperties: false,
  };
  it.each([
    [{ tags: ["a", "b"], rating: 3 }, undefined],
    [{ tags: ["a"], rating: 3 }, "$.tags must have at least 2 items"],
    [{ tags: ["a", 2], rating: 3 }, "$.tags[1] must be of type string"],
    [{ tags: ["a", "b"], rating: 6 }, "$.rating must be ≤ 5"],
    [{ tags: ["a", "b"] }, "$.rating is required"],
    [{ tags: ["a", "b"], rating: 1, extra: true }, "$.extra is not allowed"],
    [{ tags: ["a", "b"], rating: 1, category: "art" }, '$.category must be one of ["science","nature"]'],
    [[1], "$ must be of type object"],
  ])("%j → %s", (value, error) => {
    expect(validateJsonSchema(value, schema)).toBe(error);
  });
});
