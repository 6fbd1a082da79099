/** OpenAI/DeepSeek chat wire request → the internal `ChatRequest`. Pure; throws 400s with `param`. */
import { invalidRequest } from "../../../core/errors.ts";
import type { ChatMessage, ChatRequest, ResponseFormat, SamplingOptions, ToolChoice } from "../../../core/request.ts";
import { fromZodError } from "../zod-error.ts";
import { chatCompletionRequestSchema, type ChatCompletionRequestBody, type WireChatMessage } from "./schema.ts";

/**
 * Reasoning tokens allowed per `reasoning_effort` before `</think>` is forced. "minimal" turns
 * thinking off; "high" (and no value) leaves the model to decide, bounded only by max_tokens.
 */
export const REASONING_EFFORT_BUDGETS = { low: 512, medium: 2048 } as const;

export interface RequestContext {
  id: string;
  clientId: string;
}

/** The internal request plus how the client wants the answer delivered. */
export interface WireDelivery<R> {
  request: R;
  stream: boolean;
  includeUsage: boolean;
}

export function toChatRequest(body: unknown, context: RequestContext): WireDelivery<ChatRequest> {
  const parsed = chatCompletionRequestSchema.safeParse(body);
  if (!parsed.success) throw fromZodError(parsed.error);
  const wire = parsed.data;
  const messages = wire.messages.map((message, index) => toMessage(message, index, wire.messages.length));
  const last = wire.messages[wire.messages.length - 1];
  const continueFinalMessage = last.role === "assistant" && last.prefix === true;
  if (wire.top_logprobs != null && wire.top_logprobs > 0 && !wire.logprobs) {
    throw invalidRequest("top_logprobs requires logprobs to be true.", "top_logprobs");
  }
  const tools = (wire.tools ?? []).map((tool) => ({
    name: tool.function.name,
    description: tool.function.description ?? undefined,
    parameters: tool.function.parameters ?? {},
  }));
  const toolChoice = toToolChoice(wire, tools.length);
  const { thinking, reasoningBudget } = toThinking(wire);
  const request: ChatRequest = {
    kind: "chat",
    id: context.id,
    clientId: context.clientId,
    model: wire.model,
    messages,
    continueFinalMessage,
    thinking,
    reasoningBudget,
    sampling: toSampling(wire),
    maxTokens: wire.max_completion_tokens ?? wire.max_tokens ?? undefined,
    stop: wire.stop,
    ignoreEos: wire.ignore_eos ?? false,
    logprobs: wire.logprobs ? { top: wire.top_logprobs ?? 0 } : undefined,
    responseFormat: toResponseFormat(wire),
    tools,
    toolChoice,
  };
  return { request, stream: wire.stream ?? false, includeUsage: wire.stream_options?.include_usage ?? false };
}

function toMessage(message: WireChatMessage, index: number, count: number): ChatMessage {
  const text = (content: WireChatMessage["content"]): string =>
    content == null ? "" : typeof content === "string" ? content : content.map((part) => part.text).join("");
  switch (message.role) {
    case "system":
    case "developer":
      // "developer" is OpenAI's newer name for system instructions; templates know "system".
      return { role: "system", content: text(message.content) };
    case "user":
      return { role: "user", content: text(message.content), name: message.name ?? undefined };
    case "tool":
      return { role: "tool", content: text(message.content), toolCallId: message.tool_call_id };
    case "assistant": {
      if (message.prefix && index !== count - 1) {
        throw invalidRequest("prefix: true is only allowed on the last message.", `messages.${index}.prefix`);
      }
      const toolCalls = message.tool_calls?.map((call) => ({ id: call.id, name: call.function.name, arguments: call.function.arguments }));
      if (!message.content && !toolCalls?.length && !message.prefix) {
        throw invalidRequest("An assistant message needs content or tool_calls.", `messages.${index}.content`);
      }
      // reasoning_content of earlier turns is deliberately dropped (DeepSeek's multi-turn rule).
      return { role: "assistant", content: text(message.content), toolCalls };
    }
  }
}

function toToolChoice(wire: ChatCompletionRequestBody, toolCount: number): ToolChoice {
  const choice = wire.tool_choice;
  if (choice == null) return "auto";
  if (typeof choice === "string") {
    if (choice === "required" && toolCount === 0) throw invalidRequest('tool_choice "required" needs at least one tool in tools.', "tool_choice");
    return choice;
  }
  if (toolCount === 0) throw invalidRequest("tool_choice names a function but tools is empty.", "tool_choice");
  return { name: choice.function.name };
}

function toThinking(wire: ChatCompletionRequestBody): { thinking?: boolean; reasoningBudget?: number } {
  let thinking: boolean | undefined;
  if (wire.thinking) thinking = wire.thinking.type === "enabled";
  else if (wire.chat_template_kwargs?.enable_thinking !== undefined) thinking = wire.chat_template_kwargs.enable_thinking;
  const effort = wire.reasoning_effort;
  if (effort === "minimal") return { thinking: false };
  const budget = effort === "low" || effort === "medium" ? REASONING_EFFORT_BUDGETS[effort] : undefined;
  return { thinking, reasoningBudget: thinking === false ? undefined : budget };
}

function toResponseFormat(wire: ChatCompletionRequestBody): ResponseFormat {
  const format = wire.response_format;
  if (!format || format.type === "text") return { type: "text" };
  if (format.type === "json_object") return { type: "json_object" };
  const schema = format.json_schema.schema;
  // No schema means "any JSON", which is json_object.
  if (!schema || Object.keys(schema).length === 0) return { type: "json_object" };
  return { type: "json_schema", name: format.json_schema.name, schema };
}

export function toSampling(wire: {
  temperature?: number | null;
  top_p?: number | null;
  top_k?: number | null;
  min_p?: number | null;
  seed?: number | null;
  presence_penalty?: number | null;
  frequency_penalty?: number | null;
  logit_bias?: Record<string, number> | null;
}): SamplingOptions {
  const logitBias = wire.logit_bias ? Object.fromEntries(Object.entries(wire.logit_bias).map(([token, bias]) => [Number(token), bias])) : undefined;
  return {
    temperature: wire.temperature ?? 1,
    topP: wire.top_p ?? undefined,
    topK: wire.top_k ?? undefined,
    minP: wire.min_p ?? undefined,
    seed: wire.seed ?? undefined,
    presencePenalty: wire.presence_penalty ?? undefined,
    frequencyPenalty: wire.frequency_penalty ?? undefined,
    logitBias,
  };
}
