import type { Usage } from "../../core/events.ts";

/** OpenAI's usage object with DeepSeek's cache fields (`prompt_cache_hit_tokens` / `miss`) beside it. */
export function toOpenAIUsage(usage: Usage) {
  return {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.promptTokens + usage.completionTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedPromptTokens },
    completion_tokens_details: { reasoning_tokens: usage.reasoningTokens },
    // DeepSeek extension.
    prompt_cache_hit_tokens: usage.cachedPromptTokens,
    prompt_cache_miss_tokens: usage.promptTokens - usage.cachedPromptTokens,
  };
}
