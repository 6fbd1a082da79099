/**
 * One error family for the whole pipeline. Layers throw `SputnikError`s; the protocol edge maps
 * them to its own wire shape (OpenAI: `{error: {message, type, param, code}}`). Anything that is
 * not a `SputnikError` is our bug and becomes a 500 — never a 400 that would blame the client.
 */
export type SputnikErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "permission_error"
  | "not_found_error"
  | "rate_limit_error"
  | "insufficient_balance"
  | "server_error"
  | "overloaded_error";

export interface SputnikErrorOptions {
  /** HTTP status the edge should answer with. */
  status: number;
  type: SputnikErrorType;
  /** Machine-readable code, e.g. `context_length_exceeded`. */
  code?: string | null;
  /** The request field at fault, as a dotted path (`messages.2.role`). */
  param?: string | null;
  /** Whether the same request may succeed later (overload, transient failure). */
  retryable?: boolean;
  /** Extra response headers, e.g. `Retry-After`. */
  headers?: Record<string, string>;
  cause?: unknown;
}

export class SputnikError extends Error {
  readonly status: number;
  readonly type: SputnikErrorType;
  readonly code: string | null;
  readonly param: string | null;
  readonly retryable: boolean;
  readonly headers: Record<string, string>;

  constructor(message: string, options: SputnikErrorOptions) {
    super(message, { cause: options.cause });
    this.name = "SputnikError";
    this.status = options.status;
    this.type = options.type;
    this.code = options.code ?? null;
    this.param = options.param ?? null;
    this.retryable = options.retryable ?? false;
    this.headers = options.headers ?? {};
  }
}

export function invalidRequest(message: string, param: string | null = null, code: string | null = null): SputnikError {
  return new SputnikError(message, { status: 400, type: "invalid_request_error", param, code });
}

export function modelNotFound(model: string): SputnikError {
  return new SputnikError(`The model \`${model}\` does not exist or is not served here.`, {
    status: 404,
    type: "not_found_error",
    param: "model",
    code: "model_not_found",
  });
}

export function contextLengthExceeded(promptTokens: number, contextSize: number, param = "messages"): SputnikError {
  return new SputnikError(
    `This model's maximum context length is ${contextSize} tokens. However, your prompt is ${promptTokens} tokens. ` +
      `Please shorten it; Sputnik never truncates prompts silently.`,
    { status: 400, type: "invalid_request_error", param, code: "context_length_exceeded" },
  );
}

export function overloaded(message: string, retryAfterSeconds: number): SputnikError {
  return new SputnikError(message, {
    status: 503,
    type: "overloaded_error",
    code: "server_busy",
    retryable: true,
    headers: { "Retry-After": String(retryAfterSeconds) },
  });
}

export function internalError(cause: unknown): SputnikError {
  return new SputnikError("The server had an error while processing your request.", {
    status: 500,
    type: "server_error",
    code: "internal_error",
    retryable: true,
    cause,
  });
}

/** Normalises anything thrown into a `SputnikError`; unknown exceptions are 500s. */
export function toSputnikError(error: unknown): SputnikError {
  if (error instanceof SputnikError) return error;
  return internalError(error);
}
