/**
 * Shape tables of the real models the synthesizer imitates, and the GGUF tensor list each implies.
 *
 * Numbers come from the models' published `config.json` files; tensor names and dimension order are
 * the ones llama.cpp's `qwen2` / `qwen3` loaders ask for (dims innermost first: a PyTorch
 * `[out, in]` Linear weight is `[in, out]` here).
 */
import type { GgmlTypeName, GgufTensorInfo } from "./gguf-writer.ts";

/** Architecture-level description of a transformer in the Qwen2/Qwen3 family. */
export interface ModelShape {
  /** GGUF `general.architecture`; also the prefix of the hyper-parameter keys. */
  architecture: "qwen2" | "qwen3";
  /** Human-readable name written to `general.name`. */
  displayName: string;
  hiddenSize: number;
  layers: number;
  heads: number;
  kvHeads: number;
  /** Per-head dimension; Qwen3 decouples it from hidden/heads (128 while 1024/16 = 64). */
  headDim: number;
  ffnSize: number;
  vocabSize: number;
  /** Tied embeddings: no `output.weight`, llama.cpp reuses `token_embd.weight` as the LM head. */
  tiedEmbeddings: boolean;
  /** Qwen2 has biases on the q/k/v projections; Qwen3 replaced them with per-head q/k RMS norms. */
  qkvBias: boolean;
  qkNorm: boolean;
  ropeTheta: number;
  rmsEps: number;
  /** `max_position_embeddings` of the real model; written as `<arch>.context_length`. */
  contextLength: number;
}

/** Shape names accepted by the synthesizer. */
export type SynthShape = "tiny" | "qwen2.5-0.5b" | "qwen3-0.6b" | "r1-distill-qwen-1.5b";

const QWEN_VOCAB = 151936;

/** The shape of each synthesizable model. */
export const MODEL_SHAPES: Readonly<Record<SynthShape, ModelShape>> = {
  // Small enough to load in milliseconds, but with the full vocabulary so the real tokenizer works.
  tiny: {
    architecture: "qwen2",
    displayName: "Sputnik Synth Tiny (random)",
    hiddenSize: 64,
    layers: 2,
    heads: 4,
    kvHeads: 2,
    headDim: 16,
    ffnSize: 128,
    vocabSize: QWEN_VOCAB,
    tiedEmbeddings: true,
    qkvBias: true,
    qkNorm: false,
    ropeTheta: 1_000_000,
    rmsEps: 1e-6,
    contextLength: 4096,
  },
  // Qwen/Qwen2.5-0.5B-Instruct config.json.
  "qwen2.5-0.5b": {
    architecture: "qwen2",
    displayName: "Sputnik Synth Qwen2.5-0.5B-Instruct (random)",
    hiddenSize: 896,
    layers: 24,
    heads: 14,
    kvHeads: 2,
    headDim: 64,
    ffnSize: 4864,
    vocabSize: QWEN_VOCAB,
    tiedEmbeddings: true,
    qkvBias: true,
    qkNorm: false,
    ropeTheta: 1_000_000,
    rmsEps: 1e-6,
    contextLength: 32768,
  },
  // Qwen/Qwen3-0.6B config.json (head_dim 128, so the attention width 2048 differs from hidden 1024).
  "qwen3-0.6b": {
    architecture: "qwen3",
    displayName: "Sputnik Synth Qwen3-0.6B (random)",
    hiddenSize: 1024,
    layers: 28,
    heads: 16,
    kvHeads: 8,
    headDim: 128,
    ffnSize: 3072,
    vocabSize: QWEN_VOCAB,
    tiedEmbeddings: true,
    qkvBias: false,
    qkNorm: true,
    ropeTheta: 1_000_000,
    rmsEps: 1e-6,
    contextLength: 40960,
  },
  // deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B config.json (Qwen2.5-Math-1.5B body, rope_theta 10000).
  "r1-distill-qwen-1.5b": {
    architecture: "qwen2",
    displayName: "Sputnik Synth DeepSeek-R1-Distill-Qwen-1.5B (random)",
    hiddenSize: 1536,
    layers: 28,
    heads: 12,
    kvHeads: 2,
    headDim: 128,
    ffnSize: 8960,
    vocabSize: QWEN_VOCAB,
    tiedEmbeddings: false,
    qkvBias: true,
    qkNorm: false,
    ropeTheta: 10_000,
    rmsEps: 1e-6,
    contextLength: 131072,
  },
};

/** What a tensor holds, which decides how its values are synthesized. */
export type TensorRole = "matrix" | "norm" | "bias";

/** A tensor of the model with its role. */
export interface ShapedTensor extends GgufTensorInfo {
  role: TensorRole;
}

/**
 * Lists every tensor of `shape` in llama.cpp naming, matrices stored as `matrixType`
 * (norms and biases stay F32 as llama.cpp's converter keeps them).
 */
export function modelTensors(shape: ModelShape, matrixType: GgmlTypeName): ShapedTensor[] {
  const h = shape.hiddenSize;
  const qDim = shape.heads * shape.headDim;
  const kvDim = shape.kvHeads * shape.headDim;
  const matrix = (name: string, inDim: number, outDim: number): ShapedTensor => ({ name, dims: [inDim, outDim], type: matrixType, role: "matrix" });
  const vector = (name: string, n: number, role: TensorRole): ShapedTensor => ({ name, dims: [n], type: "F32", role });

  const tensors: ShapedTensor[] = [matrix("token_embd.weight", h, shape.vocabSize)];
  for (let i = 0; i < shape.layers; i++) {
    const p = `blk.${i}.`;
    tensors.push(vector(`${p}attn_norm.weight`, h, "norm"));
    tensors.push(matrix(`${p}attn_q.weight`, h, qDim));
    tensors.push(matrix(`${p}attn_k.weight`, h, kvDim));
    tensors.push(matrix(`${p}attn_v.weight`, h, kvDim));
    if (shape.qkvBias) {
      tensors.push(vector(`${p}attn_q.bias`, qDim, "bias"));
      tensors.push(vector(`${p}attn_k.bias`, kvDim, "bias"));
      tensors.push(vector(`${p}attn_v.bias`, kvDim, "bias"));
    }
    if (shape.qkNorm) {
      tensors.push(vector(`${p}attn_q_norm.weight`, shape.headDim, "norm"));
      tensors.push(vector(`${p}attn_k_norm.weight`, shape.headDim, "norm"));
    }
    tensors.push(matrix(`${p}attn_output.weight`, qDim, h));
    tensors.push(vector(`${p}ffn_norm.weight`, h, "norm"));
    tensors.push(matrix(`${p}ffn_gate.weight`, h, shape.ffnSize));
    tensors.push(matrix(`${p}ffn_up.weight`, h, shape.ffnSize));
    tensors.push(matrix(`${p}ffn_down.weight`, shape.ffnSize, h));
  }
  tensors.push(vector("output_norm.weight", h, "norm"));
  if (!shape.tiedEmbeddings) tensors.push(matrix("output.weight", h, shape.vocabSize));
  return tensors;
}

/** Parameter count of `shape` (tied embeddings counted once), as the model cards count it. */
export function parameterCount(shape: ModelShape): number {
  return modelTensors(shape, "F32").reduce((sum, t) => sum + t.dims.reduce((a, b) => a * b, 1), 0);
}

/** Parameters outside the embedding and LM-head matrices ("non-embedding" on Qwen model cards). */
export function nonEmbeddingParameterCount(shape: ModelShape): number {
  const embeddings = shape.vocabSize * shape.hiddenSize * (shape.tiedEmbeddings ? 1 : 2);
  return parameterCount(shape) - embeddings;
}
