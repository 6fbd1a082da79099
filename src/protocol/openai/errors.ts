import type { SputnikError } from "../../core/errors.ts";

/** OpenAI's error body: `{error: {message, type, param, code}}`. */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export function toOpenAIErrorBody(error: SputnikError): OpenAIErrorBody {
  return { error: { message: error.message, type: error.type, param: error.param, code: error.code } };
}

export function openAIErrorResponse(error: SputnikError): Response {
  return new Response(JSON.stringify(toOpenAIErrorBody(error)), {
    status: error.status,
    headers: { "Content-Type": "application/json", ...error.headers },
  });
}
