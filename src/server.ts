/**
 * Starting and stopping the HTTP server. `startServer` resolves the configured models (pulling
 * catalog models when allowed), loads them in the background and listens at once, so `/health`
 * answers 503 while loading.
 */
import { serve, type ServerType } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { createApp } from "./app.ts";
import type { ServeConfig } from "./core/config.ts";
import { ModelRegistry } from "./pipeline/model-registry.ts";
import { loadServedModel } from "./pipeline/load-model.ts";
import type { ServedModel } from "./pipeline/served-model.ts";
import { createServerPlatform, type ServerPlatform } from "./platform/server-platform.ts";
import { ModerationService } from "./moderation/moderation-service.ts";

export interface ModelSource {
  id: string;
  /** Local GGUF path, or a function that produces one (download). */
  path: string | (() => Promise<string>);
}

export interface RunningServer {
  url: string;
  port: number;
  models: ModelRegistry;
  /** Keys, limits and the usage ledger (disposed by `close`). */
  platform: ServerPlatform;
  /** Policies, privacy shield and audit trail (disposed by `close`). */
  moderation: ModerationService;
  /** Resolves when every model has loaded (rejects with the first failure). */
  ready: Promise<ServedModel[]>;
  /** Stops accepting, waits up to `graceMs` for in-flight requests, frees models. Idempotent. */
  close(graceMs?: number): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export async function startServer(config: ServeConfig, sources: ModelSource[]): Promise<RunningServer> {
  const models = new ModelRegistry();
  // Opened first: a database that cannot be written, or a keyless network bind, stops start-up here.
  const platform = await createServerPlatform(config);
  // A bad --policy file stops start-up too: never serve under a policy other than the one asked for.
  const moderation = await ModerationService.create({ policyFile: config.policyFile, models, db: platform.database.db }).catch(async (error: unknown) => {
    await platform.dispose();
    throw error;
  });
  // One loader for the configured models and for those pulled later from the web app.
  const loadModel = async (id: string, modelPath: string): Promise<ServedModel> => {
    const model = await loadServedModel({
      id,
      path: modelPath,
      threads: config.threads,
      parallel: config.parallel,
      contextSize: config.contextSize ?? 4096,
      maxQueue: config.maxQueue,
      gpu: config.gpu,
      cacheDir: config.cacheDisk ? path.join(config.dataDir, "cache") : undefined,
      cacheDiskMaxMiB: config.cacheDiskMaxMiB,
      speculative: config.speculative,
      prefillChunk: config.prefillChunk,
    });
    // Priced before it is marked ready, so no request runs at a provisional price.
    await platform.priceModel(model).catch(async (error: unknown) => {
      await model.engine.dispose();
      throw error;
    });
    return model;
  };
  const loads = sources.map((source) =>
    models.load(source.id, async () => loadModel(source.id, typeof source.path === "string" ? source.path : await source.path())),
  );
  const ready = Promise.all(loads);
  ready.catch(() => undefined);
  const app = createApp({
    models,
    maxBodyBytes: config.maxBodyBytes,
    platform,
    moderation,
    evalsDataDir: config.dataDir,
    webApp: {
      db: platform.database.db,
      textForStorage: (text) => moderation.textForStorage(text),
      pull: { models, dataDir: config.dataDir, hfEndpoint: config.hfEndpoint, hfToken: config.hfToken, loadModel },
    },
  });
  const server = await listen(app.fetch, config.host, config.port).catch(async (error: unknown) => {
    await Promise.allSettled(loads);
    await models.dispose();
    await moderation.dispose();
    await platform.dispose();
    throw error;
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  let closing: Promise<void> | undefined;
  const close = (graceMs = config.shutdownGraceSeconds * 1000) =>
    (closing ??= (async () => {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          // Deadline passed: cut the remaining connections.
          (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        }, graceMs);
        timer.unref();
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
      });
      await Promise.allSettled(loads);
      await models.dispose();
      await moderation.dispose();
      await platform.dispose();
    })());
  return { url: `http://${host}:${port}`, port, models, platform, moderation, ready, close, [Symbol.asyncDispose]: () => close(0) };
}

function listen(fetch: (request: Request) => Response | Promise<Response>, hostname: string, port: number): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, hostname, port }, () => resolve(server));
    server.once("error", reject);
  });
}
