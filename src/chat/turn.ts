/**
 * One answer: consume the chunk stream, feed the view as deltas arrive, measure the timings the
 * status line reports, and say how the answer ended (finished, interrupted or failed).
 */
import { ApiError } from "./api-error.ts";
import type { ChatChunk, ChatUsage, Moderation } from "./api.ts";
import { formatModeration, formatStatus, type ChatView } from "./render.ts";

export interface TurnResult {
  /** The answer text (no reasoning); what the conversation remembers. */
  content: string;
  reasoning: string;
  finishReason?: string;
  usage?: ChatUsage;
  /** Ctrl-C stopped it. */
  aborted: boolean;
  /** It failed (HTTP error, error frame, lost connection). */
  error?: ApiError;
}

export interface RunTurnOptions {
  /** The chunk stream, already bound to `signal`. */
  chunks: AsyncIterable<ChatChunk>;
  signal: AbortSignal;
  view: ChatView;
  /** Milliseconds clock; `performance.now` unless a test fixes time. */
  now?: () => number;
}

/** Streams one answer to the view. Never throws: failures come back in {@link TurnResult.error}. */
export async function runTurn({ chunks, signal, view, now = () => performance.now() }: RunTurnOptions): Promise<TurnResult> {
  const startedAt = now();
  let firstTokenAt: number | undefined;
  let lastTokenAt: number | undefined;
  let firstReasoningAt: number | undefined;
  let content = "";
  let reasoning = "";
  let finishReason: string | undefined;
  let usage: ChatUsage | undefined;
  let moderation: Moderation | undefined;

  try {
    for await (const chunk of chunks) {
      if (chunk.usage) usage = chunk.usage;
      moderation = chunk.moderation ?? moderation;
      const choice = chunk.choices?.[0];
      if (!choice) continue;
      moderation = choice.moderation ?? moderation;
      if (choice.finish_reason) finishReason = choice.finish_reason;
      const thought = choice.delta?.reasoning_content;
      const said = choice.delta?.content;
      // The opening chunk carries `content: ""`: only real text counts as a token.
      if (thought || said) {
        lastTokenAt = now();
        firstTokenAt ??= lastTokenAt;
      }
      if (thought) {
        firstReasoningAt ??= lastTokenAt;
        reasoning += thought;
        view.reasoning(thought);
      }
      if (said) {
        // Only the first content delta after reasoning shows the duration; later ones ignore it.
        const thoughtMs = content === "" && firstReasoningAt !== undefined ? (lastTokenAt as number) - firstReasoningAt : undefined;
        content += said;
        view.content(said, thoughtMs);
      }
    }
  } catch (error) {
    if (signal.aborted) {
      view.interrupted();
      return { content, reasoning, finishReason, usage, aborted: true };
    }
    const apiError = error instanceof ApiError ? error : new ApiError(`The connection to the server was lost (${(error as Error).message}).`, { cause: error });
    view.failed();
    return { content, reasoning, finishReason, usage, aborted: false, error: apiError };
  }

  const notices: string[] = [];
  if (finishReason === "length") notices.push("[stopped at the token limit]");
  if (finishReason === "content_filter") notices.push(formatModeration(moderation));
  const completion = usage?.completion_tokens;
  const decodeMs = firstTokenAt !== undefined && lastTokenAt !== undefined ? lastTokenAt - firstTokenAt : 0;
  // The first token's time is in time-to-first-token; the rate covers the tokens after it.
  const tokensPerSecond = completion !== undefined && completion > 1 && decodeMs > 0 ? ((completion - 1) * 1000) / decodeMs : undefined;
  const status = formatStatus({ usage, tokensPerSecond, timeToFirstTokenMs: firstTokenAt !== undefined ? firstTokenAt - startedAt : undefined });
  view.endTurn(notices, status);
  return { content, reasoning, finishReason, usage, aborted: false };
}
