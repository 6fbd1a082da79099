/** A real Sputnik server (tiny models, real HTTP) on a test store, with the platform's knobs. */
import { writeFileSync } from "node:fs";
import path from "node:path";
import OpenAI from "openai";
import { inject } from "vitest";
import { parseServeConfig } from "../../../src/core/config.ts";
import type { PriceFile } from "../../../src/platform/prices/price-table.ts";
import { startServer, type RunningServer } from "../../../src/server.ts";
import type { TestStore } from "./databases.ts";

export interface PlatformServerOptions {
  /** `--auth` (true) / `--no-auth` (false); undefined = by address. */
  auth?: boolean;
  host?: string;
  prices?: PriceFile;
  /** `--price-per-hour` (USD). */
  pricePerHour?: string;
  parallel?: number;
  maxQueue?: number;
  contextSize?: number;
  models?: Array<"chatml" | "qwen3" | "r1">;
}

export async function startPlatformServer(store: TestStore, options: PlatformServerOptions = {}): Promise<RunningServer> {
  const paths = inject("tinyModels");
  let pricesFile: string | undefined;
  if (options.prices) {
    pricesFile = path.join(store.dataDir, `prices-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(pricesFile, JSON.stringify(options.prices));
  }
  const config = parseServeConfig(
    {
      host: options.host ?? "127.0.0.1",
      port: 0,
      gpu: "cpu",
      threads: 1,
      parallel: options.parallel ?? 2,
      maxQueue: options.maxQueue,
      contextSize: options.contextSize ?? 512,
      dataDir: store.dataDir,
      databaseUrl: store.databaseUrl,
      auth: options.auth,
      pricesFile,
      pricePerHour: options.pricePerHour,
      // Each server its own prefix cache on disk would share the data dir; keep tests in memory.
      cacheDisk: false,
    },
    {},
  );
  const server = await startServer(
    config,
    (options.models ?? ["chatml"]).map((id) => ({ id, path: paths[id] })),
  );
  await server.ready;
  return server;
}

export function client(server: RunningServer, apiKey = "unused"): OpenAI {
  return new OpenAI({ baseURL: `${server.url}/v1`, apiKey, maxRetries: 0 });
}

/** A fetch that returns status, headers and parsed JSON (or text). */
export async function call(server: RunningServer, method: string, route: string, options: { key?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const response = await fetch(`${server.url}${route}`, {
    method,
    headers: {
      ...(options.body !== undefined ? { "content-type": "application/json" } : {}),
      ...(options.key ? { authorization: `Bearer ${options.key}` } : {}),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (CSV, metrics): keep the text.
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests index freely into wire JSON
  return { status: response.status, headers: response.headers, body: body as any };
}

export const chat = (content: string, extra: Record<string, unknown> = {}) => ({
  model: "chatml",
  messages: [{ role: "user", content }],
  max_tokens: 4,
  ignore_eos: true,
  temperature: 0,
  ...extra,
});
