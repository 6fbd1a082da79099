/**
 * HTTP glue shared by the generation routes: start the pipeline, turn errors before the first
 * event into plain HTTP errors, and tie the client's connection to the generation's AbortSignal.
 */
import type { Context } from "hono";
import { toSputnikError } from "../../core/errors.ts";
import type { GenerationEvent } from "../../core/events.ts";
import type { GenerationRequest } from "../../core/request.ts";
import type { ServerMetrics } from "../../observability/metrics.ts";
import type { ModelRegistry } from "../../pipeline/model-registry.ts";
import { generate } from "../../pipeline/generate.ts";
import { sseResponse } from "../http/sse.ts";
import { openAIErrorResponse } from "./errors.ts";

export interface GenerationRouteDeps {
  models: ModelRegistry;
  metrics?: ServerMetrics;
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
  const clientGone = () => abort.abort();
  c.req.raw.signal.addEventListener("abort", clientGone, { once: true });
  try {
    const model = deps.models.get(request.model);
    const generation = generate(model, request, { signal: abort.signal });
    const iterator = deps.metrics ? deps.metrics.observe(model.id, generation) : generation;
    // Pull the first event before answering, so validation, queue and load errors get a status code.
    const first = await iterator.next();
    if (!first.done && first.value.type === "error") throw first.value.error;
    const events = replayFirst(first, iterator);
    if (respond.stream) return sseResponse(respond.toChunks(events)[Symbol.asyncIterator](), () => abort.abort());
    const body = await respond.toBody(events);
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
