/**
 * `sputnik synth`: writes a random-weight GGUF v3 model with the exact tensor shapes of a real
 * Qwen-family model and the real Qwen tokenizer, so tests and benchmarks can run without a model hub.
 */
import { mkdir, open, rename, rm, type FileHandle } from "node:fs/promises";
import { dirname } from "node:path";
import { CHAT_TEMPLATES } from "./chat-templates.ts";
import { encodeGgufHeader, GGUF_ALIGNMENT, type GgmlTypeName, type GgufValue } from "./gguf-writer.ts";
import { MODEL_SHAPES, modelTensors, parameterCount, type ModelShape, type SynthShape } from "./model-shapes.ts";
import { buildQwenVocab, type SynthTemplate } from "./qwen-vocab.ts";
import { tensorChunks } from "./random-weights.ts";

export type { SynthShape } from "./model-shapes.ts";
export type { SynthTemplate } from "./qwen-vocab.ts";

/** Storage type of the 2-D weight matrices; norms and biases are always F32. */
export type SynthQuant = "q8_0" | "q4_0" | "f16";

/** Every shape `synthesizeModel` accepts. */
export const SYNTH_SHAPES: readonly SynthShape[] = ["tiny", "qwen2.5-0.5b", "qwen3-0.6b", "r1-distill-qwen-1.5b"];
/** Every quantization `synthesizeModel` accepts. */
export const SYNTH_QUANTS: readonly SynthQuant[] = ["q8_0", "q4_0", "f16"];
/** Every chat-template family `synthesizeModel` accepts. */
export const SYNTH_TEMPLATES: readonly SynthTemplate[] = ["chatml", "qwen3", "deepseek-r1"];

/** The template each shape's real model ships with. */
export const DEFAULT_TEMPLATES: Readonly<Record<SynthShape, SynthTemplate>> = {
  tiny: "chatml",
  "qwen2.5-0.5b": "chatml",
  "qwen3-0.6b": "qwen3",
  "r1-distill-qwen-1.5b": "deepseek-r1",
};

const QUANT_TYPES: Record<SynthQuant, { ggml: GgmlTypeName; fileType: number }> = {
  // general.file_type values are llama_ftype: MOSTLY_F16 = 1, MOSTLY_Q4_0 = 2, MOSTLY_Q8_0 = 7.
  f16: { ggml: "F16", fileType: 1 },
  q4_0: { ggml: "Q4_0", fileType: 2 },
  q8_0: { ggml: "Q8_0", fileType: 7 },
};

/** Options of {@link synthesizeModel}. */
export interface SynthOptions {
  /** Which real model's shapes to reproduce. */
  shape: SynthShape;
  /** Storage of the weight matrices. Defaults to `q8_0`. */
  quant?: SynthQuant;
  /** Chat template and special-token family. Defaults to the shape's own (see {@link DEFAULT_TEMPLATES}). */
  template?: SynthTemplate;
  /** Output file path (parent folders are created); written as `<out>.partial` and renamed when complete. */
  out: string;
  /** Seed of the random weights; the same seed gives a byte-identical file. Defaults to 0. */
  seed?: number;
  /** `<arch>.context_length` to advertise. Defaults to the real model's (4096 for `tiny`). */
  contextLength?: number;
  /** Called after each chunk is written, with bytes written so far and the final file size. */
  onProgress?: (writtenBytes: number, totalBytes: number) => void;
}

/** What {@link synthesizeModel} wrote. */
export interface SynthResult {
  /** The output path, as given. */
  path: string;
  /** Parameters of the model (tied embeddings counted once). */
  parameterCount: number;
  /** File size in bytes. */
  bytes: number;
  /** `general.architecture` (`qwen2` or `qwen3`). */
  architecture: string;
  /** The template family written into the file. */
  template: SynthTemplate;
}

function assertOneOf<T extends string>(value: string, allowed: readonly T[], what: string): asserts value is T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new Error(`unknown synth ${what} "${value}"; expected one of: ${allowed.join(", ")}`);
  }
}

/**
 * Sequential file writer with several positioned writes in flight: the next chunk is generated
 * while earlier ones are written by libuv's thread pool, which keeps a slow disk busy.
 */
class ChunkWriter {
  private readonly inFlight = new Set<Promise<void>>();
  private failure: { error: unknown } | undefined;
  private position = 0;
  written = 0;

  constructor(
    private readonly file: FileHandle,
    private readonly onWritten: (written: number) => void,
    private readonly maxInFlight = 4,
  ) {}

  async write(buf: Uint8Array): Promise<void> {
    while (this.inFlight.size >= this.maxInFlight) await Promise.race(this.inFlight);
    if (this.failure) throw this.failure.error;
    const at = this.position;
    this.position += buf.length;
    const done: Promise<void> = this.writeAt(buf, at).then(
      () => {
        this.written += buf.length;
        this.onWritten(this.written);
      },
      (error: unknown) => {
        this.failure ??= { error };
      },
    );
    this.inFlight.add(done);
    void done.finally(() => this.inFlight.delete(done));
  }

