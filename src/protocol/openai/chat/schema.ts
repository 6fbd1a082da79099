/**
 * Wire types of `POST /v1/chat/completions`, fields in the order of OpenAI's API reference; the
 * DeepSeek and Sputnik extensions are in marked blocks. Unknown fields are ignored (as vLLM and
 * llama.cpp do) so clients written for newer API versions keep working.
 */
import { z } from "zod";
import { samplingFields } from "../sampling-schema.ts";

// Only text parts are supported; other part types (images, audio, files) get a 400 naming them.
const contentPart = z
  .object({ type: z.string(), text: z.string().optional() })
  .superRefine((part, ctx) => {
    if (part.type !== "text") ctx.addIssue({ code: "custom", message: `content parts of type "${part.type}" are not supported; only "text"` });
    else if (part.text === undefined) ctx.addIssue({ code: "custom", message: "a text part needs a text field", path: ["text"] });
  })
  .transform((part) => ({ type: "text" as const, text: part.text ?? "" }));
const contentParts = z.array(contentPart);
const content = z.union([z.string(), contentParts]);

const toolCallSchema = z.object({
  id: z.string(),
  type: z.literal("function").optional(),
  function: z.object({ name: z.string().min(1), arguments: z.string() }),
});

const systemMessage = z.object({ role: z.enum(["system", "developer"]), content, name: z.string().nullish() });
const userMessage = z.object({ role: z.literal("user"), content, name: z.string().nullish() });
const assistantMessage = z.object({
  role: z.literal("assistant"),
  content: content.nullish(),
  name: z.string().nullish(),
  tool_calls: z.array(toolCallSchema).nullish(),
  // --- DeepSeek extensions ---
  /** Earlier reasoning; accepted and left out of the prompt, as DeepSeek does. */
  reasoning_content: z.string().nullish(),
  /** Chat prefix completion: the model continues this message. Only on the last message. */
  prefix: z.boolean().nullish(),
});
const toolMessage = z.object({ role: z.literal("tool"), content, tool_call_id: z.string().min(1) });

export const chatMessageSchema = z.discriminatedUnion("role", [systemMessage, userMessage, assistantMessage, toolMessage], {
  error: (issue) =>
    issue.code === "invalid_union" ? 'role must be one of "system", "developer", "user", "assistant", "tool"' : undefined,
});

const functionName = z.string().regex(/^[a-zA-Z0-9_.-]{1,64}$/, "function names are 1-64 letters, digits, '_', '-' or '.'");

export const toolSchema = z.object({
  type: z.literal("function"),
  function: z.object({
    name: functionName,
    description: z.string().nullish(),
    parameters: z.record(z.string(), z.unknown()).nullish(),
    strict: z.boolean().nullish(),
  }),
});

export const toolChoiceSchema = z.union([
  z.enum(["none", "auto", "required"]),
  z.object({ type: z.literal("function"), function: z.object({ name: functionName }) }),
]);

export const responseFormatSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text") }),
  z.object({ type: z.literal("json_object") }),
  z.object({
    type: z.literal("json_schema"),
    json_schema: z.object({
      name: z.string().min(1).max(64),
      description: z.string().nullish(),
      schema: z.record(z.string(), z.unknown()).nullish(),
      strict: z.boolean().nullish(),
    }),
  }),
]);

export const chatCompletionRequestSchema = z.object({
  messages: z.array(chatMessageSchema).min(1, "messages must contain at least one message"),
  model: z.string().min(1),
  ...samplingFields,
  logprobs: z.boolean().nullish(),
  max_completion_tokens: z.number().int().min(1).nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  reasoning_effort: z.enum(["minimal", "low", "medium", "high"]).nullish(),
  response_format: responseFormatSchema.nullish(),
  tool_choice: toolChoiceSchema.nullish(),
  tools: z.array(toolSchema).max(128).nullish(),
  top_logprobs: z.number().int().min(0).max(20).nullish(),
  // --- DeepSeek extensions ---
  thinking: z.object({ type: z.enum(["enabled", "disabled"]) }).nullish(),
  // --- vLLM / Qwen extension: template switches, of which we honour enable_thinking ---
  chat_template_kwargs: z.object({ enable_thinking: z.boolean().optional() }).passthrough().nullish(),
});

export type ChatCompletionRequestBody = z.infer<typeof chatCompletionRequestSchema>;
export type WireChatMessage = z.infer<typeof chatMessageSchema>;
