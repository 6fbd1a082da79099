/**
 * A small Server-Sent Events reader for OpenAI-style streams: `data: {json}` frames separated by
 * blank lines, ended by `data: [DONE]`.
 *
 * Network chunks split anywhere — inside a line, between `\r` and `\n`, inside a multi-byte UTF-8
 * character — so bytes go through a streaming `TextDecoder` and complete lines are cut from a
 * buffer; nothing is parsed until its line is complete.
 */
import { ApiError, wireErrorOf } from "./api-error.ts";

/** One dispatched SSE event: its `event:` name (if any) and its `data:` lines joined by `\n`. */
export interface SseEvent {
  event?: string;
  data: string;
}

/**
 * Splits a byte stream into SSE events (WHATWG "event stream interpretation", minus `id`/`retry`,
 * which an OpenAI stream never uses). Comment lines (`: keep-alive`) are skipped.
 *
 * At the end of the stream an event still being built is dispatched rather than dropped: a server
 * that forgets the final blank line after `data: [DONE]` should not turn a good answer into an error.
 */
export async function* readSseEvents(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder("utf-8");
  let buffer = "";
  let data: string[] = [];
  let event: string | undefined;

  // Returns the event to dispatch when `line` is the blank line that ends one.
  const feedLine = (line: string): SseEvent | undefined => {
    if (line === "") {
      const ready = data.length > 0 ? { event, data: data.join("\n") } : undefined;
      data = [];
      event = undefined;
      return ready;
    }
    if (line.startsWith(":")) return undefined;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") data.push(value);
    else if (field === "event") event = value;
    return undefined;
  };

  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let start = 0;
    for (;;) {
      const lf = buffer.indexOf("\n", start);
      const cr = buffer.indexOf("\r", start);
      const end = cr >= 0 && (lf < 0 || cr < lf) ? cr : lf;
      if (end < 0) break;
      // A `\r` at the very end may be the first half of `\r\n`: wait for the next chunk.
      if (end === cr && cr === buffer.length - 1) break;
      const next = end === cr && buffer[cr + 1] === "\n" ? cr + 2 : end + 1;
      const ready = feedLine(buffer.slice(start, end));
      start = next;
      if (ready) yield ready;
    }
    buffer = buffer.slice(start);
  }
  buffer += decoder.decode();
  // Whatever is left is one or more final lines without their terminator.
  for (const line of buffer.split(/\r\n|\r|\n/)) {
    const ready = feedLine(line);
    if (ready) yield ready;
  }
  const last = feedLine("");
  if (last) yield last;
}

/**
 * Yields the parsed JSON of each `data:` frame of an OpenAI-style stream and stops at `[DONE]`.
 *
 * @throws {ApiError} for an `{error: {...}}` frame (the server failed mid-answer) or a frame that
 *   is not JSON.
 */
export async function* readJsonFrames(body: ReadableStream<Uint8Array>): AsyncGenerator<unknown> {
  const reader = body.getReader();
  const chunks: AsyncIterable<Uint8Array> = {
    async *[Symbol.asyncIterator]() {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    },
  };
  try {
    for await (const { data } of readSseEvents(chunks)) {
      if (data === "[DONE]") return;
      let frame: unknown;
      try {
        frame = JSON.parse(data);
      } catch (error) {
        throw new ApiError(`The server sent a malformed stream frame: ${data.slice(0, 80)}`, { cause: error });
      }
      const wireError = wireErrorOf(frame);
      if (wireError) throw ApiError.fromWire(wireError);
      yield frame;
    }
  } finally {
    // Stopping early ([DONE], an error, or the consumer breaking out) must release the connection.
    await reader.cancel().catch(() => undefined);
  }
}