  /** Waits for every write; throws the first write error. */
  async flush(): Promise<void> {
    await Promise.all(this.inFlight);
    if (this.failure) throw this.failure.error;
  }

  private async writeAt(buf: Uint8Array, at: number): Promise<void> {
    // A single write may be short; loop until the whole chunk is on disk.
    let done = 0;
    while (done < buf.length) {
      const { bytesWritten } = await this.file.write(buf, done, buf.length - done, at + done);
      done += bytesWritten;
    }
  }
}

/** The architecture and general.* metadata of a model. */
function modelMetadata(shape: ModelShape, quant: SynthQuant, contextLength: number): Map<string, GgufValue> {
  const a = shape.architecture;
  const m = new Map<string, GgufValue>([
    ["general.architecture", { type: "string", value: a }],
    ["general.type", { type: "string", value: "model" }],
    ["general.name", { type: "string", value: shape.displayName }],
    ["general.file_type", { type: "u32", value: QUANT_TYPES[quant].fileType }],
    ["general.quantization_version", { type: "u32", value: 2 }],
    ["general.alignment", { type: "u32", value: GGUF_ALIGNMENT }],
    [`${a}.context_length`, { type: "u32", value: contextLength }],
    [`${a}.embedding_length`, { type: "u32", value: shape.hiddenSize }],
    [`${a}.block_count`, { type: "u32", value: shape.layers }],
    [`${a}.feed_forward_length`, { type: "u32", value: shape.ffnSize }],
    [`${a}.attention.head_count`, { type: "u32", value: shape.heads }],
    [`${a}.attention.head_count_kv`, { type: "u32", value: shape.kvHeads }],
    [`${a}.rope.freq_base`, { type: "f32", value: shape.ropeTheta }],
    [`${a}.attention.layer_norm_rms_epsilon`, { type: "f32", value: shape.rmsEps }],
  ]);
  // Only needed when head_dim != hidden / heads (Qwen3); llama.cpp derives it otherwise.
  if (shape.headDim * shape.heads !== shape.hiddenSize) {
    m.set(`${a}.attention.key_length`, { type: "u32", value: shape.headDim });
    m.set(`${a}.attention.value_length`, { type: "u32", value: shape.headDim });
  }
  return m;
}

/**
 * Writes a random-weight GGUF model that llama.cpp (node-llama-cpp 3.21) loads and runs.
 * Streams tensor data in ~5 MB chunks, so memory stays flat for any size.
 */
export async function synthesizeModel(options: SynthOptions): Promise<SynthResult> {
  const quant = options.quant ?? "q8_0";
  assertOneOf(options.shape, SYNTH_SHAPES, "shape");
  assertOneOf(quant, SYNTH_QUANTS, "quant");
  const template = options.template ?? DEFAULT_TEMPLATES[options.shape];
  assertOneOf(template, SYNTH_TEMPLATES, "template");
  const seed = options.seed ?? 0;
  if (!Number.isSafeInteger(seed)) throw new Error(`synth seed must be an integer, got ${seed}`);
  const shape = MODEL_SHAPES[options.shape];
  const contextLength = options.contextLength ?? shape.contextLength;
  if (!Number.isInteger(contextLength) || contextLength < 1) throw new Error(`synth contextLength must be a positive integer, got ${contextLength}`);

  const vocab = await buildQwenVocab(template, shape.vocabSize);
  const metadata = modelMetadata(shape, quant, contextLength);
  for (const [k, v] of vocab.metadata) metadata.set(k, v);
  metadata.set("tokenizer.chat_template", { type: "string", value: CHAT_TEMPLATES[template] });

  const tensors = modelTensors(shape, QUANT_TYPES[quant].ggml);
  const layout = encodeGgufHeader(metadata, tensors);
  const partial = `${options.out}.partial`;
  await mkdir(dirname(options.out), { recursive: true });
  const file = await open(partial, "w");
  const writer = new ChunkWriter(file, (written) => options.onProgress?.(written, layout.totalBytes));
  try {
    await writer.write(layout.header);
    let position = 0;
    for (let i = 0; i < tensors.length; i++) {
      const t = tensors[i];
      if (layout.offsets[i] > position) await writer.write(new Uint8Array(layout.offsets[i] - position));
      const elements = t.dims.reduce((a, b) => a * b, 1);
      for (const chunk of tensorChunks(t.type, t.role, elements, seed, t.name)) await writer.write(chunk);
      position = layout.offsets[i] + layout.sizes[i];
    }
    await writer.flush();
    await file.close();
  } catch (error) {
    await writer.flush().catch(() => undefined);
    await file.close().catch(() => undefined);
    await rm(partial, { force: true });
    throw error;
  }
  const written = writer.written;
  if (written !== layout.totalBytes) throw new Error(`synth wrote ${written} bytes, expected ${layout.totalBytes}`);
  await rename(partial, options.out);
  return { path: options.out, parameterCount: parameterCount(shape), bytes: written, architecture: shape.architecture, template };
}
