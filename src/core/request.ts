/**
 * The one internal generation request. Protocol adapters translate their wire format into this;
 * nothing below the adapters knows about HTTP, OpenAI or DeepSeek field names.
 */

export type MessageRole = "system" | "user" | "assistant" | "tool";

export interface ToolCall {
  id: string;
  name: string;
  /** JSON text, exactly as the model produced it (or the client sent it back). */
  arguments: string;
}

export interface ChatMessage {
  role: MessageRole;
  content: string;
  /** Participant name (OpenAI `name`); kept for templates that use it. */
  name?: string;
  /** Assistant tool calls of an earlier turn. */
  toolCalls?: ToolCall[];
  /** For `tool` messages: the call this answers. */
  toolCallId?: string;
}

export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the arguments object. */
  parameters: Record<string, unknown>;
}

export type ToolChoice = "auto" | "none" | "required" | { name: string };

export type ResponseFormat =
  | { type: "text" }
  | { type: "json_object" }
  | { type: "json_schema"; name: string; schema: Record<string, unknown> };

export interface SamplingOptions {
  /** 0 means greedy. Defaults to 1 (OpenAI's default). */
  temperature: number;
  topP?: number;
  topK?: number;
  minP?: number;
  seed?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  /** token id → logit bias; -100 bans the token. */
  logitBias?: Record<number, number>;
}

interface BaseRequest {
  /** Request id, used in responses and logs. */
  id: string;
  /** Model id as served (the `--model` id). */
  model: string;
  sampling: SamplingOptions;
  /** Most tokens to generate; undefined means "until the context is full". */
  maxTokens?: number;
  stop: string[];
  /** Keep generating past end-of-generation tokens (benchmarks). */
  ignoreEos: boolean;
  /** Return log-probabilities of the chosen tokens, with this many alternatives each. */
  logprobs?: { top: number };
  /** Who asked: used for fair queueing (API key id, or connection id). */
  clientId: string;
}

export interface ChatRequest extends BaseRequest {
  kind: "chat";
  messages: ChatMessage[];
  /** When the last message is an assistant message the model continues it (DeepSeek prefix completion). */
  continueFinalMessage: boolean;
  /** undefined = the model's default. */
  thinking?: boolean;
  /** Upper bound on reasoning tokens before `</think>` is forced, from `reasoning_effort`. */
  reasoningBudget?: number;
  responseFormat: ResponseFormat;
  tools: ToolDefinition[];
  toolChoice: ToolChoice;
}

export interface CompletionRequest extends BaseRequest {
  kind: "completion";
  prompt: string;
  /** Fill-in-the-middle: text after the insertion point. */
  suffix?: string;
  /** Return the prompt before the completion. */
  echo: boolean;
}

export type GenerationRequest = ChatRequest | CompletionRequest;
