/**
 * The one error type of the chat client. Every failure the user should see as a one-line message
 * (HTTP error, `error` frame inside the stream, unreachable server, malformed stream) becomes an
 * `ApiError`, so the session can print it and carry on instead of crashing.
 */

/** What OpenAI-compatible servers put under `error` in a response body or SSE frame. */
export interface WireError {
  message?: unknown;
  type?: unknown;
  code?: unknown;
  param?: unknown;
}

export class ApiError extends Error {
  /** HTTP status, when the error came with one (not for `error` frames or network failures). */
  readonly status?: number;
  readonly type?: string;
  readonly code?: string;

  constructor(message: string, options: { status?: number; type?: string; code?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "ApiError";
    this.status = options.status;
    this.type = options.type;
    this.code = options.code;
  }

  /** Builds an error from a wire `{error: {...}}` object; `status` when it came as an HTTP error. */
  static fromWire(error: WireError, status?: number): ApiError {
    const message = typeof error.message === "string" && error.message !== "" ? error.message : "The server reported an error.";
    const type = typeof error.type === "string" ? error.type : undefined;
    const code = typeof error.code === "string" ? error.code : undefined;
    return new ApiError(message, { status, type, code });
  }

  /** One line for the terminal: the server's message, then status and code when known. */
  describe(): string {
    const details = [this.status !== undefined ? `HTTP ${this.status}` : undefined, this.code].filter(Boolean);
    return details.length > 0 ? `${this.message} (${details.join(", ")})` : this.message;
  }
}

/** Returns the `error` object of a wire body, if it has one. */
export function wireErrorOf(value: unknown): WireError | undefined {
  if (typeof value !== "object" || value === null || !("error" in value)) return undefined;
  const error = (value as { error: unknown }).error;
  if (typeof error === "object" && error !== null) return error as WireError;
  // Some servers answer `{error: "text"}`.
  if (typeof error === "string") return { message: error };
  return undefined;
}
