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

/** What the moderation gate decided, sent to the client — moderation is never silent. */
export interface ModerationNotice {
  policy: string;
  rule: string;
  action: "annotate" | "redact" | "block";
  reason: string;
}

/** How a generation ended, for the ledger, metrics and logs; reported exactly once per request. */
export interface GenerationOutcome {
  /** `rejected`: refused before it ran (auth, limits, policy); `cancelled`: the client went away. */
  status: "completed" | "cancelled" | "failed" | "rejected";
  /** Tokens so far — also for cancelled and failed generations, so they are billed what they used. */
  usage: Usage;
  finishReason?: FinishReason;
  timings?: Timings;
  error?: SputnikError;
}

export type GenerationEvent =
  | { type: "start"; id: string; model: string; created: number; promptTokens: number }
  | { type: "reasoning-delta"; text: string }
  | { type: "text-delta"; text: string; logprobs?: TokenLogprob[] }
  | { type: "tool-call-start"; index: number; id: string; name: string }
  | { type: "tool-call-delta"; index: number; argumentsDelta: string }
  | { type: "tool-call-end"; index: number }
  | { type: "moderation"; notice: ModerationNotice }
  | { type: "finish"; finishReason: FinishReason; usage: Usage; timings: Timings; moderation?: ModerationNotice }
  | { type: "error"; error: SputnikError };
