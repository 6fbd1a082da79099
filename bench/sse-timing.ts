/**
 * Server-sent events with arrival times, and what a benchmark reads from an OpenAI token stream:
 * when each token-carrying chunk arrived, the usage frame, and error frames.
 *
 * The parser is fed decoded text as it arrives from the socket, each piece stamped with its
 * arrival time; every event takes the time of the piece that completed it (the blank line), which
 * is when a client could first have acted on it. Several events in one read share a time.
 */

export interface TimedSseEvent {
  /** The `data:` lines of the event, joined with "\n". */
  data: string;
  /** Arrival time of the piece that completed the event (same clock as the caller's). */
  at: number;
}

/** Incremental SSE parser (the subset OpenAI-style servers use: `data:` fields, comments, CRLF or LF). */
export class SseTimingParser {
  #buffer = "";
  #data: string[] = [];
  #hasData = false;

  push(text: string, at: number): TimedSseEvent[] {
    this.#buffer += text;
    const events: TimedSseEvent[] = [];
    let newline: number;
    while ((newline = this.#nextLineEnd()) >= 0) {
      let line = this.#buffer.slice(0, newline);
      const skip = this.#buffer[newline] === "\r" && this.#buffer[newline + 1] === "\n" ? 2 : 1;
      this.#buffer = this.#buffer.slice(newline + skip);
      if (line.endsWith("\r")) line = line.slice(0, -1);
      if (line === "") {
        if (this.#hasData) events.push({ data: this.#data.join("\n"), at });
        this.#data = [];
        this.#hasData = false;
        continue;
      }
      if (line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "data") {
        this.#data.push(value);
        this.#hasData = true;
      }
    }
    return events;
  }

  /** End of stream: an event not closed by a blank line is dispatched anyway (lenient). */
  end(at: number): TimedSseEvent[] {
    const events = this.#buffer.length > 0 ? this.push("\n\n", at) : [];
    if (this.#hasData) events.push({ data: this.#data.join("\n"), at });
    this.#data = [];
    this.#hasData = false;
    this.#buffer = "";
    return events;
  }

  /** Index of the next line terminator; a lone "\r" at the very end may still be half of "\r\n". */
  #nextLineEnd(): number {
    for (let i = 0; i < this.#buffer.length; i++) {
      const c = this.#buffer[i];
      if (c === "\n") return i;
      if (c === "\r") return i + 1 < this.#buffer.length ? i : -1;
    }
    return -1;
  }
}

export interface StreamUsage {
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
}

/** What one streamed completion looked like from the client. Times are ms since the request was sent. */
export interface StreamTiming {
  /** Arrival of the first chunk with content, reasoning content, completion text or a tool call. */
  firstTokenMs: number | null;
  lastTokenMs: number | null;
  /** Arrival times of every token-carrying chunk, in order. */
  tokenChunkMs: number[];
  /** Gaps between consecutive token-carrying chunks. */
  interChunkMs: number[];
  usage: StreamUsage | null;
  /** The generated text (content, or completion text), concatenated; reasoning and tool calls left out. */
  text: string;
  finishReason: string | null;
  /** `[DONE]` was seen. */
  done: boolean;
  /** Message of an error frame (`{"error": …}`) or of an unparsable frame. */
  error: string | null;
}

/** Reads timing and usage out of an OpenAI chat-completion or completion SSE stream. */
export function analyzeStream(events: readonly TimedSseEvent[], sentAt: number): StreamTiming {
  const tokenChunkMs: number[] = [];
  let usage: StreamUsage | null = null;
  let finishReason: string | null = null;
  let text = "";
  let done = false;
  let error: string | null = null;
  for (const event of events) {
    if (event.data.trim() === "[DONE]") {
      done = true;
      continue;
    }
    let frame: WireFrame;
    try {
      frame = JSON.parse(event.data) as WireFrame;
    } catch {
      error ??= `unparsable SSE frame: ${event.data.slice(0, 80)}`;
      continue;
    }
    if (frame.error) {
      error ??= frame.error.message ?? JSON.stringify(frame.error);
      continue;
    }
    const choice = frame.choices?.[0];
    if (choice && carriesToken(choice)) tokenChunkMs.push(event.at - sentAt);
    text += choice?.delta?.content ?? choice?.text ?? "";
    if (choice?.finish_reason) finishReason = choice.finish_reason;
    if (frame.usage) {
      usage = {
        promptTokens: frame.usage.prompt_tokens ?? 0,
        completionTokens: frame.usage.completion_tokens ?? 0,
        cachedTokens: frame.usage.prompt_tokens_details?.cached_tokens ?? frame.usage.prompt_cache_hit_tokens ?? 0,
      };
    }
  }
  const interChunkMs: number[] = [];
  for (let i = 1; i < tokenChunkMs.length; i++) interChunkMs.push(tokenChunkMs[i] - tokenChunkMs[i - 1]);
  return {
    firstTokenMs: tokenChunkMs[0] ?? null,
    lastTokenMs: tokenChunkMs.length > 0 ? tokenChunkMs[tokenChunkMs.length - 1] : null,
    tokenChunkMs,
    interChunkMs,
    usage,
    text,
    finishReason,
    done,
    error,
  };
}

interface WireChoice {
  delta?: { content?: string | null; reasoning_content?: string | null; tool_calls?: unknown[] | null };
  text?: string | null;
  finish_reason?: string | null;
}

interface WireFrame {
  choices?: WireChoice[];
  usage?: {
    prompt_tokens?: number;
    completion_tokens?: number;
    prompt_tokens_details?: { cached_tokens?: number } | null;
    prompt_cache_hit_tokens?: number;
  } | null;
  error?: { message?: string };
}

/** Whether one SSE event is a chunk that carries generated text (cheap pre-check, then a parse). */
export function eventCarriesToken(event: TimedSseEvent): boolean {
  if (!event.data.includes('"choices"')) return false;
  try {
    const choice = (JSON.parse(event.data) as WireFrame).choices?.[0];
    return choice ? carriesToken(choice) : false;
  } catch {
    return false;
  }
}

function carriesToken(choice: WireChoice): boolean {
  const delta = choice.delta;
  if (delta) return !!delta.content || !!delta.reasoning_content || (delta.tool_calls?.length ?? 0) > 0;
  return !!choice.text;
}
