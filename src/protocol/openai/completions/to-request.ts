import { invalidRequest } from "../../../core/errors.ts";
import type { CompletionRequest } from "../../../core/request.ts";
import { toSampling, type RequestContext, type WireDelivery } from "../chat/to-request.ts";
import { fromZodError } from "../zod-error.ts";
import { completionRequestSchema } from "./schema.ts";

/** OpenAI's default for the legacy completions endpoint. */
export const DEFAULT_COMPLETION_MAX_TOKENS = 16;

export function toCompletionRequest(body: unknown, context: RequestContext): WireDelivery<CompletionRequest> & { prompt: string } {
  const parsed = completionRequestSchema.safeParse(body);
  if (!parsed.success) throw fromZodError(parsed.error);
  const wire = parsed.data;
  if (wire.echo && wire.logprobs != null) {
    // Echoed prompt tokens would need their own log-probabilities, which we do not compute.
    throw invalidRequest("echo together with logprobs is not supported.", "logprobs", "unsupported_parameter");
  }
  const request: CompletionRequest = {
    kind: "completion",
    id: context.id,
    clientId: context.clientId,
    model: wire.model,
    prompt: wire.prompt,
    suffix: wire.suffix ?? undefined,
    echo: wire.echo ?? false,
    sampling: toSampling(wire),
    maxTokens: wire.max_tokens ?? DEFAULT_COMPLETION_MAX_TOKENS,
    stop: wire.stop,
    ignoreEos: wire.ignore_eos ?? false,
    logprobs: wire.logprobs != null ? { top: wire.logprobs } : undefined,
  };
  return { request, prompt: wire.prompt, stream: wire.stream ?? false, includeUsage: wire.stream_options?.include_usage ?? false };
}
