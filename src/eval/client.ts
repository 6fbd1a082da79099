/**
 * The evaluation's only way to talk to a model: a streamed `POST {baseUrl}/chat/completions` on any
 * OpenAI-compatible endpoint (Sputnik, DeepSeek, OpenAI, vLLM, Ollama…). Streaming gives the time to
 * first token and the decode rate; `stream_options.include_usage` gives exact token counts where the
 * server supports it (otherwise tokens are estimated from the deltas and marked so).
 *
 * 429 and 5xx answers, dropped connections and error frames are retried with exponential backoff
 * (honouring `Retry-After`); other 4xx answers fail at once, since asking again cannot help.
 */
import { setTimeout as delay } from "node:timers/promises";
import { readSseEvents } from "../chat/sse-client.ts";
import type { TokenUsage } from "./types.ts";

/** Where to send requests. `baseUrl` is what an OpenAI SDK takes as `baseURL` (e.g. `…/v1`). */
export interface Endpoint {
  baseUrl: string;
  model: string;
  apiKey?: string;
}

/** One chat request. */
export interface ChatRequest {
  messages: Array<{ role: "system" | "user" | "assistant"; content: string }>;
  maxTokens: number;
  temperature: number;
  seed?: number;
  signal?: AbortSignal;
}

/** Backoff policy. */
export interface RetryPolicy {
  /** Attempts after the first. Default 4. */
  retries: number;
  /** First backoff; doubled each attempt, with ±25 % jitter. Default 1,000 ms. */
  baseDelayMs: number;
  /** Upper bound of one wait, `Retry-After` included. Default 30,000 ms. */
  maxDelayMs: number;
}

/** Four retries, 1 s doubling to at most 30 s: rides out a rate limit without stalling a run for long. */
export const DEFAULT_RETRY: RetryPolicy = { retries: 4, baseDelayMs: 1000, maxDelayMs: 30_000 };

/** A finished answer with its timings. */
export interface ChatOutcome {
  content: string;
  reasoning: string;
  finishReason: string | null;
  usage: TokenUsage;
  ttftMs: number | null;
  totalMs: number;
  tokensPerSecond: number | null;
  attempts: number;
}

/** A failed request. `retryable` says whether another attempt could succeed. */
export class EndpointError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "EndpointError";
  }
}

interface StreamChunk {
  choices?: Array<{
    delta?: { content?: string | null; reasoning_content?: string | null; reasoning?: string | null };
    message?: { content?: string | null; reasoning_content?: string | null };
    finish_reason?: string | null;
  }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number; completion_tokens_details?: { reasoning_tokens?: number } | null } | null;
  error?: { message?: string; code?: string | number | null };
}

