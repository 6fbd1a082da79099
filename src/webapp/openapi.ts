/**
 * `GET /api/openapi.json`: the web app's REST API described as OpenAPI 3.1, generated from the
 * same zod schemas that validate the requests (`z.toJSONSchema`), so the document cannot drift
 * from the code. OpenAPI 3.1 uses JSON Schema 2020-12, zod's default target.
 */
import { z } from "zod";
import { SPUTNIK_VERSION } from "../version.ts";
import { requestSchemas, responseSchemas } from "./conversations/wire.ts";

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const json = (id: string) => ({ "application/json": { schema: ref(id) } });
const errorResponse = { description: "Error (OpenAI's shape)", content: json("Error") };
const idParameter = { name: "id", in: "path", required: true, schema: { type: "string" }, description: "Conversation id (`conv_…`)." };

function components(registry: z.core.$ZodRegistry<{ id: string }>, io: "input" | "output"): Record<string, unknown> {
  const { schemas } = z.toJSONSchema(registry, { io, uri: (id) => `#/components/schemas/${id}` });
  // Each component is a fragment of this document, not a standalone schema resource.
  return Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, withoutKeys(schema, ["$schema", "$id"])]));
}

function withoutKeys(schema: object, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(schema).filter(([key]) => !keys.includes(key)));
}

/** Builds the document (once; it is static). */
export function buildOpenApiDocument(): Record<string, unknown> {
  return {
    openapi: "3.1.0",
    info: {
      title: "Sputnik web app API",
      version: SPUTNIK_VERSION,
      description:
        "Conversations of the Sputnik web app, stored server-side per API key (or for the local user when auth is off). " +
        "Chat generation itself is `POST /v1/chat/completions` (OpenAI-compatible, see the README).",
    },
    servers: [{ url: "/" }],
    security: [{ bearer: [] }],
    paths: {
      "/api/conversations": {
        get: {
          operationId: "listConversations",
          summary: "List conversations, most recently updated first; `q` searches titles and message text.",
          parameters: [
            { name: "q", in: "query", schema: { type: "string", maxLength: 500 } },
            { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 200, default: 50 } },
            { name: "offset", in: "query", schema: { type: "integer", minimum: 0, default: 0 } },
          ],
          responses: { "200": { description: "A page of conversations", content: json("ConversationList") }, default: errorResponse },
        },
        post: {
          operationId: "createConversation",
          summary: "Create a conversation.",
          requestBody: { required: true, content: json("CreateConversation") },
          responses: { "201": { description: "Created", content: json("Conversation") }, default: errorResponse },
        },
      },
      "/api/conversations/{id}": {
        parameters: [idParameter],
        get: {
          operationId: "getConversation",
          summary: "A conversation with every message of every branch.",
          responses: { "200": { description: "The conversation", content: json("ConversationWithMessages") }, default: errorResponse },
        },
        patch: {
          operationId: "updateConversation",
          summary: "Rename, change model, system prompt or settings, or switch the branch shown.",
          requestBody: { required: true, content: json("UpdateConversation") },
          responses: { "200": { description: "Updated", content: json("Conversation") }, default: errorResponse },
        },
        delete: {
          operationId: "deleteConversation",
          summary: "Delete a conversation and its messages.",
          responses: { "204": { description: "Deleted" }, default: errorResponse },
        },
      },
      "/api/conversations/{id}/messages": {
        parameters: [idParameter],
        post: {
          operationId: "addMessage",
          summary: "Append a message under `parent_id` (a second child of one parent is a branch); it becomes the current leaf.",
          requestBody: { required: true, content: json("CreateMessage") },
          responses: { "201": { description: "Added", content: json("Message") }, default: errorResponse },
        },
      },
      "/api/conversations/{id}/export": {
        parameters: [idParameter, { name: "format", in: "query", schema: { type: "string", enum: ["markdown", "json"], default: "markdown" } }],
        get: {
          operationId: "exportConversation",
          summary: "Download the conversation: Markdown (the branch shown) or JSON (every branch).",
          responses: {
            "200": {
              description: "The file, as an attachment",
              content: { "text/markdown": { schema: { type: "string" } }, "application/json": { schema: ref("ConversationWithMessages") } },
            },
            default: errorResponse,
          },
        },
      },
    },
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "An API key (`sk-…`); not needed when auth is off." } },
      schemas: {
        ...components(responseSchemas, "output"),
        ...components(requestSchemas, "input"),
        Error: {
          type: "object",
          required: ["error"],
          properties: {
            error: {
              type: "object",
              required: ["message", "type", "param", "code"],
              properties: {
                message: { type: "string" },
                type: { type: "string" },
                param: { type: ["string", "null"] },
                code: { type: ["string", "null"] },
              },
            },
          },
        },
      },
    },
  };
}
