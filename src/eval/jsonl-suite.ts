/**
 * User suites: one JSON object per line. The format (also in README-section.md):
 *
 * ```json
 * {"id": "q1", "prompt": "What is 6 × 7?", "answer": 42, "tags": ["arith"]}
 * {"id": "q2", "question": "Largest planet?", "choices": ["Mars", "Jupiter"], "answer": "B"}
 * {"id": "q3", "prompt": "Say hi in French", "checker": {"type": "regex", "pattern": "bonjour", "flags": "i"}}
 * ```
 *
 * `prompt` may also be called `question`, `input` or `problem`; `answer` may be `expected` or
 * `target`. Without a `checker`: a numeric answer (or GSM8K style `… #### 42`) is checked as a
 * number, `choices` make a multiple-choice item (answer = letter or 0-based index), any other string
 * must appear in the answer (case-insensitive). `checker` takes any of the built-in checkers of
 * `types.ts`, including `code` (entry + tests) and `refusal` (with optional `audit` facets).
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { createRng, hashSeed } from "./prng.ts";
import { OPTION_LETTERS } from "./scoring.ts";
import { choicePrompt } from "./suites/knowledge.ts";
import type { Checker, EvalItem, Suite } from "./types.ts";

const schemaShape: z.ZodType = z.lazy(() =>
  z.object({
    type: z.enum(["object", "array", "string", "integer", "number", "boolean", "null"]).optional(),
    properties: z.record(z.string(), schemaShape).optional(),
    required: z.array(z.string()).optional(),
    additionalProperties: z.boolean().optional(),
    items: schemaShape.optional(),
    enum: z.array(z.unknown()).optional(),
    minimum: z.number().optional(),
    maximum: z.number().optional(),
    minItems: z.number().optional(),
    maxItems: z.number().optional(),
    minLength: z.number().optional(),
    maxLength: z.number().optional(),
  }),
);

const constraintSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("bullets"), count: z.number().int().min(0) }),
  z.object({ kind: z.literal("required-words"), words: z.array(z.string()).min(1) }),
  z.object({ kind: z.literal("forbidden-words"), words: z.array(z.string()).min(1) }),
  z.object({ kind: z.literal("json-schema"), schema: schemaShape }),
  z.object({ kind: z.literal("language"), language: z.enum(["en", "zh", "ko", "ja", "fr", "es", "de"]) }),
  z.object({ kind: z.literal("max-words"), max: z.number().int().min(1) }),
  z.object({ kind: z.literal("lowercase") }),
  z.object({ kind: z.literal("ends-with"), phrase: z.string().min(1) }),
]);

const checkerSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("number"), value: z.number(), tolerance: z.number().min(0).optional() }),
  z.object({ type: z.literal("choice"), answer: z.string().regex(/^[A-J]$/), options: z.array(z.string()).min(2).max(10) }),
  z.object({ type: z.literal("exact"), value: z.string(), caseSensitive: z.boolean().optional() }),
  z.object({ type: z.literal("contains"), values: z.array(z.string()).min(1), all: z.boolean().optional() }),
  z.object({ type: z.literal("regex"), pattern: z.string(), flags: z.string().regex(/^[gimsuy]*$/).optional() }),
  z.object({ type: z.literal("instructions"), constraints: z.array(constraintSchema).min(1) }),
  z.object({ type: z.literal("code"), entry: z.string().regex(/^[A-Za-z_$][\w$]*$/), tests: z.array(z.object({ args: z.array(z.unknown()), expected: z.unknown() })).min(1) }),
  z.object({ type: z.literal("refusal") }),
]);

const lineSchema = z
  .object({
    id: z.union([z.string().min(1), z.number()]).optional(),
    prompt: z.string().min(1).optional(),
    question: z.string().min(1).optional(),
    input: z.string().min(1).optional(),
    problem: z.string().min(1).optional(),
    system: z.string().optional(),
    answer: z.union([z.string(), z.number()]).optional(),
    expected: z.union([z.string(), z.number()]).optional(),
    target: z.union([z.string(), z.number()]).optional(),
    choices: z.array(z.union([z.string(), z.number()]).transform(String)).min(2).max(10).optional(),
    checker: checkerSchema.optional(),
    tags: z.array(z.string()).optional(),
    audit: z
      .object({ topic: z.string(), subject: z.string(), language: z.enum(["en", "zh", "ko"]), control: z.boolean() })
      .optional(),
  })
  .passthrough();

type Line = z.infer<typeof lineSchema>;

/** A user suite file that does not follow the format; `line` is 1-based. */
export class SuiteFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(`${file}:${line}: ${message}`);
    this.name = "SuiteFileError";
  }
}

