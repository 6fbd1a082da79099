/**
 * Synthesizes the `tiny` test models once per run (one per chat template) and hands their paths
 * to the test files, so parallel workers never race to write the same file.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { synthesizeModel } from "../src/synth/synthesize.ts";

declare module "vitest" {
  export interface ProvidedContext {
    tinyModels: { chatml: string; qwen3: string; r1: string };
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "sputnik-test-models-"));
  const [chatml, qwen3, r1] = await Promise.all([
    synthesizeModel({ shape: "tiny", template: "chatml", out: path.join(dir, "tiny-chatml.gguf") }),
    synthesizeModel({ shape: "tiny", template: "qwen3", out: path.join(dir, "tiny-qwen3.gguf") }),
    synthesizeModel({ shape: "tiny", template: "deepseek-r1", out: path.join(dir, "tiny-r1.gguf") }),
  ]);
  project.provide("tinyModels", { chatml: chatml.path, qwen3: qwen3.path, r1: r1.path });
  return () => rmSync(dir, { recursive: true, force: true });
}
