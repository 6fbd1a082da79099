/**
 * A Sputnik app assembled by hand (platform + app + HTTP server) for tests that need to reach
 * inside: a model whose real engine is made to fail after N tokens (fault injection, not a fake —
 * the tokens before the fault are real), or a platform with a test clock.
 */
import { serve } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { inject } from "vitest";
import { createApp } from "../../../src/app.ts";
import type { EngineSlot, SlotRun } from "../../../src/engine/engine.ts";
import { loadServedModel } from "../../../src/pipeline/load-model.ts";
import { ModelRegistry } from "../../../src/pipeline/model-registry.ts";
import type { ServedModel } from "../../../src/pipeline/served-model.ts";
import { createPlatform, type Platform, type PlatformOptions } from "../../../src/platform/platform.ts";
import { Scheduler } from "../../../src/scheduler/scheduler.ts";

export interface AppServer extends AsyncDisposable {
  url: string;
  platform: Platform;
  model: ServedModel;
}

/** Serves the tiny ChatML model as `chatml`; with `failAfterTokens`, every generation throws after that many tokens. */
export async function startAppServer(platformOptions: PlatformOptions, options: { failAfterTokens?: number } = {}): Promise<AppServer> {
  const platform = await createPlatform(platformOptions);
  const base = await loadServedModel({ id: "chatml", path: inject("tinyModels").chatml, threads: 1, parallel: 1, contextSize: 512, maxQueue: 8, gpu: "cpu" });
  const model: ServedModel =
    options.failAfterTokens === undefined
      ? base
      : { ...base, scheduler: new Scheduler(base.engine.slots.map((slot) => failingSlot(slot, options.failAfterTokens!)), { maxQueue: 8 }) };
  const models = new ModelRegistry();
  await models.load("chatml", async () => model);
  const app = createApp({ models, maxBodyBytes: 1 << 20, platform });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      await models.dispose();
      await platform.dispose();
    })());
  return { url, platform, model, [Symbol.asyncDispose]: close };
}

function failingSlot(slot: EngineSlot, after: number): EngineSlot {
  return {
    get index() {
      return slot.index;
    },
    get cachedTokens() {
      return slot.cachedTokens;
    },
    sharedPrefixLength: (tokens) => slot.sharedPrefixLength(tokens),
    saveState: (file) => slot.saveState(file),
    loadState: (file) => slot.loadState(file),
    async run(prompt, runOptions): Promise<SlotRun> {
      const run = await slot.run(prompt, runOptions);
      return {
        get reusedTokens() {
          return run.reusedTokens;
        },
        inject: (tokens) => run.inject(tokens),
        async *[Symbol.asyncIterator]() {
          let n = 0;
          for await (const token of run) {
            if (++n > after) throw new Error("injected engine fault");
            yield token;
          }
        },
      };
    },
  };
}