/** `Retry-After` in seconds or as an HTTP date. */
function retryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** One attempt: sends the request and reads the stream to the end. */
export async function chatOnce(endpoint: Endpoint, request: ChatRequest, fetchImpl: typeof fetch = fetch): Promise<Omit<ChatOutcome, "attempts">> {
  const started = performance.now();
  const headers: Record<string, string> = { "content-type": "application/json", accept: "text/event-stream" };
  if (endpoint.apiKey) headers.authorization = `Bearer ${endpoint.apiKey}`;
  const body = {
    model: endpoint.model,
    messages: request.messages,
    stream: true,
    stream_options: { include_usage: true },
    max_tokens: request.maxTokens,
    temperature: request.temperature,
    ...(request.seed === undefined ? {} : { seed: request.seed }),
  };
  let response: Response;
  try {
    response = await fetchImpl(`${endpoint.baseUrl.replace(/\/+$/, "")}/chat/completions`, {
      method: "POST",
      headers,
      body: JSON.stringify(body),
      signal: request.signal,
    });
  } catch (error) {
    if (request.signal?.aborted) throw error;
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new EndpointError(`cannot reach ${endpoint.baseUrl}: ${cause?.code ?? cause?.message ?? (error as Error).message}`, true);
  }
  if (!response.ok) {
    const text = await response.text().catch(() => "");
    const message = (() => {
      try {
        return (JSON.parse(text) as StreamChunk).error?.message ?? text;
      } catch {
        return text;
      }
    })();
    const retryable = response.status === 429 || response.status >= 500;
    throw new EndpointError(`HTTP ${response.status}: ${message.slice(0, 300)}`, retryable, response.status, retryAfter(response.headers.get("retry-after")));
  }

  let content = "";
  let reasoning = "";
  let finishReason: string | null = null;
  let ttftMs: number | null = null;
  let deltas = 0;
  let usage: StreamChunk["usage"];
  const consume = (chunk: StreamChunk) => {
    if (chunk.error) throw new EndpointError(`stream error: ${chunk.error.message ?? "unknown"}`, true);
    const choice = chunk.choices?.[0];
    const text = choice?.delta?.content ?? choice?.message?.content ?? "";
    const thought = choice?.delta?.reasoning_content ?? choice?.delta?.reasoning ?? choice?.message?.reasoning_content ?? "";
    if ((text || thought) && ttftMs === null) ttftMs = performance.now() - started;
    if (text || thought) deltas++;
    content += text;
    reasoning += thought;
    if (choice?.finish_reason) finishReason = choice.finish_reason;
    if (chunk.usage) usage = chunk.usage;
  };
  const type = response.headers.get("content-type") ?? "";
  if (type.includes("text/event-stream") && response.body) {
    // Node's web streams are async-iterable; leaving the loop early cancels the body.
    for await (const event of readSseEvents(response.body as unknown as AsyncIterable<Uint8Array>)) {
      if (event.data === "[DONE]") break;
      try {
        consume(JSON.parse(event.data) as StreamChunk);
      } catch (error) {
        if (error instanceof EndpointError) throw error;
        throw new EndpointError(`malformed stream frame: ${event.data.slice(0, 80)}`, true);
      }
    }
  } else {
    // A server that ignored `stream: true` and answered with one JSON completion.
    consume((await response.json()) as StreamChunk);
  }
  const totalMs = performance.now() - started;
  const completionTokens = usage?.completion_tokens ?? deltas;
  const decodeSeconds = ttftMs === null ? 0 : (totalMs - ttftMs) / 1000;
  return {
    content,
    reasoning,
    finishReason,
    usage: {
      promptTokens: usage?.prompt_tokens ?? 0,
      completionTokens,
      reasoningTokens: usage?.completion_tokens_details?.reasoning_tokens ?? 0,
      estimated: !usage,
    },
    ttftMs,
    totalMs,
    // The first token is excluded: its time is the prompt's, already in TTFT.
    tokensPerSecond: completionTokens > 1 && decodeSeconds > 0 ? (completionTokens - 1) / decodeSeconds : null,
  };
}

/** Options of {@link chatWithRetries}. */
export interface ChatOptions {
  retry?: Partial<RetryPolicy>;
  fetch?: typeof fetch;
  /** Called before each backoff wait (progress display, logs). */
  onRetry?: (error: EndpointError, attempt: number, waitMs: number) => void;
}

/**
 * Sends a chat request, retrying retryable failures with exponential backoff.
 *
 * @throws {EndpointError} when a non-retryable failure happens or the retries run out; the abort
 *   error of `request.signal` when aborted (also during a backoff wait).
 */
export async function chatWithRetries(endpoint: Endpoint, request: ChatRequest, options: ChatOptions = {}): Promise<ChatOutcome> {
  const policy = { ...DEFAULT_RETRY, ...options.retry };
  for (let attempt = 1; ; attempt++) {
    try {
      const outcome = await chatOnce(endpoint, request, options.fetch);
      return { ...outcome, attempts: attempt };
    } catch (error) {
      if (request.signal?.aborted) throw request.signal.reason ?? error;
      if (!(error instanceof EndpointError) || !error.retryable || attempt > policy.retries) throw error;
      const backoff = policy.baseDelayMs * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5);
      const waitMs = Math.min(policy.maxDelayMs, Math.max(backoff, error.retryAfterMs ?? 0));
      options.onRetry?.(error, attempt, waitMs);
      await delay(waitMs, undefined, { signal: request.signal });
    }
  }
}
