/**
 * Error classes for model specs, downloads and local model files.
 *
 * Every class carries a stable `code` string so the CLI and the HTTP layer can map
 * failures to exit codes / wire errors without parsing messages. Messages are written
 * for the person at the terminal: they say what happened and what to do next.
 */

/** Base class of every error raised by `src/models`. */
export class ModelError extends Error {
  /** Stable machine-readable identifier (snake_case). */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Codes of {@link ModelSpecError}. */
export type ModelSpecErrorCode =
  /** The `--model` value is empty or has a malformed form (bad `NAME=`, bad `hf:` reference…). */
  | "invalid_model_spec"
  /** The value looks like a catalog alias but no such alias exists. */
  | "unknown_model_alias";

/** A `--model` / `sputnik pull` argument that cannot be understood. */
export class ModelSpecError extends ModelError {
  declare readonly code: ModelSpecErrorCode;

  constructor(
    code: ModelSpecErrorCode,
    message: string,
    /** For `unknown_model_alias`: the closest known aliases, best first (may be empty). */
    readonly suggestions: readonly string[] = [],
  ) {
    super(code, message);
  }
}

/** Codes of {@link DownloadError}. */
export type DownloadErrorCode =
  /** The downloaded bytes do not hash to the sha256 the server announced. Nothing is kept. */
  | "checksum_mismatch"
  /** The downloaded size differs from the announced size. Nothing is kept. */
  | "size_mismatch"
  /** 401/403: the repository is gated or private and needs a Hugging Face token. */
  | "unauthorized"
  /** 404: the repository, revision or file does not exist. */
  | "not_found"
  /** Any other unexpected HTTP status. */
  | "http_error"
  /** The endpoint could not be reached at all (DNS, refused connection, no network). */
  | "offline"
  /** The connection broke mid-transfer. The `.partial` file is kept; re-running resumes. */
  | "interrupted"
  /** The caller's AbortSignal fired. The `.partial` file is kept; re-running resumes. */
  | "aborted"
  /** More redirects than we are willing to follow (a loop, most likely). */
  | "too_many_redirects"
  /** The repo/file names would escape the models directory (`..`, absolute paths…). */
  | "invalid_path";

/** A failed model download. */
export class DownloadError extends ModelError {
  declare readonly code: DownloadErrorCode;
  /** HTTP status of the failing response, when there was one. */
  readonly status: number | undefined;
  /** The `resolve` URL that was requested (not the CDN URL it redirected to). */
  readonly url: string | undefined;

  constructor(
    code: DownloadErrorCode,
    message: string,
    options?: { cause?: unknown; status?: number; url?: string },
  ) {
    super(code, message, { cause: options?.cause });
    this.status = options?.status;
    this.url = options?.url;
  }
}

/** Codes of {@link ModelFileError}. */
export type ModelFileErrorCode =
  /** A `--model` path does not exist or is not a regular file. */
  | "model_file_not_found"
  /** The file exists but does not start with the `GGUF` magic bytes. */
  | "not_gguf"
  /** A remote model (alias / `hf:`) is not downloaded and pulling was not allowed. */
  | "model_not_downloaded";

/** A model that cannot be used as-is from local disk. */
export class ModelFileError extends ModelError {
  declare readonly code: ModelFileErrorCode;

  constructor(
    code: ModelFileErrorCode,
    message: string,
    /** The local path concerned. */
    readonly path: string,
  ) {
    super(code, message);
  }
}