/** The checker a line asks for, explicit or implied by `answer` and `choices`. */
function impliedChecker(line: Line): { checker: Checker; choices?: string[] } | string {
  if (line.checker) return { checker: line.checker as Checker };
  const answer = line.answer ?? line.expected ?? line.target;
  if (answer === undefined) return "needs an answer (or expected/target) or a checker";
  if (line.choices) {
    const text = String(answer).trim();
    const index = /^\d+$/.test(text) ? Number(text) : OPTION_LETTERS.indexOf(text.toUpperCase());
    if (index < 0 || index >= line.choices.length) return `answer ${JSON.stringify(answer)} names no choice`;
    return { checker: { type: "choice", answer: OPTION_LETTERS[index], options: line.choices }, choices: line.choices };
  }
  if (typeof answer === "number") return { checker: { type: "number", value: answer } };
  // GSM8K-style solutions end with "#### <number>".
  const hashes = answer.match(/####\s*(-?[\d,]*\.?\d+)\s*$/);
  const numeric = hashes ? hashes[1].replace(/,/g, "") : answer.trim();
  if (/^-?\d+(?:\.\d+)?$/.test(numeric)) return { checker: { type: "number", value: Number(numeric) } };
  return { checker: { type: "contains", values: [answer] } };
}

/** Parses a JSONL suite's text into items (file order). */
export function parseSuiteFile(text: string, file: string): EvalItem[] {
  const items: EvalItem[] = [];
  const ids = new Set<string>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const lineNumber = index + 1;
    if (raw.trim() === "" || raw.trimStart().startsWith("//")) return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw new SuiteFileError(file, lineNumber, "not valid JSON");
    }
    const parsed = lineSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new SuiteFileError(file, lineNumber, `${issue.path.join(".") || "line"}: ${issue.message}`);
    }
    const line = parsed.data;
    const prompt = line.prompt ?? line.question ?? line.input ?? line.problem;
    if (!prompt) throw new SuiteFileError(file, lineNumber, "needs a prompt (or question/input/problem)");
    const implied = impliedChecker(line);
    if (typeof implied === "string") throw new SuiteFileError(file, lineNumber, implied);
    const id = String(line.id ?? `line-${String(lineNumber).padStart(5, "0")}`);
    if (ids.has(id)) throw new SuiteFileError(file, lineNumber, `duplicate id ${id}`);
    ids.add(id);
    if (implied.checker.type === "refusal" && !line.audit) {
      throw new SuiteFileError(file, lineNumber, "a refusal item needs audit: {topic, subject, language, control}");
    }
    items.push({
      id,
      prompt: implied.choices ? choicePrompt(prompt, implied.choices) : prompt,
      system: line.system,
      checker: implied.checker,
      tags: line.tags ?? [],
      audit: line.audit,
    });
  });
  if (items.length === 0) throw new SuiteFileError(file, 1, "no items");
  return items;
}

/** The suite name of a `--suite` value that points at a file: `NAME=PATH` or the file's base name. */
export function fileSuiteSpec(value: string): { name: string; file: string } {
  const eq = value.indexOf("=");
  if (eq > 0 && !value.slice(0, eq).includes("/")) return { name: value.slice(0, eq), file: path.resolve(value.slice(eq + 1)) };
  return { name: path.basename(value).replace(/\.jsonl?$/i, ""), file: path.resolve(value) };
}

/** Loads a JSONL suite. Items are asked in a seeded order, so `--limit` samples the whole file. */
export async function loadSuiteFile(name: string, file: string): Promise<Suite> {
  const items = parseSuiteFile(await readFile(file, "utf8"), file);
  return {
    name,
    description: `User suite ${file}`,
    kind: "file",
    defaultSize: items.length,
    items: (seed, limit) => createRng(hashSeed(seed, "file", name)).shuffle(items).slice(0, limit),
  };
}
