/**
 * Scoring: one function per checker type, each returning whether the answer is right and a short
 * reason the report can show. Answers arrive with reasoning already removed.
 */
import { validateJsonSchema } from "./json-schema.ts";
import { classifyAnswer } from "./refusal-classifier.ts";
import { extractCode, runCodeTests, type SandboxOptions } from "./sandbox.ts";
import { countWords, detectLanguage, extractChoice, extractFinalNumber, extractJsonText } from "./text.ts";
import type { Checker, Constraint } from "./types.ts";

/** A scorer's verdict. `correct` is null when the item is not scored for correctness. */
export interface Score {
  correct: boolean | null;
  detail: string;
}

/** Letters used to label multiple-choice options. */
export const OPTION_LETTERS = "ABCDEFGHIJ";

/** Scores one answer against its checker. */
export async function scoreAnswer(checker: Checker, answer: string, finishReason: string | null, sandbox: SandboxOptions = {}): Promise<Score> {
  switch (checker.type) {
    case "number": {
      const got = extractFinalNumber(answer);
      if (got === undefined) return { correct: false, detail: "no number in the answer" };
      const tolerance = checker.tolerance ?? 1e-6 * Math.max(1, Math.abs(checker.value));
      return { correct: Math.abs(got - checker.value) <= tolerance, detail: `answered ${got}, expected ${checker.value}` };
    }
    case "choice": {
      const letters = OPTION_LETTERS.slice(0, Math.max(checker.options.length, 2));
      const got = extractChoice(answer, letters, checker.options);
      if (!got) return { correct: false, detail: "no option letter in the answer" };
      return { correct: got === checker.answer, detail: `chose ${got}, expected ${checker.answer}` };
    }
    case "exact": {
      const norm = (text: string) => (checker.caseSensitive ? text.trim() : text.trim().toLowerCase()).replace(/[.。!]+$/, "");
      return { correct: norm(answer) === norm(checker.value), detail: `expected exactly "${checker.value}"` };
    }
    case "contains": {
      const lower = answer.toLowerCase();
      const hits = checker.values.filter((value) => lower.includes(value.toLowerCase()));
      const ok = checker.all ? hits.length === checker.values.length : hits.length > 0;
      return { correct: ok, detail: `contains ${hits.length}/${checker.values.length} of the expected strings` };
    }
    case "regex": {
      const ok = new RegExp(checker.pattern, checker.flags).test(answer);
      return { correct: ok, detail: `${ok ? "matches" : "does not match"} /${checker.pattern}/` };
    }
    case "instructions": {
      for (const constraint of checker.constraints) {
        const failure = checkConstraint(constraint, answer);
        if (failure) return { correct: false, detail: failure };
      }
      return { correct: true, detail: `all ${checker.constraints.length} constraints met` };
    }
    case "code": {
      const result = await runCodeTests(extractCode(answer, checker.entry), checker.entry, checker.tests, sandbox);
      if (result.error) return { correct: false, detail: result.error };
      const failed = result.failures.length > 0 ? `; ${result.failures[0]}` : "";
      return { correct: result.passed === result.total, detail: `${result.passed}/${result.total} tests passed${failed}` };
    }
    case "refusal": {
      const verdict = classifyAnswer(answer, finishReason);
      return { correct: verdict.label === "answered", detail: `${verdict.label}: ${verdict.reason}` };
    }
  }
}

const BULLET = /^\s*(?:[-*•‣▪]|\d+[.)])\s+\S/;

/** Returns why the answer breaks `constraint`, or undefined when it holds. */
export function checkConstraint(constraint: Constraint, answer: string): string | undefined {
  const text = answer.trim();
  switch (constraint.kind) {
    case "bullets": {
      const lines = text.split(/\r?\n/).filter((line) => line.trim() !== "");
      const bullets = lines.filter((line) => BULLET.test(line)).length;
      if (bullets !== constraint.count) return `${bullets} bullet points instead of ${constraint.count}`;
      if (bullets !== lines.length) return "text besides the bullet points";
      return undefined;
    }
    case "required-words": {
      const missing = constraint.words.filter((word) => !wordPattern(word).test(text));
      return missing.length > 0 ? `missing required word(s): ${missing.join(", ")}` : undefined;
    }
    case "forbidden-words": {
      const present = constraint.words.filter((word) => wordPattern(word).test(text));
      return present.length > 0 ? `uses forbidden word(s): ${present.join(", ")}` : undefined;
    }
    case "json-schema": {
      const json = extractJsonText(text);
      if (json === undefined) return "no JSON in the answer";
      let value: unknown;
      try {
        value = JSON.parse(json);
      } catch {
        return "the JSON does not parse";
      }
      const error = validateJsonSchema(value, constraint.schema);
      return error ? `schema violation: ${error}` : undefined;
    }
    case "language": {
      const language = detectLanguage(text);
      return language === constraint.language ? undefined : `answered in ${language ?? "an unknown language"}, not ${constraint.language}`;
    }
    case "max-words": {
      const words = countWords(text);
      return words > constraint.max ? `${words} words, more than ${constraint.max}` : undefined;
    }
    case "lowercase":
      return text !== text.toLowerCase() ? "contains capital letters" : text === "" ? "empty answer" : undefined;
    case "ends-with": {
      const trimmed = text.replace(/[\s"'”’]+$/, "");
      const phrase = constraint.phrase.replace(/[\s"'”’]+$/, "");
      return trimmed.toLowerCase().endsWith(phrase.toLowerCase()) ? undefined : `does not end with "${constraint.phrase}"`;
    }
  }
}

/** Whole-word, case-insensitive match: "tea" is not found in "team". */
function wordPattern(word: string): RegExp {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, "iu");
}
