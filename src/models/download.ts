/**
 * Resumable, verified downloads of GGUF files from Hugging Face (or a compatible mirror).
 *
 * How a download goes:
 * 1. If `<dest>` and its `.sha256` sidecar exist, return at once (no network).
 * 2. GET `<endpoint>/<repo>/resolve/<revision>/<file>`, following redirects by hand:
 *    the Hub answers with a redirect to its CDN, and the size and sha256 of the file are
 *    only on that first response (`X-Linked-Size`, `X-Linked-Etag`); `fetch`'s automatic
 *    redirects would hide them. The token is only sent to the endpoint's own origin, never
 *    to the CDN (its signed URLs reject extra credentials, and it should not see them).
 * 3. Stream the body into `<dest>.partial`, hashing as we go, with backpressure.
 * 4. Check size and sha256, rename `<dest>.partial` to `<dest>` (atomic on one file
 *    system), then write the sidecar.
 *
 * When `<dest>.partial` already exists (an interrupted or cancelled run), we ask for the
 * rest with `Range` and append, but only if `<dest>.partial.json` shows the partial came
 * from the same remote version; a changed file restarts instead of mixing two versions.
 * The existing bytes are re-hashed (concurrently with the request) so the final sha256
 * covers the whole file.
 *
 * This module takes its endpoint and token from the caller and never reads the
 * environment.
 */
import { createHash, type Hash } from "node:crypto";
import { createReadStream, createWriteStream, promises as fs, type WriteStream } from "node:fs";
import { once } from "node:events";
import path from "node:path";
import { DownloadError } from "./errors.ts";
import { formatBytes } from "./format.ts";
import {
  abortedError,
  describeCause,
  hubGet,
  parseContentRange,
  resolveUrl,
  unexpectedStatus,
} from "./hub-request.ts";
import type { RemoteSource } from "./model-spec.ts";
import {
  PARTIAL_META_SUFFIX,
  PARTIAL_SUFFIX,
  findVerifiedModel,
  localPathFor,
  writeVerifiedSha256,
} from "./store.ts";

export { DEFAULT_HF_ENDPOINT, resolveUrl } from "./hub-request.ts";
export { isModelDownloaded, localPathFor } from "./store.ts";

/** Progress of a running download, reported after every chunk written. */
export interface DownloadProgress {
  /** Bytes of the file on disk so far, including bytes resumed from an earlier run. */
  downloadedBytes: number;
  /** Size of the whole file in bytes, when the server announced it. */
  totalBytes: number | undefined;
  /** Bytes that were already on disk when this transfer started (0 for a fresh start). */
  resumedFromBytes: number;
}

/** Options of {@link downloadModel}. */
export interface DownloadOptions {
  /** Sputnik's data directory; models go to `<dataDir>/models/<repo>/<file>`. */
  dataDir: string;
  /** Hub base URL (a trailing slash is fine). Default `https://huggingface.co`. */
  endpoint?: string;
  /** `fetch` implementation (tests). Default: the global `fetch`. */
  fetch?: typeof globalThis.fetch;
  /** Cancels the download; the partial file is kept for a later resume. */
  signal?: AbortSignal;
  /** Called once the response headers are in, then after every chunk written. */
  onProgress?: (progress: DownloadProgress) => void;
  /** Hugging Face access token, sent as `Authorization: Bearer` to the endpoint only. */
  token?: string;
}

/** A model file ready on disk. */
export interface DownloadResult {
  /** Absolute path of the verified model file. */
  path: string;
  /** Its size in bytes. */
  bytes: number;
  /** Its lower-case hex sha256. */
  sha256: string;
  /** True when the file was already downloaded and no request was made. */
  cached: boolean;
}
/** What `<dest>.partial.json` records about the bytes in `<dest>.partial`. */
interface PartialMeta {
  url: string;
  /** Remote version (sha256, else ETag) the bytes belong to. */
  version: string;
  size?: number;
}
/**
 * Downloads `source` into the model store, resuming an earlier partial download when
 * possible, and verifies size and sha256 before the file appears at its final path.
 *
 * @returns the verified file; `cached: true` when it was already there (no request made).
 * @throws {DownloadError} with codes `unauthorized`, `not_found`, `http_error`, `offline`,
 *   `interrupted` / `aborted` (partial kept), `checksum_mismatch` / `size_mismatch`
 *   (partial deleted), `too_many_redirects`, `invalid_path`. File-system errors
 *   (e.g. `ENOSPC`) are passed through unchanged.
 */
