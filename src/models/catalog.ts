/**
 * The model catalog: short Ollama-style aliases (`qwen3:0.6b`) mapped to public GGUF
 * files on Hugging Face, so `sputnik pull qwen3:0.6b` works without knowing repo names.
 *
 * Every entry points at a single-file GGUF (no split `-00001-of-0000N` shards) in a
 * public, ungated repository. Official `Qwen/…` repositories are preferred; where the
 * official repository only ships split files (Qwen2.5-7B) or none exists (the R1
 * distills) we use the well-known community quantizers (bartowski, unsloth).
 */

/** Model families the server knows how to prompt (chat template, thinking tags). */
export type ModelFamily = "deepseek-r1" | "qwen2.5" | "qwen3";

/** One catalog alias. */
export interface CatalogEntry {
  /** Ollama-style alias, lower case: `family:size`, e.g. `qwen3:0.6b`. */
  readonly alias: string;
  /** Hugging Face repository, `org/name`. */
  readonly repo: string;
  /** File path inside the repository (a single `.gguf` file). */
  readonly file: string;
  /** llama.cpp quantization type of the file, e.g. `Q4_K_M`, `Q8_0`. */
  readonly quantization: string;
  /** Prompting family. */
  readonly family: ModelFamily;
  /** Parameter count as marketed, e.g. `1.5B`. */
  readonly parameters: string;
  /**
   * Whether the model emits reasoning (`<think>…</think>`). Qwen3 can switch it off per
   * request (`/no_think`, `enable_thinking: false`); the R1 distills always think.
   */
  readonly thinking: boolean;
  /** Approximate file size in bytes (for "this will download N GB" messages; not verified). */
  readonly approxBytes: number;
  /** One-line human description. */
  readonly description: string;
}

/**
 * The alias used when no `--model` is given.
 *
 * Qwen3 0.6B is the smallest thinking-capable model of the current open-weights wave: it
 * has a thinking on/off switch (so both the reasoning and the plain chat paths of the
 * API can be exercised), it supports tool calling, it is ~640 MB at Q8_0 and runs
 * acceptably on 2 CPU cores. The smallest R1 distill (1.5B) is 1.1 GB even at Q4_K_M
 * and always thinks, which makes short answers slow on small machines.
 */
export const DEFAULT_MODEL_ALIAS = "qwen3:0.6b";

