/**
 * One node-llama-cpp runtime per process: loading the native binding is slow (~0.7 s) and holds
 * the thread pool, so every model shares it.
 */
import { getLlama, LlamaLogLevel, type Llama } from "node-llama-cpp";

export type GpuChoice = "auto" | "cuda" | "vulkan" | "metal" | "cpu";

export interface LlamaRuntimeOptions {
  /** Which backend to use; `cpu` skips GPU detection. Defaults to `auto`. */
  gpu: GpuChoice;
  /** Upper bound on ggml threads across all contexts. */
  maxThreads: number;
}

const runtimes = new Map<string, Promise<Llama>>();

export function getLlamaRuntime(options: LlamaRuntimeOptions): Promise<Llama> {
  const key = `${options.gpu}:${options.maxThreads}`;
  let runtime = runtimes.get(key);
  if (!runtime) {
    runtime = getLlama({
      gpu: options.gpu === "cpu" ? false : options.gpu,
      // Prebuilt binaries only: a server must never start compiling llama.cpp on a user's machine.
      build: "never",
      maxThreads: options.maxThreads,
      logLevel: LlamaLogLevel.error,
      progressLogs: false,
    });
    runtimes.set(key, runtime);
  }
  return runtime;
}
