/**
 * The internal event stream → OpenAI chat completion wire objects: one response object, or
 * `chat.completion.chunk`s for SSE. DeepSeek's `reasoning_content` sits beside `content`.
 */
import type { FinishReason, GenerationEvent, ModerationNotice, TokenLogprob, Usage } from "../../../core/events.ts";
import { toOpenAIErrorBody } from "../errors.ts";
import { toOpenAIUsage } from "../usage.ts";

/** Identifies this build in `system_fingerprint`. */
export const SYSTEM_FINGERPRINT = "fp_sputnik";

interface WireToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

function toWireLogprob(logprob: TokenLogprob) {
  return {
    token: logprob.token,
    logprob: logprob.logprob,
    bytes: logprob.bytes,
    top_logprobs: logprob.top.map((top) => ({ token: top.token, logprob: top.logprob, bytes: top.bytes })),
  };
}

/** Collects the whole stream into one `chat.completion` object. */
export async function collectChatCompletion(events: AsyncIterable<GenerationEvent>, wantLogprobs: boolean) {
  let id = "";
  let model = "";
  let created = 0;
  let content = "";
  let reasoning = "";
  const toolCalls: WireToolCall[] = [];
  const logprobs: ReturnType<typeof toWireLogprob>[] = [];
  let finishReason: FinishReason = "stop";
  let usage: Usage | undefined;
  let moderation: ModerationNotice | undefined;
  for await (const event of events) {
    switch (event.type) {
      case "start":
        ({ id, model, created } = event);
        break;
      case "reasoning-delta":
        reasoning += event.text;
        break;
      case "text-delta":
        content += event.text;
        if (event.logprobs) logprobs.push(...event.logprobs.map(toWireLogprob));
        break;
      case "tool-call-start":
        toolCalls[event.index] = { id: event.id, type: "function", function: { name: event.name, arguments: "" } };
        break;
      case "tool-call-delta":
        toolCalls[event.index].function.arguments += event.argumentsDelta;
        break;
      case "finish":
        finishReason = event.finishReason;
        usage = event.usage;
        moderation = event.moderation;
        break;
      case "error":
        throw event.error;
    }
  }
  return {
    id,
    object: "chat.completion" as const,
    created,
    model,
    system_fingerprint: SYSTEM_FINGERPRINT,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant" as const,
          // OpenAI answers null content when the turn is only tool calls.
          content: content.length === 0 && toolCalls.length > 0 ? null : content,
          ...(reasoning ? { reasoning_content: reasoning } : {}),
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        logprobs: wantLogprobs ? { content: logprobs } : null,
        finish_reason: finishReason,
        // Sputnik extension: what a policy did to this answer (never silent).
        ...(moderation ? { moderation } : {}),
      },
    ],
    usage: usage ? toOpenAIUsage(usage) : undefined,
  };
}

/** Streams `chat.completion.chunk` objects; an error after the start becomes an `error` frame. */
export async function* chatCompletionChunks(events: AsyncIterable<GenerationEvent>, options: { includeUsage: boolean; wantLogprobs: boolean }) {
  let base = { id: "", object: "chat.completion.chunk" as const, created: 0, model: "", system_fingerprint: SYSTEM_FINGERPRINT };
  const usageField = options.includeUsage ? { usage: null } : {};
  const chunk = (delta: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    ...base,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: null, ...extra }],
    ...usageField,
  });
  for await (const event of events) {
    switch (event.type) {
      case "start":
        base = { ...base, id: event.id, created: event.created, model: event.model };
        yield chunk({ role: "assistant", content: "" });
        break;
      case "reasoning-delta":
        yield chunk({ reasoning_content: event.text });
        break;
      case "text-delta":
        yield chunk(
          { content: event.text },
          options.wantLogprobs && event.logprobs ? { logprobs: { content: event.logprobs.map(toWireLogprob) } } : {},
        );
        break;
      case "tool-call-start":
        yield chunk({ tool_calls: [{ index: event.index, id: event.id, type: "function", function: { name: event.name, arguments: "" } }] });
        break;
      case "tool-call-delta":
        yield chunk({ tool_calls: [{ index: event.index, function: { arguments: event.argumentsDelta } }] });
        break;
      case "tool-call-end":
        break;
      case "finish":
        // Sputnik extension: the policy decision travels on the final chunk's choice.
        yield chunk({}, { finish_reason: event.finishReason, ...(event.moderation ? { moderation: event.moderation } : {}) });
        if (options.includeUsage) yield { ...base, choices: [], usage: toOpenAIUsage(event.usage) };
        break;
      case "error":
        yield toOpenAIErrorBody(event.error);
        return;
    }
  }
}