export async function downloadModel(source: RemoteSource, options: DownloadOptions): Promise<DownloadResult> {
  const dest = localPathFor(source, options.dataDir);
  const verified = await findVerifiedModel(source, options.dataDir);
  if (verified) return { ...verified, cached: true };

  const label = `${source.repo}/${source.file}`;
  if (options.signal?.aborted) throw abortedError(label, 0);
  await fs.mkdir(path.dirname(dest), { recursive: true });
  const partial = dest + PARTIAL_SUFFIX;
  const metaPath = dest + PARTIAL_META_SUFFIX;
  const url = resolveUrl(source, options.endpoint);
  const discardPartial = () => Promise.all([fs.rm(partial, { force: true }), fs.rm(metaPath, { force: true })]);

  const meta = await readMeta(metaPath);
  let resumeFrom = (await fileSize(partial)) ?? 0;
  if (resumeFrom > 0 && !meta) {
    // Bytes of unknown origin (no metadata): they cannot be trusted to match the remote file.
    await discardPartial();
    resumeFrom = 0;
  }

  for (;;) {
    // Re-hash the existing bytes while the request is in flight.
    const prehash = resumeFrom > 0 ? hashFilePrefix(partial, resumeFrom) : undefined;
    prehash?.catch(() => {}); // awaited below only if we append; never an unhandled rejection
    const { response, remote } = await hubGet(url, resumeFrom, source, options);

    let mode: "write" | "append" | "complete";
    if (resumeFrom === 0) {
      if (response.status !== 200) throw await unexpectedStatus(response, url, label);
      mode = "write";
    } else {
      const sameVersion = remote.version !== undefined && remote.version === meta?.version;
      const range = parseContentRange(response.headers.get("content-range"));
      if (response.status === 206 && sameVersion && range?.start === resumeFrom) {
        mode = "append";
      } else if (response.status === 416 && sameVersion && remote.size === resumeFrom) {
        mode = "complete"; // the partial already holds every byte (crash before the rename)
      } else if (response.status === 200) {
        mode = "write"; // server ignored Range: take the full body it is sending anyway
      } else {
        // Changed remote file or an inconsistent range answer: start again from zero.
        await response.body?.cancel().catch(() => {});
        await discardPartial();
        resumeFrom = 0;
        continue;
      }
    }

    let hash: Hash;
    if (mode === "write") {
      hash = createHash("sha256");
      resumeFrom = 0;
      if (remote.version) await writeMeta(metaPath, { url, version: remote.version, size: remote.size });
      else await fs.rm(metaPath, { force: true });
    } else {
      hash = (await prehash)!;
    }

    const total = remote.size;
    const report = (downloadedBytes: number) =>
      options.onProgress?.({ downloadedBytes, totalBytes: total, resumedFromBytes: resumeFrom });
    report(resumeFrom);

    let received = 0;
    if (mode === "complete") {
      await response.body?.cancel().catch(() => {});
    } else {
      received = await writeBody(response.body, partial, mode === "append" ? "a" : "w", hash, (n) =>
        report(resumeFrom + n),
      ).catch((error: unknown) => {
        if (!(error instanceof ReadFailure)) throw error; // local file-system problem
        const have = resumeFrom + error.written;
        if (options.signal?.aborted) throw abortedError(label, have);
        throw new DownloadError(
          "interrupted",
          `Download of ${label} was interrupted after ${formatBytes(have)}` +
            `${total !== undefined ? ` of ${formatBytes(total)}` : ""} (${describeCause(error.cause)}). ` +
            "The partial file was kept: re-run the command to resume.",
          { cause: error.cause, url },
        );
      });
    }

    const bytes = resumeFrom + received;
    if (total !== undefined && bytes !== total) {
      await discardPartial();
      throw new DownloadError(
        "size_mismatch",
        `Download of ${label} has ${bytes} bytes but the server announced ${total}. ` +
          "The file was discarded; try again, and report it if it keeps happening.",
        { url },
      );
    }
    const sha256 = hash.digest("hex");
    if (remote.sha256 !== undefined && sha256 !== remote.sha256) {
      await discardPartial();
      throw new DownloadError(
        "checksum_mismatch",
        `Download of ${label} is corrupt: its sha256 is ${sha256} but the server announced ${remote.sha256}. ` +
          "The file was discarded; try again.",
        { url },
      );
    }
    await fs.rename(partial, dest);
    await writeVerifiedSha256(dest, sha256);
    await fs.rm(metaPath, { force: true });
    return { path: dest, bytes, sha256, cached: false };
  }
}

/** A failure while reading the response body (as opposed to writing the file). */
class ReadFailure extends Error {
  constructor(
    override readonly cause: unknown,
    readonly written: number,
  ) {
    super("read failed");
  }
}

/**
 * Streams `body` into `file` (flags `w` or `a`), updating `hash`, honouring backpressure.
 * The file is always flushed and closed before this settles, so after a failure the
 * partial holds exactly the bytes that were handed to it.
 *
 * @returns the number of bytes written.
 * @throws {ReadFailure} when the body fails (network or abort); file errors as they are.
 */
async function writeBody(
  body: ReadableStream<Uint8Array> | null,
  file: string,
  flags: "w" | "a",
  hash: Hash,
  onChunk: (written: number) => void,
): Promise<number> {
  const out = createWriteStream(file, { flags });
  out.on("error", () => {}); // surfaced through `out.errored` / `once(out, "drain")`
  let written = 0;
  try {
    if (!body) return 0;
    const reader = body.getReader();
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        throw new ReadFailure(error, written);
      }
      if (chunk.done) break;
      if (out.errored) throw out.errored;
      hash.update(chunk.value);
      written += chunk.value.length;
      if (!out.write(chunk.value)) await once(out, "drain");
      onChunk(written);
    }
  } finally {
    await closeStream(out);
  }
  if (out.errored) throw out.errored;
  return written;
}

async function closeStream(out: WriteStream): Promise<void> {
  if (out.closed) return;
  const closed = once(out, "close").catch(() => {});
  out.end();
  await closed;
}

/** sha256 state after the first `length` bytes of `file`. */
async function hashFilePrefix(file: string, length: number): Promise<Hash> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file, { start: 0, end: length - 1 })) hash.update(chunk as Buffer);
  return hash;
}

async function fileSize(file: string): Promise<number | undefined> {
  try {
    return (await fs.stat(file)).size;
  } catch {
    return undefined;
  }
}

async function readMeta(metaPath: string): Promise<PartialMeta | undefined> {
  try {
    const meta = JSON.parse(await fs.readFile(metaPath, "utf8")) as Partial<PartialMeta>;
    return typeof meta.version === "string" && meta.version !== "" ? (meta as PartialMeta) : undefined;
  } catch {
    return undefined;
  }
}

async function writeMeta(metaPath: string, meta: PartialMeta): Promise<void> {
  await fs.writeFile(metaPath, JSON.stringify(meta) + "\n");
}
