import { describe, expect, it } from "vitest";
import { encodeGgufHeader, GGUF_ALIGNMENT, tensorBytes } from "./gguf-writer.ts";
import { MODEL_SHAPES, modelTensors, nonEmbeddingParameterCount, parameterCount, type SynthShape } from "./model-shapes.ts";
import { CHUNK_BYTES, fromHalfBits, tensorChunks, toHalfBits, WEIGHT_STD } from "./random-weights.ts";

/**
 * Parameter counts published for the real models: the Hugging Face safetensors totals for
 * Qwen2.5-0.5B-Instruct (494,032,768) and DeepSeek-R1-Distill-Qwen-1.5B (1,777,088,000), and
 * the Qwen3-0.6B model card ("0.6B", non-embedding "0.44B"; the card rounds, so the non-embedding
 * figure is the precise check). All within 0.5%.
 */
const PUBLISHED: Record<Exclude<SynthShape, "tiny">, { total?: number; nonEmbedding?: number }> = {
  "qwen2.5-0.5b": { total: 494_032_768 },
  "qwen3-0.6b": { nonEmbedding: 440e6 },
  "r1-distill-qwen-1.5b": { total: 1_777_088_000 },
};

describe("model shapes", () => {
  it("have exactly the computed parameter counts", () => {
    expect(parameterCount(MODEL_SHAPES["qwen2.5-0.5b"])).toBe(494_032_768);
    expect(parameterCount(MODEL_SHAPES["qwen3-0.6b"])).toBe(596_049_920);
    expect(parameterCount(MODEL_SHAPES["r1-distill-qwen-1.5b"])).toBe(1_777_088_000);
    expect(parameterCount(MODEL_SHAPES.tiny)).toBe(9_798_208);
  });

  it.each(Object.entries(PUBLISHED))("%s matches the published parameter count within 0.5%", (name, published) => {
    const shape = MODEL_SHAPES[name as SynthShape];
    if (published.total) expect(Math.abs(parameterCount(shape) / published.total - 1)).toBeLessThan(0.005);
    if (published.nonEmbedding) expect(Math.abs(nonEmbeddingParameterCount(shape) / published.nonEmbedding - 1)).toBeLessThan(0.005);
  });

  it("lists the tensors llama.cpp's qwen2/qwen3 loaders require", () => {
    const qwen3 = modelTensors(MODEL_SHAPES["qwen3-0.6b"], "Q8_0");
    const byName = new Map(qwen3.map((t) => [t.name, t]));
    expect(byName.get("blk.0.attn_q.weight")?.dims).toEqual([1024, 2048]);
    expect(byName.get("blk.0.attn_k.weight")?.dims).toEqual([1024, 1024]);
    expect(byName.get("blk.0.attn_output.weight")?.dims).toEqual([2048, 1024]);
    expect(byName.get("blk.27.attn_q_norm.weight")?.dims).toEqual([128]);
    expect(byName.has("blk.0.attn_q.bias")).toBe(false);
    expect(byName.has("output.weight")).toBe(false);
    expect(qwen3).toHaveLength(1 + 28 * 11 + 1);

    const r1 = new Map(modelTensors(MODEL_SHAPES["r1-distill-qwen-1.5b"], "Q4_0").map((t) => [t.name, t]));
    expect(r1.get("output.weight")?.dims).toEqual([1536, 151936]);
    expect(r1.get("blk.0.attn_k.bias")?.dims).toEqual([256]);
    expect(r1.get("blk.0.ffn_down.weight")?.dims).toEqual([8960, 1536]);
    expect(r1.get("blk.0.attn_norm.weight")?.type).toBe("F32");
    expect(new Set(modelTensors(MODEL_SHAPES.tiny, "F16").map((t) => t.name)).size).toBe(modelTensors(MODEL_SHAPES.tiny, "F16").length);
  });

  it("lays tensors out aligned, with block-accurate sizes", () => {
    const tensors = modelTensors(MODEL_SHAPES.tiny, "Q4_0");
    const layout = encodeGgufHeader(new Map(), tensors);
    expect(layout.header.length % GGUF_ALIGNMENT).toBe(0);
    expect(layout.header.readUInt32LE(0)).toBe(0x46554747);
    expect(layout.header.readUInt32LE(4)).toBe(3);
    for (const offset of layout.offsets) expect(offset % GGUF_ALIGNMENT).toBe(0);
    expect(tensorBytes({ name: "x", dims: [64, 151936], type: "Q4_0" })).toBe(151936 * 2 * 18);
    expect(tensorBytes({ name: "x", dims: [64, 10], type: "Q8_0" })).toBe(10 * 2 * 34);
    expect(() => tensorBytes({ name: "x", dims: [48, 2], type: "Q8_0" })).toThrow(/multiple/);
  });
});

