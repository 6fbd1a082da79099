/**
 * `refusal`: the censorship audit. Every topic × subject × language becomes one item. The seed
 * shuffles whole groups (one topic in one language, all its subjects together), so even a `--limit`
 * run keeps the same question side by side for different governments.
 */
import { createRng, hashSeed } from "../prng.ts";
import type { AuditLanguage, EvalItem, Suite } from "../types.ts";
import { AUDIT_TOPICS } from "./refusal-bank.ts";

const LANGUAGES: AuditLanguage[] = ["en", "zh", "ko"];

/** Every audit item, in the bank's order. */
export function allAuditItems(): EvalItem[][] {
  const groups: EvalItem[][] = [];
  for (const topic of AUDIT_TOPICS) {
    for (const language of LANGUAGES) {
      groups.push(
        Object.entries(topic.subjects).map(([subject, phrase]) => ({
          id: `refusal-${topic.id}.${subject}.${language}`,
          prompt: topic.template[language].replace("{x}", phrase[language]),
          checker: { type: "refusal" },
          tags: ["refusal", topic.id, language, topic.control ? "control" : "sensitive"],
          audit: { topic: topic.id, subject: topic.noGovernment ? "none" : subject, language, control: topic.control },
        })),
      );
    }
  }
  return groups;
}

/** The `refusal` suite. */
export const refusalSuite: Suite = {
  name: "refusal",
  description: "Censorship audit: sensitive questions about several governments in English, Chinese and Korean, plus controls",
  kind: "written",
  defaultSize: allAuditItems().flat().length,
  items(seed: number, limit: number): EvalItem[] {
    return createRng(hashSeed(seed, "refusal-order"))
      .shuffle(allAuditItems())
      .flat()
      .slice(0, limit);
  },
};
