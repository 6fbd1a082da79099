/**
 * From a request to the tokens the engine evaluates, plus what the output parsers must know
 * (does generation start inside reasoning? which tool-call format? which grammar?). Every check
 * that can fail the request happens here, before it queues, so errors are plain HTTP errors.
 */
import { contextLengthExceeded, invalidRequest } from "../core/errors.ts";
import type { ChatRequest, CompletionRequest, GenerationRequest } from "../core/request.ts";
import type { CompiledGrammar } from "../engine/engine.ts";
import { forcedToolCallSchema } from "../parsers/tools/forced-tool-call-parser.ts";
import type { ServedModel } from "./served-model.ts";

export type ToolMode = "none" | "auto" | "forced";

export interface PreparedPrompt {
  tokens: number[];
  startsInReasoning: boolean;
  /** Look for `<think>` at the start of the output. */
  detectReasoning: boolean;
  toolMode: ToolMode;
  /** Grammar applied once the model is out of its reasoning block. */
  grammar?: CompiledGrammar;
  /** Most tokens the generation may produce (max_tokens, bounded by the context). */
  maxNewTokens: number;
}

export async function preparePrompt(model: ServedModel, request: GenerationRequest): Promise<PreparedPrompt> {
  const prepared = request.kind === "chat" ? await prepareChat(model, request) : prepareCompletion(model, request);
  const contextSize = model.engine.info.contextSize;
  const vocabulary = model.engine.info.vocabularySize;
  for (const token of Object.keys(request.sampling.logitBias ?? {})) {
    if (Number(token) >= vocabulary) throw invalidRequest(`logit_bias names token ${token}, but the vocabulary has ${vocabulary} tokens.`, `logit_bias.${token}`);
  }
  const param = request.kind === "chat" ? "messages" : "prompt";
  if (prepared.tokens.length >= contextSize) throw contextLengthExceeded(prepared.tokens.length, contextSize, param);
  if (request.maxTokens !== undefined && request.maxTokens > contextSize) {
    throw invalidRequest(
      `max_tokens is ${request.maxTokens}, but this model's context holds ${contextSize} tokens in all (prompt: ${prepared.tokens.length}).`,
      "max_tokens",
      "invalid_value",
    );
  }
  // A prompt that fits but leaves less room than max_tokens generates until the context is full and
  // ends with finish_reason "length" (llama.cpp's behaviour), rather than failing.
  const room = contextSize - prepared.tokens.length;
  return { ...prepared, maxNewTokens: Math.min(request.maxTokens ?? room, room) };
}

async function prepareChat(model: ServedModel, request: ChatRequest): Promise<Omit<PreparedPrompt, "maxNewTokens">> {
  const toolMode: ToolMode = request.tools.length === 0 || request.toolChoice === "none" ? "none" : request.toolChoice === "auto" ? "auto" : "forced";
  const rendered = model.renderer.render({
    messages: request.messages,
    // With tool_choice "none" the tools stay out of the prompt, so the model is not tempted.
    tools: toolMode === "none" ? [] : request.tools,
    thinking: request.thinking,
    continueFinalMessage: request.continueFinalMessage,
  });
  let grammar: CompiledGrammar | undefined;
  if (toolMode === "forced") {
    const choice = request.toolChoice;
    const tools = typeof choice === "object" ? request.tools.filter((tool) => tool.name === choice.name) : request.tools;
    if (tools.length === 0) {
      throw invalidRequest(`tool_choice names the function \`${(choice as { name: string }).name}\`, which is not in tools.`, "tool_choice");
    }
    grammar = await compile(model, forcedToolCallSchema(tools), "tools");
  } else if (request.responseFormat.type === "json_object") {
    grammar = await model.engine.compileJsonGrammar(null);
  } else if (request.responseFormat.type === "json_schema") {
    grammar = await model.engine.compileJsonGrammar(request.responseFormat.schema);
  }
  return {
    tokens: model.engine.tokenize(rendered.text, { special: true }),
    startsInReasoning: rendered.startsInReasoning,
    detectReasoning: rendered.supportsThinking && request.thinking !== false,
    toolMode,
    grammar,
  };
}

async function compile(model: ServedModel, schema: Record<string, unknown>, param: string): Promise<CompiledGrammar> {
  try {
    return await model.engine.compileJsonGrammar(schema);
  } catch (error) {
    throw invalidRequest(`A tool's parameters schema cannot be enforced: ${(error as Error).message}`, param, "invalid_tool_schema");
  }
}

function prepareCompletion(model: ServedModel, request: CompletionRequest): Omit<PreparedPrompt, "maxNewTokens"> {
  const { engine } = model;
  const bos = engine.info.addBos && engine.info.bosToken ? engine.tokenize(engine.info.bosToken, { special: true }) : [];
  let tokens: number[];
  if (request.suffix !== undefined) {
    const fim = engine.info.fim;
    if (!fim) throw invalidRequest("This model has no fill-in-the-middle tokens, so `suffix` is not supported.", "suffix", "unsupported_parameter");
    // Prefix-suffix-middle order, as Qwen2.5-Coder and most FIM models are trained.
    tokens = [...bos, fim.prefix, ...engine.tokenize(request.prompt, { special: true }), fim.suffix, ...engine.tokenize(request.suffix, { special: true }), fim.middle];
  } else {
    tokens = [...bos, ...engine.tokenize(request.prompt, { special: true })];
  }
  if (tokens.length === 0) throw invalidRequest("The prompt is empty.", "prompt");
  return { tokens, startsInReasoning: false, detectReasoning: false, toolMode: "none" };
}
