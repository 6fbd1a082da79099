/**
 * Starts a real Sputnik server (tiny synthetic models, temporary data dir and SQLite store) with
 * a policy file, and helpers to rewrite that file and reload it through the admin API.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { inject } from "vitest";
import { parseServeConfig } from "../../src/core/config.ts";
import { startServer, type RunningServer } from "../../src/server.ts";

export interface ModeratedServer extends AsyncDisposable {
  server: RunningServer;
  policyFile: string;
  /** Writes a new policy (an object, stored as JSON) and reloads it through `POST /admin/policies/reload`. */
  setPolicy(policy: object): Promise<Response>;
}

export interface ModeratedServerOptions {
  /** The policy at start-up. Defaults to an empty one (no policies). */
  policy?: object;
  models?: Array<"chatml" | "qwen3" | "r1">;
  parallel?: number;
}

export async function startModeratedServer(options: ModeratedServerOptions = {}): Promise<ModeratedServer> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "sputnik-moderation-"));
  const policyFile = path.join(dataDir, "policy.json");
  writeFileSync(policyFile, JSON.stringify(options.policy ?? {}));
  const paths = inject("tinyModels");
  const config = parseServeConfig(
    { port: 0, gpu: "cpu", threads: 1, parallel: options.parallel ?? 1, dataDir, cacheDisk: false, policyFile },
    {},
  );
  const server = await startServer(
    config,
    (options.models ?? ["chatml"]).map((id) => ({ id, path: paths[id] })),
  );
  await server.ready;
  return {
    server,
    policyFile,
    async setPolicy(policy) {
      writeFileSync(policyFile, JSON.stringify(policy));
      return fetch(`${server.url}/admin/policies/reload`, { method: "POST" });
    },
    async [Symbol.asyncDispose]() {
      await server.close(0);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** One streamed chat completion over HTTP, collected: the text, the final chunk's choice, every frame. */
export async function streamChat(server: RunningServer, body: object) {
  const response = await fetch(`${server.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ ...body, stream: true }),
  });
  const raw = await response.text();
  const frames = raw
    .split("\n\n")
    .map((frame) => frame.replace(/^data: /, "").trim())
    .filter((data) => data && data !== "[DONE]")
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests index freely into wire JSON
    .map((data) => JSON.parse(data) as Record<string, any>);
  const choices = frames.flatMap((frame) => frame.choices ?? []);
  const content = choices.map((choice) => choice.delta?.content ?? "").join("");
  const last = choices.at(-1);
  return { status: response.status, raw, frames, content, finishReason: last?.finish_reason as string | null, moderation: last?.moderation };
}

export async function getJson(server: RunningServer, route: string, init: RequestInit = {}) {
  const response = await fetch(`${server.url}${route}`, init);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests index freely into wire JSON
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, any> };
}
