/**
 * HTTP glue shared by the generation routes: run the hooks (keys, limits, moderation, metrics),
 * start the pipeline, turn errors before the first event into plain HTTP errors, and tie the
 * client's connection to the generation's AbortSignal.
 */
import type { Context } from "hono";
import { toSputnikError } from "../../core/errors.ts";
import type { GenerationEvent, GenerationOutcome } from "../../core/events.ts";
import type { GenerationRequest } from "../../core/request.ts";
import { generate } from "../../pipeline/generate.ts";
import { EMPTY_USAGE, type GenerationHook, type HookSession } from "../../pipeline/generation-hooks.ts";
import type { ModelRegistry } from "../../pipeline/model-registry.ts";
import { sseResponse } from "../http/sse.ts";
import { openAIErrorResponse } from "./errors.ts";

export interface GenerationRouteDeps {
  models: ModelRegistry;
  /** Run in order around every generation. */
  hooks: readonly GenerationHook[];
}

export async function runGeneration(
  c: Context,
  deps: GenerationRouteDeps,
  request: GenerationRequest,
  respond: {
    stream: boolean;
    toChunks: (events: AsyncIterable<GenerationEvent>) => AsyncGenerator<unknown>;
    toBody: (events: AsyncIterable<GenerationEvent>) => Promise<unknown>;
  },
): Promise<Response> {
  const abort = new AbortController();
  c.req.raw.signal.addEventListener("abort", () => abort.abort(), { once: true });
  const sessions: HookSession[] = [];
  const settleAll = (outcome: GenerationOutcome) => {
    for (const session of sessions) {
      // A failing observer (ledger write) must not take the response down with it.
      Promise.resolve()
        .then(() => session.settle?.(outcome))
        .catch((error: unknown) => console.error("[sputnik] settle hook failed:", error));
    }
  };
  try {
    const model = deps.models.get(request.model);
    try {
      for (const hook of deps.hooks) {
        const session = await hook.begin(c, request, model);
        if (session) sessions.push(session);
      }
    } catch (error) {
      settleAll({ status: "rejected", usage: { ...EMPTY_USAGE }, error: toSputnikError(error) });
      throw error;
    }
    let events: AsyncIterable<GenerationEvent> = generate(model, request, { signal: abort.signal, onSettled: settleAll });
    for (const session of sessions) if (session.transform) events = session.transform(events);
    const iterator = events[Symbol.asyncIterator]() as AsyncGenerator<GenerationEvent>;
    // Pull the first event before answering, so validation, queue and load errors get a status code.
    const first = await iterator.next();
    if (!first.done && first.value.type === "error") throw first.value.error;
    const replayed = replayFirst(first, iterator);
    if (respond.stream) return sseResponse(respond.toChunks(replayed)[Symbol.asyncIterator](), () => abort.abort());
    const body = await respond.toBody(replayed);
    return c.json(body as object);
  } catch (error) {
    abort.abort();
    return openAIErrorResponse(toSputnikError(error));
  }
}

async function* replayFirst(first: IteratorResult<GenerationEvent>, rest: AsyncGenerator<GenerationEvent>): AsyncGenerator<GenerationEvent> {
  try {
    if (first.done) return;
    yield first.value;
    yield* rest;
  } finally {
    await rest.return(undefined);
  }
}
