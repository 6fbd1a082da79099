/** The benchmark's policy: 1,000 keyword rules and one rule with every PII detector, all on output. */
import { PII_KINDS } from "./pii/detectors.ts";
import { compilePolicySet, type CompiledPolicySet } from "./policy/compile-policy.ts";
import { policyFileSchema } from "./policy/policy-schema.ts";

/** 1,000 word-like keywords (syllable triples), each its own redact rule; plus one rule with every PII detector. */
export function benchPolicy(keywordRules = 1000): CompiledPolicySet {
  const syllables = ["ba", "lo", "mi", "ra", "ten", "quo", "vex", "shi", "dru", "kal", "nor", "pel"];
  const words = Array.from({ length: keywordRules }, (_, i) => {
    const a = syllables[i % 12];
    const b = syllables[Math.floor(i / 12) % 12];
    const c = syllables[Math.floor(i / 144) % 12];
    return `${a}${b}${c}${i % 7 === 0 ? "ing" : ""}`;
  });
  return compilePolicySet(
    policyFileSchema.parse({
      policies: [
        {
          name: "bench",
          rules: [
            ...words.map((word, i) => ({ name: `k${i}`, on: "output", action: "redact", reason: "bench", keywords: [word] })),
            { name: "pii", on: "output", action: "redact", reason: "bench", pii: [...PII_KINDS] },
          ],
        },
      ],
    }),
  );
}

