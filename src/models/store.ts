/**
 * The on-disk model store: where downloaded models live and how we know they are whole.
 *
 * Layout under the data directory:
 *
 * ```
 * <dataDir>/models/<org>/<repo>/<file>              the verified model
 * <dataDir>/models/<org>/<repo>/<file>.sha256       "<hex>  <file name>\n" (sha256sum format)
 * <dataDir>/models/<org>/<repo>/<file>.partial      bytes received so far (never served)
 * <dataDir>/models/<org>/<repo>/<file>.partial.json which remote version the partial belongs to
 * ```
 *
 * The `.sha256` sidecar is written only after size and hash were checked and the file was
 * renamed into place, so "model file + sidecar" means "complete and verified". Its format
 * lets a user check a file by hand with `sha256sum -c`.
 *
 * The revision is not part of the path (the Hugging Face cache does that with snapshots,
 * which we do not need): a model pulled from `main` satisfies a later request for a
 * pinned revision of the same file.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { DownloadError } from "./errors.ts";
import type { RemoteSource } from "./model-spec.ts";

/** Suffix of the in-progress download file. */
export const PARTIAL_SUFFIX = ".partial";
/** Suffix of the JSON file describing which remote version a partial holds. */
export const PARTIAL_META_SUFFIX = ".partial.json";
/** Suffix of the verified-checksum sidecar. */
export const SHA256_SUFFIX = ".sha256";

const SHA256_RE = /^[0-9a-f]{64}$/;

/** The root of the model store: `<dataDir>/models`. */
export function modelsDir(dataDir: string): string {
  return path.resolve(dataDir, "models");
}

/**
 * The final local path of a remote model: `<dataDir>/models/<repo>/<file>`.
 *
 * @throws {DownloadError} `invalid_path` if `repo` or `file` contain empty, `.` or `..`
 *   segments, backslashes or NUL bytes, i.e. anything that could escape the store.
 */
export function localPathFor(source: Pick<RemoteSource, "repo" | "file">, dataDir: string): string {
  const root = modelsDir(dataDir);
  const repoParts = checkSegments(source.repo, "repository", source);
  const fileParts = checkSegments(source.file, "file", source);
  if (repoParts.length !== 2) {
    throw new DownloadError("invalid_path", `Repository "${source.repo}" must have the form org/name.`);
  }
  const dest = path.join(root, ...repoParts, ...fileParts);
  // Belt and braces: the segment checks above should make this impossible.
  if (!dest.startsWith(root + path.sep)) {
    throw new DownloadError("invalid_path", `Refusing to write ${source.repo}/${source.file} outside ${root}.`);
  }
  return dest;
}

function checkSegments(value: string, what: string, source: Pick<RemoteSource, "repo" | "file">): string[] {
  const parts = value.split("/");
  for (const part of parts) {
    if (part === "" || part === "." || part === ".." || part.includes("\\") || part.includes("\0")) {
      throw new DownloadError(
        "invalid_path",
        `Unsafe ${what} name in ${source.repo}/${source.file}: segments may not be empty, "." or "..".`,
      );
    }
  }
  return parts;
}

/**
 * Reads the sha256 recorded in `<modelPath>.sha256`.
 *
 * @returns the lower-case hex digest, or `undefined` when the sidecar is missing or malformed.
 */
export async function readVerifiedSha256(modelPath: string): Promise<string | undefined> {
  try {
    const text = await fs.readFile(modelPath + SHA256_SUFFIX, "utf8");
    const hex = text.trim().split(/\s+/)[0]?.toLowerCase() ?? "";
    return SHA256_RE.test(hex) ? hex : undefined;
  } catch {
    return undefined;
  }
}

/** Writes `<modelPath>.sha256` atomically (temp file + rename), so it is never half-written. */
export async function writeVerifiedSha256(modelPath: string, sha256: string): Promise<void> {
  const sidecar = modelPath + SHA256_SUFFIX;
  const tmp = `${sidecar}.${process.pid}.tmp`;
  await fs.writeFile(tmp, `${sha256}  ${path.basename(modelPath)}\n`);
  await fs.rename(tmp, sidecar);
}

/** What is known about a model that is fully downloaded and verified. */
export interface VerifiedModel {
  /** Absolute path of the model file. */
  path: string;
  /** File size in bytes. */
  bytes: number;
  /** Lower-case hex sha256 from the sidecar. */
  sha256: string;
}

/**
 * Looks for a complete, verified local copy of `source`. Does no network access and does
 * not re-hash the file (that would take seconds for multi-GB models on every start).
 *
 * @returns the model, or `undefined` when the file or its `.sha256` sidecar is missing.
 */
export async function findVerifiedModel(source: RemoteSource, dataDir: string): Promise<VerifiedModel | undefined> {
  const dest = localPathFor(source, dataDir);
  const sha256 = await readVerifiedSha256(dest);
  if (!sha256) return undefined;
  try {
    const stat = await fs.stat(dest);
    return stat.isFile() ? { path: dest, bytes: stat.size, sha256 } : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `source` is downloaded and verified under `dataDir` (see {@link findVerifiedModel}). */
export async function isModelDownloaded(source: RemoteSource, dataDir: string): Promise<boolean> {
  return (await findVerifiedModel(source, dataDir)) !== undefined;
}

/** One model file found in the store. */
export interface LocalModel {
  /** Absolute path of the `.gguf` file. */
  path: string;
  /** Repository id derived from the path, `org/name`. */
  repo: string;
  /** File path inside the repository. */
  file: string;
  /** Size in bytes. */
  bytes: number;
  /** Last modification time (roughly: when the download finished). */
  mtime: Date;
  /** The verified sha256, or `undefined` if the file has no sidecar (e.g. copied in by hand). */
  sha256: string | undefined;
}

/**
 * Lists the `.gguf` files in `<dataDir>/models`, sorted by path. In-progress downloads
 * (`.partial`) are never listed. A missing store gives an empty list.
 */
export async function listLocalModels(dataDir: string): Promise<LocalModel[]> {
  const root = modelsDir(dataDir);
  const found: LocalModel[] = [];
  async function walk(dir: string): Promise<void> {
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
      throw error;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        await walk(full);
      } else if (entry.isFile() && /\.gguf$/i.test(entry.name)) {
        const rel = path.relative(root, full).split(path.sep);
        if (rel.length < 3) continue; // not in <org>/<repo>/…: not ours
        const stat = await fs.stat(full);
        found.push({
          path: full,
          repo: rel.slice(0, 2).join("/"),
          file: rel.slice(2).join("/"),
          bytes: stat.size,
          mtime: stat.mtime,
          sha256: await readVerifiedSha256(full),
        });
      }
    }
  }
  await walk(root);
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
