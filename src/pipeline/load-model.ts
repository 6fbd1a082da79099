import { LlamaEngine } from "../engine/llama/llama-engine.ts";
import { getLlamaRuntime, type GpuChoice } from "../engine/llama/llama-runtime.ts";
import path from "node:path";
import { ChatRenderer } from "../prompt/render-chat.ts";
import { modelCacheKey, PrefixDiskCache } from "../scheduler/prefix-disk-cache.ts";
import { Scheduler } from "../scheduler/scheduler.ts";
import type { ServedModel } from "./served-model.ts";

export interface LoadModelOptions {
  id: string;
  path: string;
  threads: number;
  parallel: number;
  /** Tokens per slot; bounded by the model's training context. */
  contextSize: number;
  maxQueue: number;
  gpu: GpuChoice;
  /** Directory for disk-cached prompt states; undefined disables the disk cache. */
  cacheDir?: string;
  cacheDiskMaxMiB?: number;
  speculative?: "off" | "lookup";
  /** Chunked-prefill step size while other slots run. */
  prefillChunk?: number;
}

/** Loads a GGUF file and wires its engine, scheduler and chat renderer together. */
export async function loadServedModel(options: LoadModelOptions): Promise<ServedModel> {
  const llama = await getLlamaRuntime({ gpu: options.gpu, maxThreads: options.threads });
  const engine = await LlamaEngine.load(llama, {
    id: options.id,
    path: options.path,
    slots: options.parallel,
    contextSize: options.contextSize,
    threads: options.threads,
    speculative: options.speculative === "lookup" ? "lookup" : undefined,
    prefillChunk: options.prefillChunk,
  });
  const prefixCache = options.cacheDir
    ? await PrefixDiskCache.open({
        dir: path.join(options.cacheDir, await modelCacheKey(options.path)),
        maxBytes: (options.cacheDiskMaxMiB ?? 1024) * 1024 * 1024,
      })
    : undefined;
  return {
    id: options.id,
    engine,
    scheduler: new Scheduler(engine.slots, { maxQueue: options.maxQueue }),
    renderer: new ChatRenderer(engine.info.chatTemplate, { bosToken: engine.info.bosToken, eosToken: engine.info.eosToken }),
    prefixCache,
  };
}
