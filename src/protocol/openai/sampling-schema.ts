/**
 * Sampling fields shared by `/v1/chat/completions` and `/v1/completions`, in the order of OpenAI's
 * API reference, then the extensions (marked) that llama.cpp and vLLM clients send.
 */
import { z } from "zod";

/** OpenAI caps `stop` at 4; DeepSeek at 16. We take DeepSeek's. */
export const MAX_STOP_STRINGS = 16;

export const stopSchema = z
  .union([z.string().min(1), z.array(z.string().min(1)).max(MAX_STOP_STRINGS)])
  .nullish()
  .transform((value) => (value == null ? [] : typeof value === "string" ? [value] : value));

export const logitBiasSchema = z
  .record(z.string().regex(/^\d+$/, "keys must be token ids"), z.number().min(-100).max(100))
  .nullish();

export const samplingFields = {
  frequency_penalty: z.number().min(-2).max(2).nullish(),
  logit_bias: logitBiasSchema,
  max_tokens: z.number().int().min(1).nullish(),
  n: z.number().int().min(1).max(1, "only n=1 is supported: Sputnik generates one choice per request").nullish(),
  presence_penalty: z.number().min(-2).max(2).nullish(),
  seed: z.number().int().nullish(),
  stop: stopSchema,
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().nullish() }).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().gt(0).max(1).nullish(),
  user: z.string().nullish(),
  // --- Extensions (llama.cpp / vLLM), not in OpenAI's API ---
  top_k: z.number().int().min(0).nullish(),
  min_p: z.number().min(0).max(1).nullish(),
  ignore_eos: z.boolean().nullish(),
};
