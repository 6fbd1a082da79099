/**
 * `knowledge`: the project's multiple-choice questions, scored by the letter the model picks.
 * Question order and option order both come from the seed.
 */
import { createRng, hashSeed, itemRng } from "../prng.ts";
import { OPTION_LETTERS } from "../scoring.ts";
import type { EvalItem, Suite } from "../types.ts";
import { KNOWLEDGE_BANK, type KnowledgeQuestion } from "./knowledge-bank.ts";

/** Builds the prompt of a multiple-choice question (shared with user suites that have `choices`). */
export function choicePrompt(question: string, options: readonly string[]): string {
  const lines = options.map((option, index) => `${OPTION_LETTERS[index]}. ${option}`);
  return `${question}\n\n${lines.join("\n")}\n\nAnswer with the letter of the correct option only.`;
}

function toItem(question: KnowledgeQuestion, seed: number): EvalItem {
  const rng = itemRng(seed, "knowledge", KNOWLEDGE_BANK.indexOf(question));
  const options = rng.shuffle([question.correct, ...question.wrong]);
  return {
    id: `knowledge-${question.id}`,
    prompt: choicePrompt(question.question, options),
    checker: { type: "choice", answer: OPTION_LETTERS[options.indexOf(question.correct)], options },
    tags: ["knowledge", question.area],
  };
}

/** The `knowledge` suite. */
export const knowledgeSuite: Suite = {
  name: "knowledge",
  description: "Multiple-choice questions written for Sputnik, scored by the chosen letter",
  kind: "written",
  defaultSize: KNOWLEDGE_BANK.length,
  items(seed: number, limit: number): EvalItem[] {
    return createRng(hashSeed(seed, "knowledge-order"))
      .shuffle(KNOWLEDGE_BANK)
      .slice(0, limit)
      .map((question) => toItem(question, seed));
  },
};
