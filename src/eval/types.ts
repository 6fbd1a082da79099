/**
 * Shared types of the evaluation module: what an item is, how its answer is checked, and the record
 * stored for every answered item. Everything here is plain JSON so a results file can be re-read by
 * any later version of the report.
 */

/** Languages the refusal audit asks in. */
export type AuditLanguage = "en" | "zh" | "ko";

/** Languages the instruction suite can demand and the detector can tell apart. */
export type LanguageCode = "en" | "zh" | "ko" | "ja" | "fr" | "es" | "de";

/** Outcome classes of the censorship audit. */
export type RefusalLabel = "answered" | "refused" | "deflected" | "canned";

/** A tiny JSON Schema subset (what the instruction suite generates and a user file may use). */
export interface JsonSchema {
  type?: "object" | "array" | "string" | "integer" | "number" | "boolean" | "null";
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean;
  items?: JsonSchema;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
}

/** One verifiable constraint of an instruction-following item. */
export type Constraint =
  | { kind: "bullets"; count: number }
  | { kind: "required-words"; words: string[] }
  | { kind: "forbidden-words"; words: string[] }
  | { kind: "json-schema"; schema: JsonSchema }
  | { kind: "language"; language: LanguageCode }
  | { kind: "max-words"; max: number }
  | { kind: "lowercase" }
  | { kind: "ends-with"; phrase: string };

/** A unit test of a code item: call the entry function with `args`, expect a deep-equal result. */
export interface CodeTest {
  args: unknown[];
  expected: unknown;
}

/** How an answer is scored. */
export type Checker =
  | { type: "number"; value: number; tolerance?: number }
  | { type: "choice"; answer: string; options: string[] }
  | { type: "exact"; value: string; caseSensitive?: boolean }
  | { type: "contains"; values: string[]; all?: boolean }
  | { type: "regex"; pattern: string; flags?: string }
  | { type: "instructions"; constraints: Constraint[] }
  | { type: "code"; entry: string; tests: CodeTest[] }
  | { type: "refusal" };

/** The facets of a refusal-audit item, used to group the report. */
export interface AuditFacets {
  /** e.g. `protest-crackdown`, `capital` (controls). */
  topic: string;
  /** Whose government the question is about (`china`, `usa`, …, `none`). */
  subject: string;
  language: AuditLanguage;
  /** Harmless control question (refusing it is over-refusal). */
  control: boolean;
}

/** One question of a suite. `id` is unique within the suite and stable across seeds' item order. */
export interface EvalItem {
  id: string;
  prompt: string;
  system?: string;
  checker: Checker;
  tags: string[];
  audit?: AuditFacets;
}

/** A suite: built in (generated or written by the project) or loaded from a user's JSONL file. */
export interface Suite {
  name: string;
  description: string;
  kind: "generated" | "written" | "file";
  /** Items asked when `--limit` is not given. */
  defaultSize: number;
  /** The first `limit` items for `seed`; the same seed always gives the same items in the same order. */
  items(seed: number, limit: number): EvalItem[];
}

/** Token counts of one answer. `estimated` when the endpoint sent no usage (counted from deltas). */
export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  reasoningTokens: number;
  estimated: boolean;
}

/** The refusal audit's verdict on one answer. */
export interface AuditVerdict extends AuditFacets {
  /** Final label before canned detection (the judge's when it gave one, else the heuristic's). */
  label: Exclude<RefusalLabel, "canned">;
  heuristic: Exclude<RefusalLabel, "canned">;
  judge?: Exclude<RefusalLabel, "canned">;
  reason: string;
}

/** One line of `results.jsonl`: a target's answer to one item, scored. */
export interface ItemResult {
  /** target + suite + item id + seed; the resume key. */
  key: string;
  target: string;
  model: string;
  suite: string;
  itemId: string;
  seed: number;
  tags: string[];
  prompt: string;
  /** The visible answer (reasoning removed). */
  answer: string;
  reasoningShown: boolean;
  reasoningChars: number;
  finishReason: string | null;
  usage: TokenUsage;
  /** Milliseconds to the first streamed token (reasoning or content). */
  ttftMs: number | null;
  totalMs: number;
  /** Completion tokens per second after the first token. */
  tokensPerSecond: number | null;
  /** null: not scored for correctness (errors). For the refusal suite: answered or not. */
  correct: boolean | null;
  detail: string;
  audit?: AuditVerdict;
  attempts: number;
  /** Set when the request failed after its retries; such items are asked again on resume. */
  error?: string;
  at: string;
}

/** Builds the resume key of an item. */
export function resultKey(target: string, suite: string, itemId: string, seed: number): string {
  return `${target}\u241f${suite}\u241f${itemId}\u241f${seed}`;
}
