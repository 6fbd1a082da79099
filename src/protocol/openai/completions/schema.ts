/**
 * Wire types of the legacy `POST /v1/completions`, in the order of OpenAI's API reference; DeepSeek
 * serves FIM completion through it (`/beta/completions` with `suffix`).
 */
import { z } from "zod";
import { samplingFields } from "../sampling-schema.ts";

export const completionRequestSchema = z.object({
  model: z.string().min(1),
  // Token-array prompts and batches of prompts are not supported: one text prompt per request.
  prompt: z.union([z.string(), z.array(z.string()).length(1, "only one prompt per request is supported")]).transform((p) => (typeof p === "string" ? p : p[0])),
  best_of: z.number().int().min(1).max(1, "only best_of=1 is supported").nullish(),
  echo: z.boolean().nullish(),
  ...samplingFields,
  logprobs: z.number().int().min(0).max(20).nullish(),
  suffix: z.string().nullish(),
});

export type CompletionRequestBody = z.infer<typeof completionRequestSchema>;