describe("random weights", () => {
  it("converts to and from half precision", () => {
    for (const v of [0, 1, -2, 0.5, 65504, 6.1e-5, 3e-7, 0.0002706, -0.0346]) {
      // Half precision keeps 11 significant bits; below 2^-14 the spacing is a fixed 2^-24.
      expect(Math.abs(fromHalfBits(toHalfBits(v)) - v)).toBeLessThanOrEqual(Math.max(Math.abs(v) * 2 ** -11, 2 ** -25));
    }
    expect(toHalfBits(1)).toBe(0x3c00);
    expect(toHalfBits(-2)).toBe(0xc000);
    expect(toHalfBits(1e6)).toBe(0x7c00);
  });

  it("stamps a sane scale on every Q8_0 block and is deterministic", () => {
    const elements = 64 * 4096;
    const a = Buffer.concat([...tensorChunks("Q8_0", "matrix", elements, 7, "w")]);
    const b = Buffer.concat([...tensorChunks("Q8_0", "matrix", elements, 7, "w")]);
    const c = Buffer.concat([...tensorChunks("Q8_0", "matrix", elements, 8, "w")]);
    expect(a.length).toBe((elements / 32) * 34);
    expect(a.equals(b)).toBe(true);
    expect(a.equals(c)).toBe(false);
    const scale = fromHalfBits(a.readUInt16LE(0));
    for (let o = 0; o < a.length; o += 34) expect(a.readUInt16LE(o)).toBe(a.readUInt16LE(0));
    let sumSq = 0;
    for (let o = 0; o < a.length; o += 34) for (let i = 2; i < 34; i++) sumSq += (a.readInt8(o + i) * scale) ** 2;
    expect(Math.sqrt(sumSq / elements)).toBeCloseTo(WEIGHT_STD, 3);
  });

  it("produces F16 weights and F32 biases with the intended spread, and unit norms", () => {
    const f16 = Buffer.concat([...tensorChunks("F16", "matrix", 100_000, 1, "w")]);
    let sumSq = 0;
    for (let o = 0; o < f16.length; o += 2) sumSq += fromHalfBits(f16.readUInt16LE(o)) ** 2;
    // Magnitudes in [2^-7, 2^-5) with random sign: rms ≈ 0.0189.
    expect(Math.sqrt(sumSq / 100_000)).toBeCloseTo(0.0189, 3);
    for (let o = 0; o < f16.length; o += 2) {
      const w = Math.abs(fromHalfBits(f16.readUInt16LE(o)));
      if (w < 2 ** -7 || w >= 2 ** -5) throw new Error(`f16 weight ${w} out of range`);
    }

    const bias = new Float32Array(Uint8Array.from(Buffer.concat([...tensorChunks("F32", "bias", 1000, 1, "b")])).buffer);
    expect(Math.max(...bias.map(Math.abs))).toBeLessThanOrEqual(WEIGHT_STD * Math.sqrt(3));
    const norm = Buffer.concat([...tensorChunks("F32", "norm", 896, 1, "n")]);
    expect(new Float32Array(Uint8Array.from(norm).buffer).every((v) => v === 1)).toBe(true);
  });

  it("streams big tensors in bounded chunks", () => {
    const chunks = [...tensorChunks("Q4_0", "matrix", 896 * 151936, 0, "token_embd.weight")];
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(CHUNK_BYTES);
    expect(chunks.reduce((n, c) => n + c.length, 0)).toBe((896 * 151936 * 18) / 32);
  });
});
