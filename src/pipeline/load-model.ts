import { LlamaEngine } from "../engine/llama/llama-engine.ts";
import { getLlamaRuntime, type GpuChoice } from "../engine/llama/llama-runtime.ts";
import { ChatRenderer } from "../prompt/render-chat.ts";
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
  });
  return {
    id: options.id,
    engine,
    scheduler: new Scheduler(engine.slots, { maxQueue: options.maxQueue }),
    renderer: new ChatRenderer(engine.info.chatTemplate, { bosToken: engine.info.bosToken, eosToken: engine.info.eosToken }),
  };
}
