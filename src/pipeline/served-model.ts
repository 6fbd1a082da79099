import type { Engine } from "../engine/engine.ts";
import type { ChatRenderer } from "../prompt/render-chat.ts";
import type { PrefixDiskCache } from "../scheduler/prefix-disk-cache.ts";
import type { Scheduler } from "../scheduler/scheduler.ts";

/** Everything needed to serve one model: its engine, its slot scheduler and its prompt renderer. */
export interface ServedModel {
  readonly id: string;
  readonly engine: Engine;
  readonly scheduler: Scheduler;
  readonly renderer: ChatRenderer;
  /** Prompt KV states on disk, when context caching on disk is enabled. */
  readonly prefixCache?: PrefixDiskCache;
}
