/**
 * CLI glue for `sputnik synth`: validates the raw option strings, shows progress, prints a summary.
 *
 * Progress is a `cli-progress` bar on a TTY; otherwise one plain line at the start and one at the
 * end, so logs (CI, `| tee`) are not filled with carriage returns. Writing takes seconds at most.
 */
import cliProgress from "cli-progress";
import { resolve } from "node:path";
import { SYNTH_QUANTS, SYNTH_SHAPES, SYNTH_TEMPLATES, synthesizeModel, type SynthResult } from "./synthesize.ts";

/** Raw `sputnik synth` options as commander hands them over. */
export interface SynthCommandOptions {
  /** One of {@link SYNTH_SHAPES}. */
  shape: string;
  /** One of {@link SYNTH_QUANTS}. Defaults to `q8_0`. */
  quant?: string;
  /** One of {@link SYNTH_TEMPLATES}. Defaults to the shape's own. */
  template?: string;
  /** Output GGUF path. */
  out: string;
  /** Integer seed of the random weights, as text. Defaults to 0. */
  seed?: string;
  /** Advertised context length in tokens, as text. Defaults to the real model's. */
  contextLength?: string;
}

/** Where the command writes; defaults to `process.stdout`. `isTTY` selects the progress bar. */
export interface SynthCommandIo {
  out?: { write(chunk: string): unknown; isTTY?: boolean };
}

function pick<T extends string>(value: string | undefined, allowed: readonly T[], flag: string): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new Error(`invalid ${flag} "${value}": expected one of ${allowed.join(", ")}`);
  }
  return value as T;
}

function integer(value: string | undefined, flag: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(Number(value)) || Number(value) < min) {
    throw new Error(`invalid ${flag} "${value}": expected an integer >= ${min}`);
  }
  return Number(value);
}

/** Formats a byte count with binary units (e.g. "1.93 GiB"). */
export function formatSize(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v} B` : `${v.toFixed(2)} ${units[i]}`;
}

/**
 * Runs `sputnik synth`: writes the model and prints its path, parameter count and size.
 * Throws (before writing anything) on an unknown shape/quant/template or a malformed number.
 */
export async function runSynthCommand(opts: SynthCommandOptions, io: SynthCommandIo = {}): Promise<SynthResult> {
  const out = io.out ?? process.stdout;
  const shape = pick(opts.shape, SYNTH_SHAPES, "--shape");
  if (!shape) throw new Error(`missing --shape: expected one of ${SYNTH_SHAPES.join(", ")}`);
  const quant = pick(opts.quant, SYNTH_QUANTS, "--quant");
  const template = pick(opts.template, SYNTH_TEMPLATES, "--template");
  const seed = integer(opts.seed, "--seed", 0);
  const contextLength = integer(opts.contextLength, "--context-length", 1);
  if (!opts.out) throw new Error("missing --out: the path of the GGUF file to write");
  const path = resolve(opts.out);

  const label = `synth ${shape} ${quant ?? "q8_0"}`;
  let bar: cliProgress.SingleBar | undefined;
  if (out.isTTY) {
    bar = new cliProgress.SingleBar({
      stream: out as NodeJS.WritableStream,
      format: `${label} [{bar}] {percentage}% | {done} / {size}`,
      hideCursor: true,
      barsize: 30,
      fps: 10,
    });
  } else {
    out.write(`${label}: writing ${path}\n`);
  }

  let barStarted = false;
  const started = performance.now();
  let result: SynthResult;
  try {
    result = await synthesizeModel({
      shape,
      quant,
      template,
      out: path,
      seed,
      contextLength,
      onProgress: (written, total) => {
        if (!bar) return;
        const payload = { done: formatSize(written), size: formatSize(total) };
        if (barStarted) bar.update(written, payload);
        else bar.start(total, written, payload);
        barStarted = true;
      },
    });
  } finally {
    bar?.stop();
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  out.write(
    `${result.path}\n` +
      `  ${result.architecture}, ${result.parameterCount.toLocaleString("en-US")} parameters, ${formatSize(result.bytes)}, ` +
      `template ${result.template}, written in ${seconds} s\n`,
  );
  return result;
}
