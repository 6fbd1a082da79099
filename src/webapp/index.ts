/**
 * The web app's server side: its REST routes under `/api` (conversations, model pulls, the
 * caller's identity, the OpenAPI document) and the static files of the built app.
 */
import { Hono } from "hono";
import type { Kysely } from "kysely";
import { getPrincipal } from "../platform/auth/principal.ts";
import type { DatabaseSchema } from "../platform/store/schema.ts";
import { ConversationStore } from "./conversations/conversation-store.ts";
import { conversationRoutes } from "./conversations/routes.ts";
import { modelPullRoutes, type ModelPullDeps } from "./models/pull-route.ts";
import { buildOpenApiDocument } from "./openapi.ts";
import { costRoute } from "./usage/cost-route.ts";

export { serveWebAppFiles, API_PREFIXES, DEFAULT_WEB_DIST_DIR } from "./static-files.ts";

export interface WebApiDeps {
  db: Kysely<DatabaseSchema>;
  /** Largest JSON body accepted, in bytes. */
  maxBodyBytes: number;
  /** Model pulls from the admin page; absent = `POST /api/models/pull` is not offered. */
  pull?: ModelPullDeps;
  /** Moderation's privacy shield for stored messages; absent = stored as sent. */
  textForStorage?: (text: string) => string;
  /** Epoch ms; defaults to `Date.now`. */
  now?: () => number;
}

/** The `/api` routes; mount after the authentication middleware (`app.route("/api", webApi(deps))`). */
export function webApi(deps: WebApiDeps): Hono {
  const app = new Hono();
  const openApi = JSON.stringify(buildOpenApiDocument());
  app.get("/openapi.json", (c) => c.body(openApi, 200, { "Content-Type": "application/json; charset=utf-8" }));
  // Who the app is talking as: it shows the admin pages to admins and asks for a key on 401.
  app.get("/me", (c) => {
    const principal = getPrincipal(c);
    return c.json({ key_id: principal.keyId, name: principal.name, scopes: principal.scopes, local: principal.local });
  });
  app.route("/conversations", conversationRoutes({ store: new ConversationStore({ db: deps.db, now: deps.now, textForStorage: deps.textForStorage }), maxBodyBytes: deps.maxBodyBytes }));
  app.route("/usage", costRoute({ db: deps.db }));
  if (deps.pull) app.route("/models", modelPullRoutes(deps.pull));
  return app;
}
