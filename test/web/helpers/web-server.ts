/** A real `sputnik serve` (startServer) on a free port with the tiny models, for the web app's tests. */
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { inject } from "vitest";
import { parseServeConfig } from "../../../src/core/config.ts";
import { startServer, type RunningServer } from "../../../src/server.ts";

export interface WebTestServerOptions {
  /** Served under these ids: `tiny` (ChatML), `qwen3`, `r1` (DeepSeek-R1 template: reasons until `</think>`). */
  models?: Array<"tiny" | "qwen3" | "r1">;
  /** Model hub for pulls (a mock hub in tests). */
  hfEndpoint?: string;
  /** Context tokens per slot. */
  contextSize?: number;
  /** A moderation policy (the `--policy` file's content). */
  policy?: unknown;
}

/** DeepSeek-like prices per million tokens, so answers and charts show real (small) costs. */
export const TEST_PRICES = {
  currency: "USD",
  default: { input_cache_hit: "0.07", input_cache_miss: "0.27", output: "1.10" },
};

export async function startWebTestServer(options: WebTestServerOptions = {}): Promise<RunningServer> {
  const paths = inject("tinyModels");
  const files = { tiny: paths.chatml, qwen3: paths.qwen3, r1: paths.r1 };
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "sputnik-web-test-"));
  const pricesFile = path.join(dataDir, "prices.json");
  writeFileSync(pricesFile, JSON.stringify(TEST_PRICES));
  const policyFile = options.policy === undefined ? undefined : path.join(dataDir, "policy.json");
  if (policyFile) writeFileSync(policyFile, JSON.stringify(options.policy));
  const config = parseServeConfig(
    {
      port: 0,
      gpu: "cpu",
      threads: 1,
      parallel: 2,
      contextSize: options.contextSize ?? 2048,
      dataDir,
      pricesFile,
      policyFile,
      hfEndpoint: options.hfEndpoint,
      cacheDisk: false,
    },
    {},
  );
  const server = await startServer(
    config,
    (options.models ?? ["tiny", "r1"]).map((id) => ({ id, path: files[id] })),
  );
  await server.ready;
  return server;
}
