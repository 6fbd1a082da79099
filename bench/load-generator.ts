/**
 * The HTTP side of the benchmark: streaming requests against an OpenAI-compatible server with
 * client-side timing (TTFT, chunk arrival times, usage), a closed-loop driver that keeps N requests
 * in flight, and the per-level summary built from what the client saw.
 */
import { analyzeStream, eventCarriesToken, SseTimingParser, type StreamTiming, type TimedSseEvent } from "./sse-timing.ts";
import { median, percentiles, sum, tally, type Percentiles } from "./stats.ts";

export type BenchApi = "chat" | "completions";

export interface BenchRequest {
  api: BenchApi;
  model: string;
  /** Chat messages (api "chat"). */
  messages?: Array<{ role: "system" | "user" | "assistant"; content: string }>;
  /** Prompt text (api "completions"). */
  prompt?: string;
  maxTokens: number;
  /** Keep generating past end-of-sequence so `maxTokens` is the output length. Default true. */
  ignoreEos?: boolean;
  /** Sampling; greedy (temperature 0) when absent, so runs repeat and outputs are comparable. */
  sampling?: { temperature: number; topK?: number; seed?: number };
}

export interface RequestResult {
  /** HTTP status; 0 when no response came (connection error). */
  status: number;
  /** 200, the stream ended with [DONE], no error frame, and usage came. */
  ok: boolean;
  retryAfter: string | null;
  /** performance.now() when the request was sent. */
  sentAt: number;
  /** ms from send to the response headers. */
  headersMs: number | null;
  /** ms from send to the end of the body (or the error). */
  endMs: number;
  timing: StreamTiming | null;
  error: string | null;
}

export interface SendOptions {
  signal?: AbortSignal;
  /** Called with the status as soon as the response headers arrive. */
  onHeaders?: (status: number) => void;
  /** Called when the first chunk with generated text arrives. */
  onFirstToken?: () => void;
  /**
   * Called as token-carrying chunks arrive, with how many have arrived so far and when (the read's
   * time). Lets a scenario act at a given point of a running stream, e.g. after its 20th token.
   */
  onTokenChunks?: (count: number, at: number) => void;
}

export function requestBody(request: BenchRequest): Record<string, unknown> {
  return {
    model: request.model,
    ...(request.api === "chat" ? { messages: request.messages } : { prompt: request.prompt }),
    max_tokens: request.maxTokens,
    temperature: request.sampling?.temperature ?? 0,
    ...(request.sampling?.topK != null ? { top_k: request.sampling.topK } : {}),
    ...(request.sampling?.seed != null ? { seed: request.sampling.seed } : {}),
    stream: true,
    stream_options: { include_usage: true },
    ignore_eos: request.ignoreEos ?? true,
  };
}

/** Sends one streaming request and times it. Never throws: failures are in the result. */
export async function sendStreaming(baseUrl: string, request: BenchRequest, options: SendOptions = {}): Promise<RequestResult> {
  const path = request.api === "chat" ? "/v1/chat/completions" : "/v1/completions";
  const sentAt = performance.now();
  const since = () => performance.now() - sentAt;
  let status = 0;
  let retryAfter: string | null = null;
  let headersMs: number | null = null;
  const events: TimedSseEvent[] = [];
  try {
    const response = await fetch(new URL(path, baseUrl), {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify(requestBody(request)),
      signal: options.signal,
    });
    headersMs = since();
    status = response.status;
    retryAfter = response.headers.get("retry-after");
    options.onHeaders?.(status);
    if (status !== 200 || !response.body) {
      const text = await response.text();
      return { status, ok: false, retryAfter, sentAt, headersMs, endMs: since(), timing: null, error: errorMessage(text, status) };
    }
    const parser = new SseTimingParser();
    const decoder = new TextDecoder();
    const reader = response.body.getReader();
    let sawToken = false;
    let chunks = 0;
    try {
      while (true) {
        const { value, done } = await reader.read();
        const at = performance.now();
        if (done) {
          events.push(...parser.push(decoder.decode(), at), ...parser.end(at));
          break;
        }
        const fresh = parser.push(decoder.decode(value, { stream: true }), at);
        events.push(...fresh);
        if (options.onTokenChunks) {
          const carrying = fresh.filter(eventCarriesToken).length;
          if (carrying > 0) options.onTokenChunks((chunks += carrying), at);
        }
        if (!sawToken && options.onFirstToken && fresh.some(eventCarriesToken)) {
          sawToken = true;
          options.onFirstToken();
        }
      }
    } finally {
      reader.releaseLock();
    }
    const timing = analyzeStream(events, sentAt);
    const error = timing.error ?? (!timing.done ? "stream ended without [DONE]" : !timing.usage ? "no usage frame" : null);
    return { status, ok: error === null, retryAfter, sentAt, headersMs, endMs: since(), timing, error };
  } catch (error) {
    const aborted = options.signal?.aborted ?? false;
    return {
      status,
      ok: false,
      retryAfter,
      sentAt,
      headersMs,
      endMs: since(),
      timing: events.length > 0 ? analyzeStream(events, sentAt) : null,
      error: aborted ? "aborted" : `${(error as Error).message}${(error as Error & { cause?: Error }).cause ? `: ${(error as Error & { cause: Error }).cause.message}` : ""}`,
    };
  }
}

function errorMessage(text: string, status: number): string {
  try {
    const body = JSON.parse(text) as { error?: { message?: string } };
    if (body.error?.message) return `${status}: ${body.error.message}`;
  } catch {
    // not JSON
  }
  return `${status}: ${text.slice(0, 120)}`;
}

