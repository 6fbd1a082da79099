/** Starts a real Sputnik server on a free port with the synthesized tiny models. */
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import OpenAI from "openai";
import { inject } from "vitest";
import { parseServeConfig } from "../../src/core/config.ts";
import { startServer, type RunningServer } from "../../src/server.ts";

export interface TestServerOptions {
  parallel?: number;
  maxQueue?: number;
  contextSize?: number;
  models?: Array<"chatml" | "qwen3" | "r1">;
  /** Data dir (disk cache); a fresh temporary one by default. */
  dataDir?: string;
  cacheDisk?: boolean;
}

export function tempDataDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), "sputnik-test-data-"));
}

export async function startTestServer(options: TestServerOptions = {}): Promise<RunningServer> {
  const paths = inject("tinyModels");
  const config = parseServeConfig(
    {
      port: 0,
      gpu: "cpu",
      threads: 1,
      parallel: options.parallel ?? 2,
      maxQueue: options.maxQueue,
      contextSize: options.contextSize,
      dataDir: options.dataDir ?? tempDataDir(),
      cacheDisk: options.cacheDisk,
    },
    {},
  );
  const server = await startServer(
    config,
    (options.models ?? ["chatml", "qwen3", "r1"]).map((id) => ({ id, path: paths[id] })),
  );
  await server.ready;
  return server;
}

export function openAIClient(server: RunningServer, prefix = "/v1"): OpenAI {
  return new OpenAI({ baseURL: `${server.url}${prefix}`, apiKey: "sk-test-unused", maxRetries: 0 });
}

export async function postJson(server: RunningServer, path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : body instanceof Uint8Array ? Buffer.from(body) : JSON.stringify(body),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests index freely into wire JSON
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, any> };
}
