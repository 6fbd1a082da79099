/**
 * The one place that wires everything together: protocol adapters on top of the shared pipeline.
 */
import { getConnInfo } from "@hono/node-server/conninfo";
import { Hono, type Context } from "hono";
import { SputnikError, toSputnikError } from "./core/errors.ts";
import { ServerMetrics } from "./observability/metrics.ts";
import type { GenerationHook } from "./pipeline/generation-hooks.ts";
import type { ModelRegistry } from "./pipeline/model-registry.ts";
import { LOCAL_PRINCIPAL } from "./platform/auth/principal.ts";
import type { Platform } from "./platform/platform.ts";
import type { ModerationService } from "./moderation/moderation-service.ts";
import { chatCompletionsRoute, type OpenAIRouteDeps } from "./protocol/openai/chat/route.ts";
import { completionsRoute } from "./protocol/openai/completions/route.ts";
import { openAIErrorResponse } from "./protocol/openai/errors.ts";
import { modelsRoute } from "./protocol/openai/models/route.ts";
import { NODE_LLAMA_CPP_VERSION, SPUTNIK_VERSION } from "./version.ts";
import { serveWebAppFiles, webApi, type WebApiDeps } from "./webapp/index.ts";
import { evalRoutes } from "./eval/routes.ts";

export interface AppDeps {
  models: ModelRegistry;
  maxBodyBytes: number;
  /** Generation hooks (platform, moderation), run in order before the built-in metrics hook. */
  hooks?: readonly GenerationHook[];
  /** Keys, limits and the usage ledger; without it every caller is the local principal and nothing is recorded. */
  platform?: Pick<Platform, "authenticate" | "hook" | "routes">;
  /** Policies, privacy shield and audit trail (`--policy`); its hook runs after the platform's. */
  moderation?: Pick<ModerationService, "hook" | "routes">;
  /** The web app's `/api` routes (conversations, model pulls); without it only its files are served. */
  webApp?: Omit<WebApiDeps, "maxBodyBytes">;
  /** The built web app. Defaults to `web/dist` in this package. */
  webDistDir?: string;
  /** Where `sputnik eval` stores its runs; mounts `/evals` (list) and `/evals/:id` (HTML report). */
  evalsDataDir?: string;
}

export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  const metrics = new ServerMetrics(deps.models);
  const routeDeps: OpenAIRouteDeps = {
    models: deps.models,
    hooks: [...(deps.platform ? [deps.platform.hook] : []), ...(deps.moderation ? [deps.moderation.hook] : []), ...(deps.hooks ?? []), metrics],
    maxBodyBytes: deps.maxBodyBytes,
    clientId: connectionId,
  };

  app.use(async (c, next) => {
    await next();
    // Route patterns, not raw paths, so label cardinality stays bounded.
    metrics.requestFinished(c.req.routePath, c.res.status);
  });
  // The web app's files hold no data: served before authentication (the app asks for a key itself).
  app.use(serveWebAppFiles({ distDir: deps.webDistDir }));
  // Who is calling (`c.get("principal")`), for every route below; 401 here when auth is on.
  app.use(
    deps.platform?.authenticate ??
      (async (c, next) => {
        c.set("principal", LOCAL_PRINCIPAL);
        await next();
      }),
  );
  if (deps.platform) app.route("/", deps.platform.routes);
  if (deps.moderation) app.route("/", deps.moderation.routes());
  if (deps.webApp) app.route("/api", webApi({ ...deps.webApp, maxBodyBytes: deps.maxBodyBytes }));
  if (deps.evalsDataDir) app.route("/", evalRoutes({ dataDir: deps.evalsDataDir }));
  app.get("/metrics", async (c) => c.text(await metrics.render(), 200, { "Content-Type": metrics.registry.contentType }));

  app.get("/health", (c) => {
    const states = deps.models.states().map((s) => ({ id: s.id, status: s.status }));
    const ready = deps.models.settled && deps.models.ready().length > 0;
    return c.json({ status: ready ? "ok" : deps.models.settled ? "error" : "loading", models: states }, ready ? 200 : 503);
  });
  app.get("/version", (c) => c.json({ version: SPUTNIK_VERSION, engine: `node-llama-cpp ${NODE_LLAMA_CPP_VERSION}` }));

  // OpenAI-compatible routes, and DeepSeek's `/beta` prefix (prefix completion, FIM) on the same handlers.
  for (const prefix of ["/v1", "/beta"]) {
    app.route(prefix, chatCompletionsRoute(routeDeps));
    app.route(prefix, completionsRoute(routeDeps));
  }
  app.route("/v1", modelsRoute(deps));
  // DeepSeek's API also answers `/models` and `/chat/completions` without a version prefix.
  app.route("/", modelsRoute(deps));
  app.route("/", chatCompletionsRoute(routeDeps));

  app.notFound((c) =>
    openAIErrorResponse(
      new SputnikError(`Unknown route: ${c.req.method} ${new URL(c.req.url).pathname}`, { status: 404, type: "not_found_error", code: "unknown_route" }),
    ),
  );
  app.onError((error) => {
    if (!(error instanceof SputnikError)) console.error("[sputnik] unexpected error:", error);
    return openAIErrorResponse(toSputnikError(error));
  });
  return app;
}

/** Until API keys exist, fairness is per connection. */
function connectionId(c: Context): string {
  try {
    const info = getConnInfo(c);
    return `${info.remote.address ?? "?"}:${info.remote.port ?? "?"}`;
  } catch {
    return "local";
  }
}
