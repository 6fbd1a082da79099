/**
 * The one internal event stream. The pipeline yields these; every wire format (OpenAI SSE,
 * JSON responses, the terminal chat) and every observer (ledger, metrics) reads the same stream.
 */
import type { SputnikError } from "./errors.ts";

export type FinishReason = "stop" | "length" | "tool_calls" | "content_filter";

export interface TokenLogprob {
  token: string;
  logprob: number;
  bytes: number[];
  top: Array<{ token: string; logprob: number; bytes: number[] }>;
}

export interface Usage {
  promptTokens: number;
  /** Prompt tokens whose evaluation was skipped thanks to the prefix cache. */
  cachedPromptTokens: number;
  completionTokens: number;
  /** Completion tokens spent inside the reasoning block. */
  reasoningTokens: number;
}

export interface Timings {
  /** ms from admission to the queue until the first generated token. */
  timeToFirstTokenMs: number;
  /** ms spent waiting for a slot. */
  queueMs: number;
  totalMs: number;
}

export type GenerationEvent =
  | { type: "start"; id: string; model: string; created: number; promptTokens: number }
  | { type: "reasoning-delta"; text: string }
  | { type: "text-delta"; text: string; logprobs?: TokenLogprob[] }
  | { type: "tool-call-start"; index: number; id: string; name: string }
  | { type: "tool-call-delta"; index: number; argumentsDelta: string }
  | { type: "tool-call-end"; index: number }
  | { type: "finish"; finishReason: FinishReason; usage: Usage; timings: Timings }
  | { type: "error"; error: SputnikError };
