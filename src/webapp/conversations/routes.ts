/**
 * `/api/conversations`: the web app's chat history, per owner. Request and response shapes are the
 * zod schemas of `wire.ts` (also served as OpenAPI at `/api/openapi.json`); errors have the OpenAI
 * shape like every other route.
 */
import { Hono, type Context } from "hono";
import type { z } from "zod";
import { requireAuth } from "../../platform/auth/require-auth.ts";
import { readJsonBody } from "../../protocol/http/read-json-body.ts";
import { fromZodError } from "../../protocol/openai/zod-error.ts";
import { ownerOf } from "../principal.ts";
import type { ConversationStore } from "./conversation-store.ts";
import { exportFileName, toMarkdown } from "./export.ts";
import {
  createConversationSchema,
  createMessageSchema,
  exportQuerySchema,
  listConversationsQuerySchema,
  updateConversationSchema,
} from "./wire.ts";

export interface ConversationRoutesDeps {
  store: ConversationStore;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: number;
}

export function conversationRoutes(deps: ConversationRoutesDeps): Hono {
  const app = new Hono();
  const { store } = deps;
  const body = async <T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> => parse(schema, await readJsonBody(c, deps.maxBodyBytes));

  app.use("*", requireAuth({ scope: "chat" }));
  app.get("/", async (c) => c.json(await store.list(ownerOf(c), parse(listConversationsQuerySchema, c.req.query()))));
  app.post("/", async (c) => c.json(await store.create(ownerOf(c), await body(c, createConversationSchema)), 201));
  app.get("/:id", async (c) => c.json(await store.get(ownerOf(c), c.req.param("id"))));
  app.patch("/:id", async (c) => c.json(await store.update(ownerOf(c), c.req.param("id"), await body(c, updateConversationSchema))));
  app.delete("/:id", async (c) => {
    await store.delete(ownerOf(c), c.req.param("id"));
    return c.body(null, 204);
  });
  app.post("/:id/messages", async (c) => c.json(await store.addMessage(ownerOf(c), c.req.param("id"), await body(c, createMessageSchema)), 201));
  app.get("/:id/export", async (c) => {
    const { format } = parse(exportQuerySchema, c.req.query());
    const conversation = await store.get(ownerOf(c), c.req.param("id"));
    const fileName = exportFileName(conversation, format === "json" ? "json" : "md");
    const headers = { "Content-Disposition": contentDisposition(fileName) };
    if (format === "json") return c.body(`${JSON.stringify(conversation, null, 2)}\n`, 200, { ...headers, "Content-Type": "application/json; charset=utf-8" });
    return c.body(toMarkdown(conversation), 200, { ...headers, "Content-Type": "text/markdown; charset=utf-8" });
  });
  return app;
}

function parse<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw fromZodError(result.error);
  return result.data;
}

/** `attachment` with an ASCII fallback name and the exact UTF-8 one (RFC 6266 / 5987). */
function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
