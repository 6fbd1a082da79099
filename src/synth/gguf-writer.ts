/**
 * Minimal GGUF v3 encoder: metadata key/values, tensor-info table and tensor-data layout.
 *
 * Only what the synthesizer needs is implemented (scalars, strings, string/int arrays; F32, F16,
 * Q8_0 and Q4_0 tensors). The layout follows the GGUF spec as llama.cpp reads it: little-endian,
 * strings as u64 length + UTF-8 bytes, tensor dims listed innermost first (ne0 = row length),
 * and every tensor offset aligned to `general.alignment` relative to the start of the data section.
 */

/** GGUF metadata value type ids (gguf_type in ggml). */
const GGUF_TYPE = { u8: 0, i8: 1, u16: 2, i16: 3, u32: 4, i32: 5, f32: 6, bool: 7, string: 8, array: 9, u64: 10 } as const;

/** ggml tensor type ids, and the block geometry llama.cpp expects for each. */
export const GGML_TYPE = { F32: 0, F16: 1, Q4_0: 2, Q8_0: 8 } as const;
export type GgmlTypeName = keyof typeof GGML_TYPE;

/** Elements per block and bytes per block: Q8_0 = f16 scale + 32 int8, Q4_0 = f16 scale + 16 nibble bytes. */
export const GGML_BLOCK: Record<GgmlTypeName, { elements: number; bytes: number }> = {
  F32: { elements: 1, bytes: 4 },
  F16: { elements: 1, bytes: 2 },
  Q4_0: { elements: 32, bytes: 18 },
  Q8_0: { elements: 32, bytes: 34 },
};

/** GGUF alignment of the data section and of every tensor; written as `general.alignment`. */
export const GGUF_ALIGNMENT = 32;

/** One metadata value, tagged with its GGUF type. */
export type GgufValue =
  | { type: "u32"; value: number }
  | { type: "i32"; value: number }
  | { type: "f32"; value: number }
  | { type: "bool"; value: boolean }
  | { type: "string"; value: string }
  | { type: "string[]"; value: readonly string[] }
  | { type: "i32[]"; value: ArrayLike<number> };

/** A tensor as listed in the header; `dims` are innermost first like ggml's `ne`. */
export interface GgufTensorInfo {
  name: string;
  dims: readonly number[];
  type: GgmlTypeName;
}

