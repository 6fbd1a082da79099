/**
 * What a request may cost, before it runs: the reservation held against the key's balance and
 * counted in its tokens-per-minute window until the real usage replaces it.
 *
 * The prompt is rendered with the model's own chat template and tokenized, as the pipeline will do
 * (templates add system prompts and markup that a character count would miss), so the estimate is
 * the real prompt length; the output part is max_tokens, or without it the rest of the context.
 * Real usage can exceed the estimate only by the few tokens the pipeline injects to close a
 * reasoning block (reasoning_effort budgets), which bounds any overshoot of a balance by the
 * requests in flight.
 */
import type { GenerationRequest } from "../../core/request.ts";
import type { ServedModel } from "../../pipeline/served-model.ts";

/** Allowance per message when the template cannot be rendered (the pipeline will then refuse the request anyway). */
export const FALLBACK_TOKENS_PER_MESSAGE = 16;

export interface TokenEstimate {
  promptTokens: number;
  maxOutputTokens: number;
}

export function estimateTokens(request: GenerationRequest, model: ServedModel): TokenEstimate {
  const contextSize = model.engine.info.contextSize;
  const promptTokens = Math.min(contextSize, estimatePrompt(request, model));
  const room = Math.max(0, contextSize - promptTokens);
  const maxOutputTokens = request.maxTokens === undefined ? room : Math.min(request.maxTokens, contextSize);
  return { promptTokens, maxOutputTokens };
}

function estimatePrompt(request: GenerationRequest, model: ServedModel): number {
  const { engine } = model;
  if (request.kind === "completion") {
    // BOS and the three FIM markers at most.
    return engine.tokenize(request.prompt, { special: true }).length + (request.suffix === undefined ? 0 : engine.tokenize(request.suffix, { special: true }).length) + 4;
  }
  const withTools = request.tools.length > 0 && request.toolChoice !== "none";
  try {
    const rendered = model.renderer.render({
      messages: request.messages,
      tools: withTools ? request.tools : [],
      thinking: request.thinking,
      continueFinalMessage: request.continueFinalMessage,
    });
    return engine.tokenize(rendered.text, { special: true }).length;
  } catch {
    const text = request.messages.map((m) => m.content).join("\n") + (withTools ? JSON.stringify(request.tools) : "");
    return engine.tokenize(text, { special: false }).length + FALLBACK_TOKENS_PER_MESSAGE * (request.messages.length + 1);
  }
}