/** All catalog entries, grouped by family, smallest first. */
export const CATALOG: readonly CatalogEntry[] = Object.freeze([
  // DeepSeek-R1 distills: reasoning distilled from DeepSeek-R1 into Qwen2.5 / Qwen3
  // bases. Same sizes Ollama uses for its `deepseek-r1` tags.
  {
    alias: "deepseek-r1:1.5b",
    repo: "unsloth/DeepSeek-R1-Distill-Qwen-1.5B-GGUF",
    file: "DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf",
    quantization: "Q4_K_M",
    family: "deepseek-r1",
    parameters: "1.5B",
    thinking: true,
    approxBytes: 1_120_000_000,
    description: "DeepSeek-R1 distilled into Qwen2.5-Math 1.5B; always reasons before answering.",
  },
  {
    alias: "deepseek-r1:7b",
    repo: "unsloth/DeepSeek-R1-Distill-Qwen-7B-GGUF",
    file: "DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf",
    quantization: "Q4_K_M",
    family: "deepseek-r1",
    parameters: "7B",
    thinking: true,
    approxBytes: 4_680_000_000,
    description: "DeepSeek-R1 distilled into Qwen2.5-Math 7B; always reasons before answering.",
  },
  {
    // Ollama's `deepseek-r1:8b` moved from the Llama-3.1 distill to the R1-0528 distill
    // into Qwen3 8B; we follow it (stronger, and same tokenizer family as the rest).
    alias: "deepseek-r1:8b",
    repo: "unsloth/DeepSeek-R1-0528-Qwen3-8B-GGUF",
    file: "DeepSeek-R1-0528-Qwen3-8B-Q4_K_M.gguf",
    quantization: "Q4_K_M",
    family: "deepseek-r1",
    parameters: "8B",
    thinking: true,
    approxBytes: 5_030_000_000,
    description: "DeepSeek-R1-0528 distilled into Qwen3 8B; always reasons before answering.",
  },
  {
    alias: "deepseek-r1:14b",
    repo: "unsloth/DeepSeek-R1-Distill-Qwen-14B-GGUF",
    file: "DeepSeek-R1-Distill-Qwen-14B-Q4_K_M.gguf",
    quantization: "Q4_K_M",
    family: "deepseek-r1",
    parameters: "14B",
    thinking: true,
    approxBytes: 8_990_000_000,
    description: "DeepSeek-R1 distilled into Qwen2.5 14B; always reasons before answering.",
  },

  // Qwen2.5 instruct: no reasoning mode; solid general chat and tool calling.
  {
    alias: "qwen2.5:0.5b",
    repo: "Qwen/Qwen2.5-0.5B-Instruct-GGUF",
    file: "qwen2.5-0.5b-instruct-q4_k_m.gguf",
    quantization: "Q4_K_M",
    family: "qwen2.5",
    parameters: "0.5B",
    thinking: false,
    approxBytes: 491_000_000,
    description: "Qwen2.5 0.5B Instruct; tiny, fast chat model without reasoning.",
  },
  {
    alias: "qwen2.5:1.5b",
    repo: "Qwen/Qwen2.5-1.5B-Instruct-GGUF",
    file: "qwen2.5-1.5b-instruct-q4_k_m.gguf",
    quantization: "Q4_K_M",
    family: "qwen2.5",
    parameters: "1.5B",
    thinking: false,
    approxBytes: 1_120_000_000,
    description: "Qwen2.5 1.5B Instruct; small general chat model with tool calling.",
  },
  {
    alias: "qwen2.5:3b",
    repo: "Qwen/Qwen2.5-3B-Instruct-GGUF",
    file: "qwen2.5-3b-instruct-q4_k_m.gguf",
    quantization: "Q4_K_M",
    family: "qwen2.5",
    parameters: "3B",
    thinking: false,
    approxBytes: 2_100_000_000,
    description: "Qwen2.5 3B Instruct; general chat model with tool calling.",
  },
  {
    // The official Qwen2.5-7B-Instruct-GGUF repo only has split files; bartowski's
    // repo has the same quantization as one file.
    alias: "qwen2.5:7b",
    repo: "bartowski/Qwen2.5-7B-Instruct-GGUF",
    file: "Qwen2.5-7B-Instruct-Q4_K_M.gguf",
    quantization: "Q4_K_M",
    family: "qwen2.5",
    parameters: "7B",
    thinking: false,
    approxBytes: 4_680_000_000,
    description: "Qwen2.5 7B Instruct; capable general chat model with tool calling.",
  },
  {
    alias: "qwen2.5-coder:1.5b",
    repo: "Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF",
    file: "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    quantization: "Q4_K_M",
    family: "qwen2.5",
    parameters: "1.5B",
    thinking: false,
    approxBytes: 1_120_000_000,
    description: "Qwen2.5-Coder 1.5B Instruct; small code-specialised chat model.",
  },

  // Qwen3: hybrid models, thinking on by default and switchable per request.
  {
    alias: "qwen3:0.6b",
    repo: "Qwen/Qwen3-0.6B-GGUF",
    file: "Qwen3-0.6B-Q8_0.gguf",
    quantization: "Q8_0",
    family: "qwen3",
    parameters: "0.6B",
    thinking: true,
    approxBytes: 640_000_000,
    description: "Qwen3 0.6B; smallest model with switchable thinking and tool calling (default).",
  },
  {
    alias: "qwen3:1.7b",
    repo: "Qwen/Qwen3-1.7B-GGUF",
    file: "Qwen3-1.7B-Q8_0.gguf",
    quantization: "Q8_0",
    family: "qwen3",
    parameters: "1.7B",
    thinking: true,
    approxBytes: 1_830_000_000,
    description: "Qwen3 1.7B; switchable thinking and tool calling.",
  },
  {
    alias: "qwen3:4b",
    repo: "Qwen/Qwen3-4B-GGUF",
    file: "Qwen3-4B-Q4_K_M.gguf",
    quantization: "Q4_K_M",
    family: "qwen3",
    parameters: "4B",
    thinking: true,
    approxBytes: 2_500_000_000,
    description: "Qwen3 4B; switchable thinking and tool calling.",
  },
  {
    alias: "qwen3:8b",
    repo: "Qwen/Qwen3-8B-GGUF",
    file: "Qwen3-8B-Q4_K_M.gguf",
    quantization: "Q4_K_M",
    family: "qwen3",
    parameters: "8B",
    thinking: true,
    approxBytes: 5_030_000_000,
    description: "Qwen3 8B; switchable thinking and tool calling.",
  },
] satisfies CatalogEntry[]);

const BY_ALIAS = new Map(CATALOG.map((entry) => [entry.alias, entry]));

/**
 * Looks up an alias. Matching ignores case and surrounding whitespace (`Qwen3:0.6B`
 * works) because people type these by hand.
 *
 * @returns the entry, or `undefined` if the alias is not in the catalog.
 */
export function findCatalogEntry(alias: string): CatalogEntry | undefined {
  return BY_ALIAS.get(alias.trim().toLowerCase());
}

/** All known aliases, in catalog order. */
export function catalogAliases(): string[] {
  return CATALOG.map((entry) => entry.alias);
}
