/**
 * HTTP glue shared by the generation routes: run the hooks (keys, limits, moderation, metrics),
 * start the pipeline, turn errors before the first event into plain HTTP errors, and tie the
 * client's connection to the generation's AbortSignal.
 */
import type { Context } from "hono";
import { toSputnikError } from "../../core/errors.ts";
import type { FinishReason, GenerationEvent, GenerationOutcome } from "../../core/events.ts";
import type { GenerationRequest } from "../../core/request.ts";
import { generate } from "../../pipeline/generate.ts";
import { EMPTY_USAGE, type GenerationHook, type HookSession } from "../../pipeline/generation-hooks.ts";
import type { ModelRegistry } from "../../pipeline/model-registry.ts";
import { sseResponse } from "../http/sse.ts";
import { openAIErrorResponse, toOpenAIErrorBody } from "./errors.ts";

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
  // How the engine ended, and what the client was finally told: a moderation gate may stop reading
  // the engine (which then reports "cancelled") yet end the response properly with content_filter.
  let engineOutcome: GenerationOutcome | undefined;
  let wireFinish: FinishReason | undefined;
  let settled = false;
  const finalize = (fallback: GenerationOutcome) => {
    if (settled) return;
    settled = true;
    let outcome = engineOutcome ?? fallback;
    if (wireFinish) outcome = { ...outcome, status: "completed", finishReason: wireFinish, error: undefined };
    settleAll(outcome);
  };
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
    // A full queue refuses before any hook does work (ledger rows, prompt rendering for estimates).
    model.scheduler.assertAcceptsWork();
    try {
      for (const hook of deps.hooks) {
        const session = await hook.begin(c, request, model);
        if (session) sessions.push(session);
      }
    } catch (error) {
      finalize({ status: "rejected", usage: { ...EMPTY_USAGE }, error: toSputnikError(error) });
      throw error;
    }
    const onSettled = (outcome: GenerationOutcome) => {
      engineOutcome = outcome;
      for (const session of sessions) session.engineEnded?.(outcome);
    };
    let events: AsyncIterable<GenerationEvent> = generate(model, request, { signal: abort.signal, onSettled });
    for (const session of sessions) if (session.transform) events = session.transform(events);
    const iterator = events[Symbol.asyncIterator]() as AsyncGenerator<GenerationEvent>;
    // Pull the first event before answering, so validation, queue and load errors get a status code.
    const first = await iterator.next();
    if (!first.done && first.value.type === "error") throw first.value.error;
    const replayed = replayFirst(first, iterator, {
      onFinish: (reason) => (wireFinish = reason),
      onEnd: () => finalize({ status: "cancelled", usage: { ...EMPTY_USAGE } }),
    });
    if (respond.stream) {
      const errorFrame = (error: unknown) => toOpenAIErrorBody(toSputnikError(error));
      return sseResponse(respond.toChunks(replayed)[Symbol.asyncIterator](), () => abort.abort(), errorFrame);
    }
    const body = await respond.toBody(replayed);
    return c.json(body as object);
  } catch (error) {
    abort.abort();
    const failure = toSputnikError(error);
    finalize({ status: failure.status < 500 ? "rejected" : "failed", usage: { ...EMPTY_USAGE }, error: failure });
    return openAIErrorResponse(failure);
  }
}

/** Yields the already-pulled first event, then the rest; reports the finish and the end. */
async function* replayFirst(
  first: IteratorResult<GenerationEvent>,
  rest: AsyncGenerator<GenerationEvent>,
  observer: { onFinish: (reason: FinishReason) => void; onEnd: () => void },
): AsyncGenerator<GenerationEvent> {
  try {
    if (first.done) return;
    yield first.value;
    for await (const event of rest) {
      if (event.type === "finish") observer.onFinish(event.finishReason);
      yield event;
    }
  } finally {
    await rest.return(undefined);
    observer.onEnd();
  }
}
