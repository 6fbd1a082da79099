/**
 * `sputnik pull` and the model resolution used by `sputnik serve`.
 *
 * Output goes to one stream (stdout by default): a `cli-progress` bar when it is a TTY,
 * otherwise a plain progress line every few seconds so logs (CI, systemd, `| tee`) stay
 * readable instead of filling with carriage returns.
 */
import cliProgress from "cli-progress";
import { promises as fs } from "node:fs";
import { findCatalogEntry } from "./catalog.ts";
import { downloadModel, type DownloadProgress, type DownloadResult } from "./download.ts";
import { ModelFileError, ModelSpecError } from "./errors.ts";
import { formatBytes, formatDuration, formatRate } from "./format.ts";
import { DEFAULT_REVISION, parseModelSpec, type ModelSpec, type RemoteSource } from "./model-spec.ts";
import { findVerifiedModel, localPathFor } from "./store.ts";

export { listLocalModels, type LocalModel } from "./store.ts";

/** A writable text stream; `isTTY` selects the progress bar. */
export interface OutputStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Options shared by {@link runPullCommand} and {@link resolveModelPath}. */
export interface ModelFetchOptions {
  /** Sputnik's data directory (models live in `<dataDir>/models`). */
  dataDir: string;
  /** Hugging Face endpoint; default `https://huggingface.co`. */
  endpoint?: string;
  /** Hugging Face access token for gated/private repositories. */
  token?: string;
  /** Cancels a download; the partial file is kept for resuming. */
  signal?: AbortSignal;
  /** `fetch` implementation (tests). */
  fetch?: typeof globalThis.fetch;
}

/** Options of {@link runPullCommand}. */
export interface PullOptions extends ModelFetchOptions {
  /** Where progress and the result go. Default `process.stdout`. */
  stdout?: OutputStream;
  /** Milliseconds between plain (non-TTY) progress lines. Default 5000. */
  progressIntervalMs?: number;
}

/**
 * Runs `sputnik pull <spec>`: resolves a catalog alias or `hf:` reference (optionally
 * `NAME=`-prefixed), downloads it with progress output unless it is already there, and
 * prints the final path.
 *
 * @returns the download result plus the model id the spec gives.
 * @throws {ModelSpecError} for an unknown alias or a spec that is a local file;
 *   {@link DownloadError} from the download.
 */
export async function runPullCommand(spec: string, options: PullOptions): Promise<DownloadResult & { id: string }> {
  const out = options.stdout ?? process.stdout;
  const parsed = parseModelSpec(spec);
  if (parsed.kind === "file") {
    throw new ModelSpecError(
      "invalid_model_spec",
      `"${spec}" is a local file, so there is nothing to pull. Serve it directly: sputnik serve --model ${spec}`,
    );
  }
  const { source, id } = parsed;
  const existing = await findVerifiedModel(source, options.dataDir);
  if (existing) {
    out.write(`${id} is already downloaded (${formatBytes(existing.bytes)}).\n${existing.path}\n`);
    return { ...existing, cached: true, id };
  }

  const approx = source.alias ? findCatalogEntry(source.alias)?.approxBytes : undefined;
  out.write(
    `Pulling ${id} from ${source.repo} (${source.file}${approx ? `, about ${formatBytes(approx)}` : ""})\n`,
  );
  const reporter = createProgressReporter(out, id, options.progressIntervalMs ?? 5000);
  let result: DownloadResult;
  try {
    result = await downloadModel(source, {
      dataDir: options.dataDir,
      endpoint: options.endpoint,
      token: options.token,
      signal: options.signal,
      fetch: options.fetch,
      onProgress: reporter.update,
    });
  } finally {
    reporter.stop();
  }
  out.write(`Verified ${formatBytes(result.bytes)}, sha256 ${result.sha256}\n${result.path}\n`);
  return { ...result, id };
}