/**
 * Closed loop: `concurrency` workers each send a request, wait for it to finish and send the next,
 * until `total` have been sent. `wallMs` runs from the first send to the last completion.
 */
export async function runClosedLoop(
  concurrency: number,
  total: number,
  send: (index: number) => Promise<RequestResult>,
): Promise<{ results: RequestResult[]; wallMs: number; startedAt: number }> {
  const results: RequestResult[] = new Array(total);
  let next = 0;
  const startedAt = performance.now();
  const worker = async () => {
    while (next < total) {
      const index = next++;
      results[index] = await send(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  return { results, wallMs: performance.now() - startedAt, startedAt };
}

/** What the client measured at one concurrency level. */
export interface LevelMeasurement {
  concurrency: number;
  requests: number;
  completed: number;
  errors: number;
  /** Every outcome: HTTP status, "stream-error" or "network". */
  statusCodes: Record<string, number>;
  /** A few distinct error messages. */
  errorSamples: string[];
  wallMs: number;
  promptTokensMean: number | null;
  completionTokens: number;
  cachedTokens: number;
  /** Completed requests that generated tokens but streamed no text (whitespace or special tokens the server holds back): no TTFT. */
  silentStreams: number;
  ttftMs: Percentiles;
  /**
   * Send → response headers. Sputnik answers headers when the generation has started (slot taken,
   * prompt prepared), so this is the admission part of TTFT; the rest is prefill.
   */
  headersMs: Percentiles;
  /** Gaps between token-carrying SSE chunks, all streams pooled. */
  itlMs: Percentiles;
  /** Completion tokens of the level / wall time. */
  aggregateTps: number | null;
  /** Median over requests of (completion tokens - 1) / (last - first token chunk). */
  perStreamTps: number | null;
  /** Every request, in send order; times in ms (`sentMs` from the level's start, the rest from the send). */
  samples: RequestSample[];
}

export interface RequestSample {
  outcome: string;
  sentMs: number;
  headersMs: number | null;
  firstTokenMs: number | null;
  lastTokenMs: number | null;
  endMs: number;
  promptTokens: number | null;
  completionTokens: number | null;
  cachedTokens: number | null;
  chunks: number;
}

const ms = (value: number | null | undefined) => (value == null ? null : Math.round(value * 10) / 10);

export function sampleOf(result: RequestResult, levelStart: number): RequestSample {
  const usage = result.timing?.usage;
  return {
    outcome: outcomeOf(result),
    sentMs: ms(result.sentAt - levelStart) as number,
    headersMs: ms(result.headersMs),
    firstTokenMs: ms(result.timing?.firstTokenMs),
    lastTokenMs: ms(result.timing?.lastTokenMs),
    endMs: ms(result.endMs) as number,
    promptTokens: usage?.promptTokens ?? null,
    completionTokens: usage?.completionTokens ?? null,
    cachedTokens: usage?.cachedTokens ?? null,
    chunks: result.timing?.tokenChunkMs.length ?? 0,
  };
}

export function outcomeOf(result: RequestResult): string {
  if (result.status === 0) return "network";
  if (result.status === 200 && !result.ok) return "stream-error";
  return String(result.status);
}

export function summarizeLevel(concurrency: number, results: readonly RequestResult[], wallMs: number, startedAt?: number): LevelMeasurement {
  const levelStart = startedAt ?? Math.min(...results.map((r) => r.sentAt));
  const ok = results.filter((r) => r.ok && r.timing?.usage);
  const timings = ok.map((r) => r.timing as StreamTiming);
  const completionTokens = sum(timings.map((t) => t.usage?.completionTokens ?? 0));
  const streamRates = timings.flatMap((t) => {
    const n = t.usage?.completionTokens ?? 0;
    const span = (t.lastTokenMs ?? 0) - (t.firstTokenMs ?? 0);
    return n >= 2 && span > 0 ? [((n - 1) * 1000) / span] : [];
  });
  const prompts = timings.map((t) => t.usage?.promptTokens ?? 0);
  return {
    concurrency,
    requests: results.length,
    completed: ok.length,
    errors: results.length - ok.length,
    statusCodes: tally(results.map(outcomeOf)),
    errorSamples: [...new Set(results.flatMap((r) => (r.error ? [r.error] : [])))].slice(0, 3),
    wallMs,
    promptTokensMean: prompts.length > 0 ? sum(prompts) / prompts.length : null,
    completionTokens,
    cachedTokens: sum(timings.map((t) => t.usage?.cachedTokens ?? 0)),
    silentStreams: timings.filter((t) => (t.usage?.completionTokens ?? 0) > 0 && t.tokenChunkMs.length === 0).length,
    ttftMs: percentiles(timings.flatMap((t) => (t.firstTokenMs == null ? [] : [t.firstTokenMs]))),
    headersMs: percentiles(ok.flatMap((r) => (r.headersMs == null ? [] : [r.headersMs]))),
    itlMs: percentiles(timings.flatMap((t) => t.interChunkMs)),
    aggregateTps: wallMs > 0 ? (completionTokens * 1000) / wallMs : null,
    perStreamTps: median(streamRates),
    samples: results.map((r) => sampleOf(r, levelStart)),
  };
}

/** GET a JSON document; throws on non-2xx. */
export async function getJson<T>(baseUrl: string, path: string): Promise<T> {
  const response = await fetch(new URL(path, baseUrl));
  if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

/** The first model a server lists (`/v1/models`). */
export async function firstServedModel(baseUrl: string): Promise<string> {
  const models = await getJson<{ data?: Array<{ id: string }> }>(baseUrl, "/v1/models");
  const id = models.data?.[0]?.id;
  if (!id) throw new Error(`${baseUrl} serves no model`);
  return id;
}
