/**
 * `instruct`: instruction following with constraints a program can verify — an exact number of
 * bullet points, required words, JSON that must validate against a schema given in the prompt, the
 * language of the answer — sometimes with a second constraint (word limit, lower case, a closing
 * phrase) that does not conflict with the first.
 */
import { itemRng, type Rng } from "../prng.ts";
import type { Constraint, EvalItem, JsonSchema, LanguageCode, Suite } from "../types.ts";

const TOPICS = [
  "the ocean", "public libraries", "bicycles", "volcanoes", "green tea", "the Moon", "rainforests", "chess",
  "baking bread", "solar power", "honeybees", "old maps", "winter sports", "city parks", "lighthouses", "origami",
];

const WORDS = [
  "lantern", "granite", "whisper", "orbit", "harvest", "velvet", "compass", "meadow", "ember", "puzzle",
  "anchor", "silver", "thunder", "garden", "ladder", "marble", "ribbon", "canyon", "feather", "signal",
];

const CLOSINGS = ["That is all.", "End of answer.", "Thank you for reading.", "Hope this helps."];

const LANGUAGES: Array<{ code: LanguageCode; name: string }> = [
  { code: "ko", name: "Korean" },
  { code: "zh", name: "Chinese" },
  { code: "fr", name: "French" },
  { code: "es", name: "Spanish" },
  { code: "de", name: "German" },
];

interface Field {
  name: string;
  schema: JsonSchema;
}

const FIELDS: Field[] = [
  { name: "title", schema: { type: "string", minLength: 1 } },
  { name: "year", schema: { type: "integer", minimum: 1000, maximum: 2100 } },
  { name: "rating", schema: { type: "integer", minimum: 1, maximum: 5 } },
  { name: "tags", schema: { type: "array", items: { type: "string" }, minItems: 2, maxItems: 5 } },
  { name: "recommended", schema: { type: "boolean" } },
  { name: "category", schema: { type: "string", enum: ["science", "culture", "sport", "nature"] } },
  { name: "summary", schema: { type: "string", maxLength: 200 } },
  { name: "score", schema: { type: "number", minimum: 0, maximum: 10 } },
];

interface Draft {
  kind: string;
  text: string;
  constraints: Constraint[];
  /** Whether a secondary constraint may be added (JSON and language answers must stay pure). */
  extendable: "any" | "words-only" | "none";
}

const PRIMARY: Array<(rng: Rng, topic: string) => Draft> = [
  (rng, topic) => {
    const count = rng.int(3, 7);
    return {
      kind: "bullets",
      text: `Write exactly ${count} bullet points about ${topic}. Start each bullet with "- " and write nothing else: no title, no introduction, no conclusion.`,
      constraints: [{ kind: "bullets", count }],
      extendable: "words-only",
    };
  },
  (rng, topic) => {
    const words = rng.sample(WORDS, 3);
    return {
      kind: "required-words",
      text: `Write two or three sentences about ${topic}. Use each of these words at least once: ${words.map((w) => `"${w}"`).join(", ")}.`,
      constraints: [{ kind: "required-words", words }],
      extendable: "any",
    };
  },
  (rng, topic) => {
    const fields = rng.sample(FIELDS, rng.int(3, 4));
    const schema: JsonSchema = {
      type: "object",
      properties: Object.fromEntries(fields.map((field) => [field.name, field.schema])),
      required: fields.map((field) => field.name),
      additionalProperties: false,
    };
    return {
      kind: "json-schema",
      text: `Describe ${topic} as a JSON object that validates against this JSON Schema. Reply with the JSON object only.\n\n${JSON.stringify(schema, null, 2)}`,
      constraints: [{ kind: "json-schema", schema }],
      extendable: "none",
    };
  },
  (rng, topic) => {
    const language = rng.pick(LANGUAGES);
    return {
      kind: "language",
      text: `Answer in ${language.name} only: what is interesting about ${topic}? Two or three sentences.`,
      constraints: [{ kind: "language", language: language.code }],
      extendable: "none",
    };
  },
  (rng, topic) => {
    const banned = rng.sample(["very", "really", "thing", "things", "also", "many"], 2);
    return {
      kind: "forbidden-words",
      text: `Write a short paragraph about ${topic} without using the words ${banned.map((w) => `"${w}"`).join(" or ")}.`,
      constraints: [{ kind: "forbidden-words", words: banned }],
      extendable: "any",
    };
  },
];

/** Adds a compatible second constraint about half of the time. */
function extend(rng: Rng, draft: Draft): Draft {
  if (draft.extendable === "none" || rng.next() < 0.5) return draft;
  const options: Array<() => Draft> = [
    () => ({ ...draft, text: `${draft.text} Use only lowercase letters.`, constraints: [...draft.constraints, { kind: "lowercase" }] }),
  ];
  if (draft.extendable === "any") {
    const max = rng.int(4, 9) * 10;
    options.push(() => ({ ...draft, text: `${draft.text} Use at most ${max} words.`, constraints: [...draft.constraints, { kind: "max-words", max }] }));
    const phrase = rng.pick(CLOSINGS);
    options.push(() => ({
      ...draft,
      text: `${draft.text} End your reply with the exact sentence "${phrase}"`,
      constraints: [...draft.constraints, { kind: "ends-with", phrase }],
    }));
  }
  return rng.pick(options)();
}

/** The `instruct` suite. */
export const instructSuite: Suite = {
  name: "instruct",
  description: "Instruction following with verifiable constraints (bullets, required words, JSON schema, language)",
  kind: "generated",
  defaultSize: 40,
  items(seed: number, limit: number): EvalItem[] {
    return Array.from({ length: limit }, (_, index) => {
      const rng = itemRng(seed, "instruct", index);
      const topic = rng.pick(TOPICS);
      const draft = extend(rng, PRIMARY[(index + (seed >>> 0)) % PRIMARY.length](rng, topic));
      return {
        id: `instruct-${String(index).padStart(4, "0")}`,
        prompt: draft.text,
        checker: { type: "instructions", constraints: draft.constraints },
        tags: ["instruct", draft.kind, ...draft.constraints.slice(1).map((c) => c.kind)],
      };
    });
  },
};