/** Options of {@link resolveModelPath}. */
export interface ResolveOptions extends ModelFetchOptions {
  /** Download a remote model that is not on disk yet (otherwise throw). */
  pull: boolean;
  /** Download progress, when a download happens. */
  onProgress?: (progress: DownloadProgress) => void;
}

/**
 * Turns a parsed `--model` spec into a local GGUF path for `serve`.
 *
 * - file spec: the file must exist and start with the `GGUF` magic bytes;
 * - remote spec: the verified local copy if there is one, else a download when `pull`
 *   is true, else a `model_not_downloaded` error that says how to pull it.
 *
 * @returns the absolute path of a GGUF file.
 * @throws {ModelFileError} `model_file_not_found`, `not_gguf`, `model_not_downloaded`;
 *   {@link DownloadError} when a download fails.
 */
export async function resolveModelPath(spec: ModelSpec, options: ResolveOptions): Promise<string> {
  if (spec.kind === "file") {
    await assertGgufFile(spec.path);
    return spec.path;
  }
  const existing = await findVerifiedModel(spec.source, options.dataDir);
  if (existing) {
    await assertGgufFile(existing.path);
    return existing.path;
  }
  if (!options.pull) {
    const ref = formatRemoteSource(spec.source);
    throw new ModelFileError(
      "model_not_downloaded",
      `Model ${spec.id} (${spec.source.repo}/${spec.source.file}) is not downloaded yet. ` +
        `Run \`sputnik pull ${ref}\` first, or enable pulling when serving.`,
      localPathFor(spec.source, options.dataDir),
    );
  }
  const result = await downloadModel(spec.source, {
    dataDir: options.dataDir,
    endpoint: options.endpoint,
    token: options.token,
    signal: options.signal,
    fetch: options.fetch,
    onProgress: options.onProgress,
  });
  await assertGgufFile(result.path);
  return result.path;
}

/** The shortest spec that names `source`: its alias, else `hf:repo/file[@revision]`. */
export function formatRemoteSource(source: RemoteSource): string {
  if (source.alias) return source.alias;
  const revision = source.revision === DEFAULT_REVISION ? "" : `@${source.revision}`;
  return `hf:${source.repo}/${source.file}${revision}`;
}

/** The four bytes every GGUF file starts with. */
const GGUF_MAGIC = Buffer.from("GGUF", "ascii");

/**
 * Checks that `file` is a regular file starting with the `GGUF` magic.
 *
 * @throws {ModelFileError} `model_file_not_found` or `not_gguf`.
 */
export async function assertGgufFile(file: string): Promise<void> {
  let handle: fs.FileHandle;
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) throw new ModelFileError("model_file_not_found", `Model path ${file} is not a file.`, file);
    handle = await fs.open(file, "r");
  } catch (error) {
    if (error instanceof ModelFileError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new ModelFileError(
      "model_file_not_found",
      code === "ENOENT" ? `Model file not found: ${file}` : `Cannot open model file ${file} (${code ?? String(error)}).`,
      file,
    );
  }
  const magic = Buffer.alloc(4);
  try {
    await handle.read(magic, 0, 4, 0);
  } finally {
    await handle.close();
  }
  if (!magic.equals(GGUF_MAGIC)) {
    throw new ModelFileError(
      "not_gguf",
      `${file} is not a GGUF model (it does not start with the "GGUF" magic bytes). Sputnik serves GGUF files: ` +
        "download a .gguf build of the model, or convert it with llama.cpp's convert_hf_to_gguf.py.",
      file,
    );
  }
}

/** Hub settings as the serve config carries them. */
export interface HubConfig {
  dataDir: string;
  hfEndpoint?: string;
  hfToken?: string;
  pull: boolean;
}

/**
 * {@link resolveModelPath} for a configured server (`serve`, `run`, `eval --model`): downloads,
 * if any, report progress on `out`.
 */
