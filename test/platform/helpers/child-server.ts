/** `sputnik serve` as a child process on a test store, for tests that kill it. */
import { spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { inject } from "vitest";
import type { PriceFile } from "../../../src/platform/prices/price-table.ts";
import type { TestStore } from "./databases.ts";

export const BIN = path.resolve(import.meta.dirname, "../../../bin/sputnik.js");

export interface ChildServer {
  child: ChildProcess;
  url: string;
  /** Everything the process wrote to stderr so far. */
  log(): string;
  exited: Promise<number | null>;
}

export async function startChildServer(store: TestStore, prices: PriceFile): Promise<ChildServer> {
  const pricesFile = path.join(store.dataDir, "child-prices.json");
  writeFileSync(pricesFile, JSON.stringify(prices));
  const args = [BIN, "serve", "--model", `chatml=${inject("tinyModels").chatml}`, "--port", "0", "--threads", "1", "--parallel", "1", "--gpu", "cpu"];
  args.push("--ctx-size", "512", "--no-cache-disk", "--data-dir", store.dataDir, "--prices", pricesFile);
  // The URL travels in the environment, as an operator would keep it out of the process list.
  const env = { ...process.env };
  delete env.SPUTNIK_DATABASE_URL;
  if (store.databaseUrl) env.SPUTNIK_DATABASE_URL = store.databaseUrl;
  const child = spawn(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"], env });
  let log = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let found = "";
    child.stderr!.on("data", (chunk: Buffer) => {
      log += chunk.toString();
      found ||= /listening on (http:\/\/\S+)/.exec(log)?.[1] ?? "";
      if (found && /ready/.test(log)) resolve(found);
    });
    void exited.then((code) => reject(new Error(`serve exited with ${code} before ready:\n${log}`)));
  });
  return { child, url, log: () => log, exited };
}
