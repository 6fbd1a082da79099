/**
 * Fast, seeded random tensor data written directly in ggml's block formats.
 *
 * Random bytes come from AES-128-CTR over zeros, keyed by (seed, tensor name): native speed, a
 * deterministic stream, and each tensor independent of write order and chunk size. Quantized
 * blocks are not produced by a quantizer: the int8 / nibble payload is taken straight from the
 * random stream and each block gets a constant f16 scale chosen so the weights come out uniform
 * with standard deviation {@link WEIGHT_STD}; F16 weights get their bits masked into a fixed
 * magnitude band. Numerically sane (finite logits, no NaN) and the 1.5B model is written in seconds.
 */
import { createCipheriv, createHash, type Cipher } from "node:crypto";
import { GGML_BLOCK, type GgmlTypeName } from "./gguf-writer.ts";
import type { TensorRole } from "./model-shapes.ts";

/** Standard deviation of every synthesized weight and bias (GPT-2 style init scale). */
export const WEIGHT_STD = 0.02;

/**
 * Chunk size for generation and writes: a multiple of the Q8_0 and Q4_0 block sizes and of 4 bytes.
 * Kept small because Node's cipher allocates its output per call, and multi-MB outputs were
 * measured 5-8x slower (page faults) than ~300 KB ones.
 */
export const CHUNK_BYTES = 34 * 18 * 4 * 128; // ≈ 313 KB

const f32Scratch = new Float32Array(1);
const u32Scratch = new Uint32Array(f32Scratch.buffer);

/** Converts a number to IEEE half-precision bits with round-to-nearest-even. */
export function toHalfBits(value: number): number {
  f32Scratch[0] = value;
  const x = u32Scratch[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  const mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    // Subnormal half: the value is m * 2^-24; shift the full 24-bit significand down.
    if (e < -10) return sign;
    const full = mant | 0x800000;
    const shift = 14 - e;
    let half = full >>> shift;
    const rem = full & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rem > halfway || (rem === halfway && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  // A carry out of the mantissa correctly bumps the exponent (and saturates to inf at the top).
  if (rem > 0x1000 || (rem === 0x1000 && half & 1)) half++;
  return sign | half;
}

/** Converts IEEE half-precision bits back to a number (used by tests and sanity checks). */
export function fromHalfBits(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >>> 10) & 0x1f;
  const mant = bits & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

// A uniform int8 in [-128, 127] has std ≈ 73.9; a uniform nibble minus 8 in [-8, 7] has std ≈ 4.61.
const Q8_SCALE = toHalfBits(WEIGHT_STD / Math.sqrt((256 * 256 - 1) / 12));
const Q4_SCALE = toHalfBits(WEIGHT_STD / Math.sqrt((16 * 16 - 1) / 12));

/** A seeded stream of random bytes for one tensor. */
export class RandomStream {
  private readonly cipher: Cipher;
  private zeros = Buffer.alloc(0);

  constructor(seed: number, label: string) {
    const digest = createHash("sha256").update(`sputnik-synth:${seed}:${label}`).digest();
    this.cipher = createCipheriv("aes-128-ctr", digest.subarray(0, 16), digest.subarray(16, 32));
  }

  /** Next `n` random bytes, in a fresh 4-byte aligned buffer the caller may modify. */
  next(n: number): Buffer {
    if (this.zeros.length < n) this.zeros = Buffer.alloc(n);
    const out = this.cipher.update(this.zeros.subarray(0, n));
    if (out.byteOffset % 4 === 0) return out;
    const aligned = Buffer.alloc(n);
    out.copy(aligned);
    return aligned;
  }
}

/** Writes the constant f16 scale into the first two bytes of each block of a chunk. */
function stampScales(buf: Buffer, blockBytes: number, scaleBits: number): void {
  const lo = scaleBits & 0xff;
  const hi = scaleBits >>> 8;
  for (let o = 0; o < buf.length; o += blockBytes) {
    buf[o] = lo;
    buf[o + 1] = hi;
  }
}

/**
 * Produces a tensor's data as a series of chunks of at most ~{@link CHUNK_BYTES} bytes, each a whole
 * number of blocks. Norm weights are 1.0 (identity RMS norm); matrices and biases are random.
 */
export function* tensorChunks(type: GgmlTypeName, role: TensorRole, elements: number, seed: number, name: string): Generator<Buffer> {
  const block = GGML_BLOCK[type];
  const totalBytes = (elements / block.elements) * block.bytes;
  const chunkBytes = Math.floor(CHUNK_BYTES / block.bytes) * block.bytes;

  if (role === "norm") {
    if (type !== "F32") throw new Error(`norm tensor ${name} must be F32`);
    for (let done = 0; done < totalBytes; done += chunkBytes) {
      const n = Math.min(chunkBytes, totalBytes - done);
      yield Buffer.from(new Float32Array(n / 4).fill(1).buffer);
    }
    return;
  }

  const rng = new RandomStream(seed, name);
  for (let done = 0; done < totalBytes; done += chunkBytes) {
    const n = Math.min(chunkBytes, totalBytes - done);
    const buf = rng.next(n);
    switch (type) {
      case "Q8_0":
        stampScales(buf, block.bytes, Q8_SCALE);
        break;
      case "Q4_0":
        stampScales(buf, block.bytes, Q4_SCALE);
        break;
      case "F16": {
        // Two halves per 32-bit word: keep the random sign, mantissa and lowest exponent bit and force
        // the exponent to 8 or 9, i.e. |w| in [2^-7, 2^-5) with rms ≈ 0.019. A per-half lookup table
        // gives a smoother distribution but runs at a quarter of the speed on big models.
        const words = new Uint32Array(buf.buffer, buf.byteOffset, n / 4);
        for (let i = 0; i < words.length; i++) words[i] = (words[i] & 0x87ff87ff) | 0x20002000;
        break;
      }
      case "F32": {
        // Uniform in ±std·√3 from 32 random bits; only biases take this path, so speed is moot.
        const words = new Uint32Array(buf.buffer, buf.byteOffset, n / 4);
        const floats = new Float32Array(buf.buffer, buf.byteOffset, n / 4);
        const amplitude = WEIGHT_STD * Math.sqrt(3);
        for (let i = 0; i < words.length; i++) floats[i] = (words[i] / 4294967296) * 2 * amplitude - amplitude;
        break;
      }
    }
    yield buf;
  }
}
