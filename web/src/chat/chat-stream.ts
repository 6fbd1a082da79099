/**
 * One answer streaming from `POST /v1/chat/completions`: a pure reducer from chunks to the
 * answer's state (text, reasoning, timings, usage, how it ended), so the UI and the tests share it.
 */
import type { AnswerDetails, ModerationNotice, TokenUsage } from "../api/client.ts";

export interface AnswerState {
  content: string;
  reasoning: string;
  /** Epoch ms the request was sent. */
  startedAt: number;
  firstTokenAt?: number;
  reasoningStartedAt?: number;
  /** When the first answer token after reasoning arrived (the reasoning's end). */
  reasoningEndedAt?: number;
  endedAt?: number;
  completionId?: string;
  finishReason?: AnswerDetails["finish_reason"];
  usage?: TokenUsage;
  moderation?: ModerationNotice;
  error?: string;
}

/** The subset of a `chat.completion.chunk` (or error frame) the app reads. */
export interface ChatChunk {
  id?: string;
  choices?: Array<{
    delta?: { content?: string | null; reasoning_content?: string | null; moderation?: ModerationNotice };
    finish_reason?: string | null;
    moderation?: ModerationNotice;
  }>;
  usage?: {
    prompt_tokens?: number;
    completion_tokens?: number;
    prompt_tokens_details?: { cached_tokens?: number } | null;
    completion_tokens_details?: { reasoning_tokens?: number } | null;
  } | null;
  /** Sputnik moderation: what the policy decided, on the chunk that carries the decision. */
  moderation?: ModerationNotice;
  error?: { message?: string; code?: string | null };
}

export function startAnswer(now: number): AnswerState {
  return { content: "", reasoning: "", startedAt: now };
}

const FINISH_REASONS = new Set(["stop", "length", "tool_calls", "content_filter"]);

export function applyChunk(state: AnswerState, chunk: ChatChunk, now: number): AnswerState {
  if (chunk.error) return { ...state, error: chunk.error.message ?? "The stream failed.", finishReason: "error", endedAt: now };
  const next: AnswerState = { ...state };
  if (chunk.id && !next.completionId) next.completionId = chunk.id;
  const choice = chunk.choices?.[0];
  const reasoning = choice?.delta?.reasoning_content;
  const content = choice?.delta?.content;
  if (reasoning) {
    next.firstTokenAt ??= now;
    next.reasoningStartedAt ??= now;
    next.reasoning += reasoning;
  }
  if (content) {
    next.firstTokenAt ??= now;
    if (next.reasoningStartedAt !== undefined) next.reasoningEndedAt ??= now;
    next.content += content;
  }
  const moderation = chunk.moderation ?? choice?.moderation ?? choice?.delta?.moderation;
  if (moderation) next.moderation = moderation;
  if (choice?.finish_reason && FINISH_REASONS.has(choice.finish_reason)) {
    next.finishReason = choice.finish_reason as AnswerState["finishReason"];
  }
  if (chunk.usage) {
    next.usage = {
      prompt_tokens: chunk.usage.prompt_tokens ?? 0,
      cached_tokens: chunk.usage.prompt_tokens_details?.cached_tokens ?? 0,
      reasoning_tokens: chunk.usage.completion_tokens_details?.reasoning_tokens ?? 0,
      completion_tokens: chunk.usage.completion_tokens ?? 0,
    };
  }
  return next;
}

/** Closes the answer: how it ended (a stop by the user wins over a missing finish reason). */
export function finishAnswer(state: AnswerState, now: number, how: { stopped?: boolean; error?: string } = {}): AnswerState {
  const next: AnswerState = { ...state, endedAt: state.endedAt ?? now };
  if (how.error) return { ...next, error: how.error, finishReason: "error" };
  if (how.stopped && next.finishReason === undefined) return { ...next, finishReason: "stopped" };
  if (next.finishReason === undefined && next.error === undefined) next.finishReason = "stop";
  if (next.reasoningStartedAt !== undefined) next.reasoningEndedAt ??= next.endedAt;
  return next;
}

/** Milliseconds of reasoning so far (or in total, once it ended). */
export function reasoningMs(state: Pick<AnswerState, "reasoningStartedAt" | "reasoningEndedAt">, now: number): number | undefined {
  if (state.reasoningStartedAt === undefined) return undefined;
  return (state.reasoningEndedAt ?? now) - state.reasoningStartedAt;
}

/**
 * The details stored with the answer. `maxTokens` tells a `length` finish that hit the requested
 * limit from one that ran out of context.
 */
export function toDetails(state: AnswerState, options: { maxTokens?: number } = {}): AnswerDetails {
  const details: AnswerDetails = { finish_reason: state.finishReason ?? "stop" };
  if (state.completionId) details.completion_id = state.completionId;
  if (state.usage) details.usage = state.usage;
  if (state.firstTokenAt !== undefined) details.ttft_ms = state.firstTokenAt - state.startedAt;
  if (state.endedAt !== undefined) details.duration_ms = state.endedAt - state.startedAt;
  const thought = reasoningMs(state, state.endedAt ?? state.startedAt);
  if (thought !== undefined) details.reasoning_ms = thought;
  if (state.usage && state.firstTokenAt !== undefined && state.endedAt !== undefined) {
    const seconds = (state.endedAt - state.firstTokenAt) / 1000;
    // The first token arrives at firstTokenAt; the rate counts the ones after it.
    if (seconds > 0 && state.usage.completion_tokens > 1) details.tokens_per_second = (state.usage.completion_tokens - 1) / seconds;
  }
  if (state.finishReason === "length") {
    const limit = options.maxTokens;
    details.length_cause = limit !== undefined && state.usage !== undefined && state.usage.completion_tokens < limit ? "context" : limit === undefined ? "context" : "max_tokens";
  }
  if (state.moderation) details.moderation = state.moderation;
  if (state.error) details.error = state.error;
  return details;
}