/** Number of elements of a tensor. */
export function tensorElements(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** Bytes of a tensor's data (without alignment padding); throws when rows are not whole blocks. */
export function tensorBytes(info: GgufTensorInfo): number {
  const block = GGML_BLOCK[info.type];
  if (info.dims[0] % block.elements !== 0) {
    throw new Error(`tensor ${info.name}: row length ${info.dims[0]} is not a multiple of the ${info.type} block size ${block.elements}`);
  }
  return (tensorElements(info.dims) / block.elements) * block.bytes;
}

/** Rounds `n` up to the next multiple of `align`. */
export function alignUp(n: number, align = GGUF_ALIGNMENT): number {
  return Math.ceil(n / align) * align;
}

/** Growable little-endian byte buffer; the header is a few MB (the vocabulary) so it is built in memory. */
class ByteSink {
  private buf = Buffer.allocUnsafe(1 << 20);
  private len = 0;

  private reserve(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + extra) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  u32(v: number): void {
    this.reserve(4);
    this.buf.writeUInt32LE(v >>> 0, this.len);
    this.len += 4;
  }

  i32(v: number): void {
    this.reserve(4);
    this.buf.writeInt32LE(v | 0, this.len);
    this.len += 4;
  }

  u64(v: number): void {
    this.reserve(8);
    this.buf.writeBigUInt64LE(BigInt(v), this.len);
    this.len += 8;
  }

  f32(v: number): void {
    this.reserve(4);
    this.buf.writeFloatLE(v, this.len);
    this.len += 4;
  }

  u8(v: number): void {
    this.reserve(1);
    this.buf[this.len++] = v;
  }

  string(s: string): void {
    const n = Buffer.byteLength(s, "utf8");
    this.u64(n);
    this.reserve(n);
    this.buf.write(s, this.len, "utf8");
    this.len += n;
  }

  raw(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
  }

  pad(align: number): void {
    const target = alignUp(this.len, align);
    this.reserve(target - this.len);
    this.buf.fill(0, this.len, target);
    this.len = target;
  }

  get length(): number {
    return this.len;
  }

  bytes(): Buffer {
    return this.buf.subarray(0, this.len);
  }
}

/**
 * Encoded arrays by value object: the vocabulary (300k strings) is shared by every file written in
 * a process, and re-encoding it costs more than writing a whole `tiny` model's tensors.
 */
const encodedArrays = new WeakMap<GgufValue, Buffer>();

function writeValue(sink: ByteSink, v: GgufValue): void {
  if (v.type === "string[]" || v.type === "i32[]") {
    let bytes = encodedArrays.get(v);
    if (!bytes) {
      const arraySink = new ByteSink();
      writeArray(arraySink, v);
      bytes = Buffer.from(arraySink.bytes());
      encodedArrays.set(v, bytes);
    }
    sink.raw(bytes);
    return;
  }
  switch (v.type) {
    case "u32":
      sink.u32(GGUF_TYPE.u32);
      sink.u32(v.value);
      return;
    case "i32":
      sink.u32(GGUF_TYPE.i32);
      sink.i32(v.value);
      return;
    case "f32":
      sink.u32(GGUF_TYPE.f32);
      sink.f32(v.value);
      return;
    case "bool":
      sink.u32(GGUF_TYPE.bool);
      sink.u8(v.value ? 1 : 0);
      return;
    case "string":
      sink.u32(GGUF_TYPE.string);
      sink.string(v.value);
      return;
  }
}

function writeArray(sink: ByteSink, v: Extract<GgufValue, { type: "string[]" | "i32[]" }>): void {
  switch (v.type) {
    case "string[]":
      sink.u32(GGUF_TYPE.array);
      sink.u32(GGUF_TYPE.string);
      sink.u64(v.value.length);
      for (const s of v.value) sink.string(s);
      return;
    case "i32[]":
      sink.u32(GGUF_TYPE.array);
      sink.u32(GGUF_TYPE.i32);
      sink.u64(v.value.length);
      for (let i = 0; i < v.value.length; i++) sink.i32(v.value[i]);
      return;
  }
}

/** The encoded header plus where each tensor's data goes (offsets relative to the data section). */
export interface GgufLayout {
  /** Header bytes including the padding up to the data section. */
  header: Buffer;
  /** Byte offset of each tensor inside the data section, in `tensors` order. */
  offsets: number[];
  /** Byte size of each tensor's data, in `tensors` order. */
  sizes: number[];
  /** Total file size in bytes. */
  totalBytes: number;
}

/**
 * Encodes the header of a GGUF v3 file. Tensors are laid out back to back in the given order,
 * each padded to {@link GGUF_ALIGNMENT}; the caller streams the data in that order.
 */
export function encodeGgufHeader(metadata: ReadonlyMap<string, GgufValue>, tensors: readonly GgufTensorInfo[]): GgufLayout {
  const sink = new ByteSink();
  sink.u32(0x46554747); // "GGUF" read as a little-endian u32
  sink.u32(3);
  sink.u64(tensors.length);
  sink.u64(metadata.size);
  for (const [key, value] of metadata) {
    sink.string(key);
    writeValue(sink, value);
  }
  const offsets: number[] = [];
  const sizes: number[] = [];
  let offset = 0;
  for (const t of tensors) {
    const size = tensorBytes(t);
    sink.string(t.name);
    sink.u32(t.dims.length);
    for (const d of t.dims) sink.u64(d);
    sink.u32(GGML_TYPE[t.type]);
    sink.u64(offset);
    offsets.push(offset);
    sizes.push(size);
    offset = alignUp(offset + size);
  }
  sink.pad(GGUF_ALIGNMENT);
  const header = Buffer.from(sink.bytes());
  const last = tensors.length - 1;
  const dataBytes = last < 0 ? 0 : offsets[last] + sizes[last];
  return { header, offsets, sizes, totalBytes: header.length + dataBytes };
}