export async function resolveModelPathWithProgress(spec: ModelSpec, config: HubConfig, out: OutputStream): Promise<string> {
  const reporter = createProgressReporter(out, spec.id);
  try {
    return await resolveModelPath(spec, {
      dataDir: config.dataDir,
      endpoint: config.hfEndpoint,
      token: config.hfToken,
      pull: config.pull,
      onProgress: reporter.update,
    });
  } finally {
    reporter.stop();
  }
}

/** Receives download progress and renders it; `stop` must be called once at the end. */
export interface ProgressReporter {
  update: (progress: DownloadProgress) => void;
  stop: () => void;
}

/**
 * Progress output for a download: a `cli-progress` bar (bytes, speed, ETA) when `out` is
 * a TTY and the size is known; otherwise one plain line per `intervalMs` plus a last one.
 */
export function createProgressReporter(out: OutputStream, label: string, intervalMs = 5000): ProgressReporter {
  const speed = createSpeedMeter();
  let bar: cliProgress.SingleBar | undefined;
  let lastLineAt = -Infinity;
  let last: DownloadProgress | undefined;

  const describe = (p: DownloadProgress): ProgressText => {
    const rate = speed.bytesPerSecond();
    const eta = p.totalBytes !== undefined && rate > 0 ? (p.totalBytes - p.downloadedBytes) / rate : NaN;
    return {
      done: formatBytes(p.downloadedBytes),
      size: p.totalBytes !== undefined ? formatBytes(p.totalBytes) : "?",
      speed: formatRate(rate),
      etaText: formatDuration(eta),
    };
  };

  const update = (p: DownloadProgress) => {
    last = p;
    speed.add(p.downloadedBytes);
    if (out.isTTY && p.totalBytes !== undefined) {
      if (!bar) {
        bar = new cliProgress.SingleBar({
          stream: out as NodeJS.WritableStream,
          format: `${label} [{bar}] {percentage}% | {done} / {size} | {speed} | ETA {etaText}`,
          hideCursor: true,
          barsize: 30,
          fps: 10,
        });
        bar.start(p.totalBytes, p.downloadedBytes, describe(p));
      } else {
        bar.update(p.downloadedBytes, describe(p));
      }
      return;
    }
    const now = Date.now();
    if (now - lastLineAt >= intervalMs) {
      lastLineAt = now;
      out.write(plainLine(label, p, describe(p)) + "\n");
    }
  };

  const stop = () => {
    if (bar) {
      bar.stop();
      bar = undefined;
    } else if (last && lastLineAt !== -Infinity) {
      out.write(plainLine(label, last, describe(last)) + "\n");
    }
  };
  return { update, stop };
}

/** Formatted fields of a progress line (also the cli-progress payload). */
interface ProgressText {
  done: string;
  size: string;
  speed: string;
  etaText: string;
}

function plainLine(label: string, p: DownloadProgress, d: ProgressText): string {
  const pct = p.totalBytes ? ` (${Math.floor((p.downloadedBytes / p.totalBytes) * 100)}%)` : "";
  return `${label}: ${d.done} / ${d.size}${pct}, ${d.speed}, ETA ${d.etaText}`;
}

/** Transfer speed over the last few seconds (a sliding window, so it reacts to changes). */
function createSpeedMeter(windowMs = 5000) {
  const samples: { t: number; bytes: number }[] = [];
  return {
    add(bytes: number) {
      const t = Date.now();
      // Chunks arrive thousands of times a second: keep at most ~5 samples per second.
      if (samples.length >= 2 && t - samples[samples.length - 2].t < 200) samples[samples.length - 1] = { t, bytes };
      else samples.push({ t, bytes });
      while (samples.length > 2 && t - samples[0].t > windowMs) samples.shift();
    },
    bytesPerSecond(): number {
      if (samples.length < 2) return 0;
      const first = samples[0];
      const lastSample = samples[samples.length - 1];
      const dt = (lastSample.t - first.t) / 1000;
      return dt > 0 ? (lastSample.bytes - first.bytes) / dt : 0;
    },
  };
}
