/**
 * Reads a request body as strict UTF-8 JSON. Each way a body can be wrong gets its own clear 4xx:
 * too large (413), not UTF-8, not JSON, not an object (400).
 */
import type { Context } from "hono";
import { invalidRequest, SputnikError } from "../../core/errors.ts";

/** Default body limit: long prompts fit (about 4M characters), runaway uploads do not. */
export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;

export async function readJsonBody(c: Context, maxBytes: number): Promise<Record<string, unknown>> {
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > maxBytes) throw bodyTooLarge(maxBytes);
  const reader = c.req.raw.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        throw bodyTooLarge(maxBytes);
      }
      chunks.push(value);
    }
  }
  const bytes = Buffer.concat(chunks);
  if (bytes.length === 0) throw invalidRequest("The request body is empty; send a JSON object.", null, "invalid_json");
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw invalidRequest("The request body is not valid UTF-8.", null, "invalid_encoding");
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw invalidRequest(`The request body is not valid JSON: ${(error as Error).message}`, null, "invalid_json");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw invalidRequest("The request body must be a JSON object.", null, "invalid_json");
  }
  return parsed as Record<string, unknown>;
}

function bodyTooLarge(maxBytes: number): SputnikError {
  return new SputnikError(`The request body is larger than the limit of ${maxBytes} bytes.`, {
    status: 413,
    type: "invalid_request_error",
    code: "request_too_large",
  });
}
