/** The internal event stream → OpenAI `text_completion` objects (whole, or SSE chunks). */
import type { FinishReason, GenerationEvent, ModerationNotice, TokenLogprob, Usage } from "../../../core/events.ts";
import { SYSTEM_FINGERPRINT } from "../chat/from-events.ts";
import { toOpenAIErrorBody } from "../errors.ts";
import { toOpenAIUsage } from "../usage.ts";

/** The legacy logprobs shape: parallel arrays, top alternatives as `{token: logprob}` maps. */
class LegacyLogprobs {
  tokens: string[] = [];
  token_logprobs: number[] = [];
  top_logprobs: Array<Record<string, number>> = [];
  text_offset: number[] = [];

  add(logprobs: TokenLogprob[], offset: number): number {
    for (const lp of logprobs) {
      this.tokens.push(lp.token);
      this.token_logprobs.push(lp.logprob);
      this.top_logprobs.push(Object.fromEntries(lp.top.map((top) => [top.token, top.logprob])));
      this.text_offset.push(offset);
      offset += lp.token.length;
    }
    return offset;
  }
}

export async function collectCompletion(events: AsyncIterable<GenerationEvent>, options: { echo?: string; wantLogprobs: boolean }) {
  let id = "";
  let model = "";
  let created = 0;
  let text = options.echo ?? "";
  let finishReason: FinishReason = "stop";
  let usage: Usage | undefined;
  let moderation: ModerationNotice | undefined;
  const logprobs = new LegacyLogprobs();
  let offset = text.length;
  for await (const event of events) {
    if (event.type === "start") ({ id, model, created } = event);
    else if (event.type === "text-delta") {
      text += event.text;
      if (event.logprobs) offset = logprobs.add(event.logprobs, offset);
    } else if (event.type === "finish") {
      finishReason = event.finishReason;
      usage = event.usage;
      moderation = event.moderation;
    } else if (event.type === "error") throw event.error;
  }
  return {
    id,
    object: "text_completion" as const,
    created,
    model,
    system_fingerprint: SYSTEM_FINGERPRINT,
    // Sputnik extension: `moderation` on the choice says what a policy did to this answer.
    choices: [{ index: 0, text, logprobs: options.wantLogprobs ? logprobs : null, finish_reason: finishReason, ...(moderation ? { moderation } : {}) }],
    usage: usage ? toOpenAIUsage(usage) : undefined,
  };
}

export async function* completionChunks(events: AsyncIterable<GenerationEvent>, options: { echo?: string; includeUsage: boolean; wantLogprobs: boolean }) {
  let base = { id: "", object: "text_completion" as const, created: 0, model: "", system_fingerprint: SYSTEM_FINGERPRINT };
  const usageField = options.includeUsage ? { usage: null } : {};
  let offset = 0;
  const chunk = (text: string, finishReason: FinishReason | null, logprobs: LegacyLogprobs | null = null, moderation?: ModerationNotice) => ({
    ...base,
    choices: [{ index: 0, text, logprobs, finish_reason: finishReason, ...(moderation ? { moderation } : {}) }],
    ...usageField,
  });
  for await (const event of events) {
    if (event.type === "start") {
      base = { ...base, id: event.id, created: event.created, model: event.model };
      if (options.echo) {
        yield chunk(options.echo, null);
        offset = options.echo.length;
      }
    } else if (event.type === "text-delta") {
      let logprobs: LegacyLogprobs | null = null;
      if (options.wantLogprobs && event.logprobs) {
        logprobs = new LegacyLogprobs();
        logprobs.add(event.logprobs, offset);
      }
      offset += event.text.length;
      yield chunk(event.text, null, logprobs);
    } else if (event.type === "finish") {
      yield chunk("", event.finishReason, null, event.moderation);
      if (options.includeUsage) yield { ...base, choices: [], usage: toOpenAIUsage(event.usage) };
    } else if (event.type === "error") {
      yield toOpenAIErrorBody(event.error);
      return;
    }
  }
}
