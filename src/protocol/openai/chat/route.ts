import { Hono, type Context } from "hono";
import { randomUUID } from "node:crypto";
import { toSputnikError } from "../../../core/errors.ts";
import { readJsonBody } from "../../http/read-json-body.ts";
import { openAIErrorResponse } from "../errors.ts";
import { runGeneration, type GenerationRouteDeps } from "../run-generation.ts";
import { chatCompletionChunks, collectChatCompletion } from "./from-events.ts";
import { toChatRequest } from "./to-request.ts";

export interface OpenAIRouteDeps extends GenerationRouteDeps {
  maxBodyBytes: number;
  /** Identifies the caller for fair queueing (API key once keys exist, else the connection). */
  clientId: (c: Context) => string;
}

/** `POST /chat/completions` (mounted under `/v1` and DeepSeek's `/beta`). */
export function chatCompletionsRoute(deps: OpenAIRouteDeps): Hono {
  const app = new Hono();
  app.post("/chat/completions", async (c) => {
    let call;
    try {
      const body = await readJsonBody(c, deps.maxBodyBytes);
      call = toChatRequest(body, { id: `chatcmpl-${randomUUID().replaceAll("-", "")}`, clientId: deps.clientId(c) });
    } catch (error) {
      return openAIErrorResponse(toSputnikError(error));
    }
    const wantLogprobs = call.request.logprobs !== undefined;
    return runGeneration(c, deps, call.request, {
      stream: call.stream,
      toChunks: (events) => chatCompletionChunks(events, { includeUsage: call.includeUsage, wantLogprobs }),
      toBody: (events) => collectChatCompletion(events, wantLogprobs),
    });
  });
  return app;
}
