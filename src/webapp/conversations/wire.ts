/**
 * Wire shapes of `/api/conversations`: the zod schemas that validate requests, type responses
 * and generate the OpenAPI document (`GET /api/openapi.json`). The web app imports the inferred
 * types from here, so the browser and the server cannot drift apart.
 *
 * Timestamps are epoch milliseconds (as in the store); ids are opaque strings.
 */
import { z } from "zod";
import { MAX_TITLE_LENGTH } from "./title.ts";

/** Response shapes by OpenAPI component name (documented as the server writes them). */
export const responseSchemas = z.registry<{ id: string }>();
/** Request bodies by OpenAPI component name (documented as accepted: unknown fields are ignored). */
export const requestSchemas = z.registry<{ id: string }>();

export { MAX_TITLE_LENGTH };
/** Longest message or system prompt accepted, in characters (the HTTP body limit applies too). */
export const MAX_TEXT_LENGTH = 2_000_000;

/** Per-conversation sampling settings, sent with every chat request of the conversation. */
export const samplingSettingsSchema = z
  .object({
    temperature: z.number().min(0).max(2).optional().describe("Sampling temperature; absent = the server's default (1)."),
    top_p: z.number().gt(0).max(1).optional().describe("Nucleus sampling; absent = 1."),
    max_tokens: z.number().int().min(1).max(1_000_000).optional().describe("Most tokens per answer; absent = until the context is full."),
    thinking: z.boolean().optional().describe("DeepThink: reasoning on (true) or off (false) for models that support both."),
  })
  .register(responseSchemas, { id: "SamplingSettings" });

export const tokenUsageSchema = z
  .object({
    prompt_tokens: z.number().int().min(0),
    cached_tokens: z.number().int().min(0),
    reasoning_tokens: z.number().int().min(0),
    completion_tokens: z.number().int().min(0),
  })
  .register(responseSchemas, { id: "TokenUsage" });

export const moderationNoticeSchema = z
  .object({ policy: z.string(), rule: z.string(), action: z.string(), reason: z.string() })
  .register(responseSchemas, { id: "ModerationNotice" });

/**
 * How an answer ended and what it cost, recorded by the browser when the stream closes.
 * `finish_reason` adds `stopped` (the user pressed stop) and `error` to the API's own reasons.
 */
export const answerDetailsSchema = z
  .object({
    finish_reason: z.enum(["stop", "length", "tool_calls", "content_filter", "stopped", "error"]),
    /** For `length`: the answer hit `max_tokens`, or the context window was full. */
    length_cause: z.enum(["max_tokens", "context"]).optional(),
    completion_id: z.string().optional(),
    usage: tokenUsageSchema.optional(),
    /** ms from sending the request to the first streamed token. */
    ttft_ms: z.number().min(0).optional(),
    /** ms from sending the request to the end of the stream. */
    duration_ms: z.number().min(0).optional(),
    /** ms spent in the reasoning block ("Thought for N seconds"). */
    reasoning_ms: z.number().min(0).optional(),
    /** Completion tokens per second after the first token. */
    tokens_per_second: z.number().min(0).optional(),
    cost: z.object({ micros: z.number().int().min(0), currency: z.string() }).optional(),
    moderation: moderationNoticeSchema.optional(),
    error: z.string().max(10_000).optional(),
  })
  .register(responseSchemas, { id: "AnswerDetails" });

export const roleSchema = z.enum(["user", "assistant"]);

export const messageSchema = z
  .object({
    id: z.string(),
    conversation_id: z.string(),
    /** The message this one answers or follows; null for the first user message. Siblings are branches. */
    parent_id: z.string().nullable(),
    role: roleSchema,
    content: z.string(),
    reasoning_content: z.string().nullable(),
    /** The model that wrote an assistant message. */
    model: z.string().nullable(),
    details: answerDetailsSchema.nullable(),
    created_at: z.number().int(),
  })
  .register(responseSchemas, { id: "Message" });

export const conversationSummarySchema = z
  .object({
    id: z.string(),
    title: z.string(),
    model: z.string().nullable(),
    created_at: z.number().int(),
    updated_at: z.number().int(),
  })
  .register(responseSchemas, { id: "ConversationSummary" });

export const conversationSchema = conversationSummarySchema
  .extend({
    system_prompt: z.string(),
    settings: samplingSettingsSchema,
    /** The last message of the branch shown; null for an empty conversation. */
    current_leaf_id: z.string().nullable(),
  })
  .register(responseSchemas, { id: "Conversation" });

export const conversationWithMessagesSchema = conversationSchema
  .extend({ messages: z.array(messageSchema).describe("Every message of every branch, oldest first.") })
  .register(responseSchemas, { id: "ConversationWithMessages" });

export const conversationListSchema = z
  .object({ data: z.array(conversationSummarySchema), has_more: z.boolean() })
  .register(responseSchemas, { id: "ConversationList" });

export const listConversationsQuerySchema = z.object({
  q: z.string().max(500).optional().describe("Search in titles and message text (case-insensitive)."),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const createConversationSchema = z
  .object({
    title: z.string().max(MAX_TITLE_LENGTH).optional(),
    model: z.string().min(1).max(200).nullable().optional(),
    system_prompt: z.string().max(MAX_TEXT_LENGTH).optional(),
    settings: samplingSettingsSchema.optional(),
  })
  .register(requestSchemas, { id: "CreateConversation" });

export const updateConversationSchema = createConversationSchema
  .extend({ current_leaf_id: z.string().nullable().optional().describe("Switch the branch shown (a message of this conversation).") })
  .register(requestSchemas, { id: "UpdateConversation" });

export const createMessageSchema = z
  .object({
    parent_id: z.string().nullable(),
    role: roleSchema,
    content: z.string().max(MAX_TEXT_LENGTH),
    reasoning_content: z.string().max(MAX_TEXT_LENGTH).nullable().optional(),
    model: z.string().max(200).nullable().optional(),
    details: answerDetailsSchema.nullable().optional(),
  })
  .register(requestSchemas, { id: "CreateMessage" });

export const exportQuerySchema = z.object({ format: z.enum(["markdown", "json"]).default("markdown") });

export type SamplingSettings = z.infer<typeof samplingSettingsSchema>;
export type TokenUsage = z.infer<typeof tokenUsageSchema>;
export type ModerationNotice = z.infer<typeof moderationNoticeSchema>;
export type AnswerDetails = z.infer<typeof answerDetailsSchema>;
export type Message = z.infer<typeof messageSchema>;
export type ConversationSummary = z.infer<typeof conversationSummarySchema>;
export type Conversation = z.infer<typeof conversationSchema>;
export type ConversationWithMessages = z.infer<typeof conversationWithMessagesSchema>;
export type ConversationList = z.infer<typeof conversationListSchema>;
export type CreateConversation = z.infer<typeof createConversationSchema>;
export type UpdateConversation = z.infer<typeof updateConversationSchema>;
export type CreateMessage = z.infer<typeof createMessageSchema>;
