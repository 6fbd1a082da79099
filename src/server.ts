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

export interface ModelSource {
  id: string;
  /** Local GGUF path, or a function that produces one (download). */
  path: string | (() => Promise<string>);
}

export interface RunningServer {
  url: string;
  port: number;
  models: ModelRegistry;
  /** Resolves when every model has loaded (rejects with the first failure). */
  ready: Promise<ServedModel[]>;
  /** Stops accepting, waits up to `graceMs` for in-flight requests, frees models. Idempotent. */
  close(graceMs?: number): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export async function startServer(config: ServeConfig, sources: ModelSource[]): Promise<RunningServer> {
  const models = new ModelRegistry();
  const loads = sources.map((source) =>
    models.load(source.id, async () => {
      const modelPath = typeof source.path === "string" ? source.path : await source.path();
      return loadServedModel({
        id: source.id,
        path: modelPath,
        threads: config.threads,
        parallel: config.parallel,
        contextSize: config.contextSize ?? 4096,
        maxQueue: config.maxQueue,
        gpu: config.gpu,
        cacheDir: config.cacheDisk ? path.join(config.dataDir, "cache") : undefined,
        cacheDiskMaxMiB: config.cacheDiskMaxMiB,
        speculative: config.speculative,
      });
    }),
  );
  const ready = Promise.all(loads);
  ready.catch(() => undefined);
  const app = createApp({ models, maxBodyBytes: config.maxBodyBytes });
  const server = await listen(app.fetch, config.host, config.port);
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
    })());
  return { url: `http://${host}:${port}`, port, models, ready, close, [Symbol.asyncDispose]: () => close(0) };
}

function listen(fetch: (request: Request) => Response | Promise<Response>, hostname: string, port: number): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, hostname, port }, () => resolve(server));
    server.once("error", reject);
  });
}
