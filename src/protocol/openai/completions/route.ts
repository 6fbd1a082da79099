import { Hono } from "hono";
import { randomUUID } from "node:crypto";
import { toSputnikError } from "../../../core/errors.ts";
import { readJsonBody } from "../../http/read-json-body.ts";
import type { OpenAIRouteDeps } from "../chat/route.ts";
import { openAIErrorResponse } from "../errors.ts";
import { runGeneration } from "../run-generation.ts";
import { collectCompletion, completionChunks } from "./from-events.ts";
import { toCompletionRequest } from "./to-request.ts";

/** `POST /completions` (mounted under `/v1` and `/beta`, where DeepSeek serves FIM). */
export function completionsRoute(deps: OpenAIRouteDeps): Hono {
  const app = new Hono();
  app.post("/completions", async (c) => {
    let call;
    try {
      const body = await readJsonBody(c, deps.maxBodyBytes);
      call = toCompletionRequest(body, { id: `cmpl-${randomUUID().replaceAll("-", "")}`, clientId: deps.clientId(c) });
    } catch (error) {
      return openAIErrorResponse(toSputnikError(error));
    }
    const echo = call.request.echo ? call.prompt : undefined;
    const wantLogprobs = call.request.logprobs !== undefined;
    return runGeneration(c, deps, call.request, {
      stream: call.stream,
      toChunks: (events) => completionChunks(events, { echo, includeUsage: call.includeUsage, wantLogprobs }),
      toBody: (events) => collectCompletion(events, { echo, wantLogprobs }),
    });
  });
  return app;
}
