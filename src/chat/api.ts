/**
 * The HTTP side of the chat: `GET /v1/models` and a streamed `POST /v1/chat/completions`, with
 * every failure turned into an {@link ApiError} that reads well as one line.
 */
import { ApiError, wireErrorOf } from "./api-error.ts";
import { readJsonFrames } from "./sse-client.ts";

/** A model as `GET /v1/models` lists it. */
export interface ServedModelInfo {
  id: string;
  /** Sputnik's `meta.thinking`: whether the chat template can think; undefined when not reported. */
  thinking?: boolean;
}

/** Token counts of the final usage chunk (OpenAI's names, DeepSeek's details). */
export interface ChatUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number } | null;
  completion_tokens_details?: { reasoning_tokens?: number } | null;
}

/** Why a policy withheld an answer (Sputnik extension on a `content_filter` chunk). */
export interface Moderation {
  policy?: string;
  rule?: string;
  action?: string;
  reason?: string;
}

/** The parts of a `chat.completion.chunk` the chat uses. */
export interface ChatChunk {
  choices?: Array<{
    delta?: { content?: string | null; reasoning_content?: string | null };
    finish_reason?: string | null;
    moderation?: Moderation | null;
  }>;
  usage?: ChatUsage | null;
  moderation?: Moderation | null;
}

/**
 * Normalizes a `--url` value to the server root: adds `http://` when no scheme is given and drops
 * a trailing `/` or `/v1`, since people paste either form.
 */
export function normalizeBaseUrl(url: string): string {
  let value = url.trim();
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) value = `http://${value}`;
  value = value.replace(/\/+$/, "");
  value = value.replace(/\/v1$/, "");
  return value;
}

/** Lists the served models. */
export async function listModels(baseUrl: string, signal?: AbortSignal): Promise<ServedModelInfo[]> {
  const response = await send(`${baseUrl}/v1/models`, { signal });
  const body = (await response.json().catch(() => undefined)) as { data?: Array<{ id?: unknown; meta?: { thinking?: unknown } }> } | undefined;
  if (!Array.isArray(body?.data)) throw new ApiError(`${baseUrl}/v1/models did not answer with a model list.`);
  return body.data
    .filter((model) => typeof model.id === "string")
    .map((model) => ({ id: model.id as string, thinking: typeof model.meta?.thinking === "boolean" ? model.meta.thinking : undefined }));
}

/**
 * Posts a chat completion request with `stream: true` and yields its chunks.
 *
 * @throws {ApiError} on an HTTP error, an `error` frame, or an unreachable server. An abort through
 *   `signal` surfaces as the fetch's own `AbortError`, so callers can tell it from a failure.
 */
export async function* streamChatCompletion(baseUrl: string, body: object, signal?: AbortSignal): AsyncGenerator<ChatChunk> {
  const response = await send(`${baseUrl}/v1/chat/completions`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
    body: JSON.stringify({ ...body, stream: true }),
    signal,
  });
  const type = response.headers.get("content-type") ?? "";
  if (!type.includes("text/event-stream")) {
    // A 200 that is not a stream: a proxy page, or a server that ignored `stream`.
    const text = await response.text();
    const wireError = wireErrorOf(safeJson(text));
    throw wireError ? ApiError.fromWire(wireError, response.status) : new ApiError(`Expected an event stream but got ${type || "no content type"}.`);
  }
  if (!response.body) return;
  for await (const frame of readJsonFrames(response.body)) yield frame as ChatChunk;
}

/** `fetch` that turns network failures and HTTP errors into {@link ApiError}s. */
async function send(url: string, init: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    if (init.signal?.aborted) throw error;
    throw new ApiError(`Cannot reach the server at ${new URL(url).origin}: ${networkReason(error)}.`, { cause: error });
  }
  if (response.ok) return response;
  const text = await response.text().catch(() => "");
  const wireError = wireErrorOf(safeJson(text));
  if (wireError) throw ApiError.fromWire(wireError, response.status);
  const snippet = text.trim().split("\n")[0]?.slice(0, 120);
  throw new ApiError(`${response.status} ${response.statusText}${snippet ? `: ${snippet}` : ""}`.trim(), { status: response.status });
}

/** undici hides the useful part (`ECONNREFUSED`) in `cause`. */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code === "ECONNREFUSED") return "connection refused (is `sputnik serve` running?)";
  if (cause?.code === "ENOTFOUND") return "host not found";
  return cause?.message ?? (error as Error).message;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
