import { describe, expect, it } from "vitest";
import { ApiError } from "./api-error.ts";
import { readJsonFrames, readSseEvents, type SseEvent } from "./sse-client.ts";

const encoder = new TextEncoder();

async function* chunksOf(...parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield part;
}

async function collectEvents(parts: Uint8Array[]): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  for await (const event of readSseEvents(chunksOf(...parts))) events.push(event);
  return events;
}

/** A ReadableStream of `parts` that records whether the reader cancelled it. */
function streamOf(parts: Uint8Array[]) {
  const state = { cancelled: false };
  let i = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i < parts.length) controller.enqueue(parts[i++]);
      else controller.close();
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

async function collectFrames(parts: Uint8Array[]): Promise<unknown[]> {
  const frames: unknown[] = [];
  for await (const frame of readJsonFrames(streamOf(parts).stream)) frames.push(frame);
  return frames;
}

// Multi-byte characters of every UTF-8 length (2: é, 3: 思, 4: 🚀), line-ending variants,
// a comment, a multi-line data field and an `event:` name.
const STREAM =
  ': keep-alive\n\n' +
  'data: {"text":"héllo 思考 🚀"}\n\n' +
  'data: {"text":"crlf"}\r\n\r\n' +
  'data: {"text":"cr"}\r\r' +
  'event: note\ndata: line one\ndata: line two\n\n' +
  'data:{"text":"no space"}\n\n';

const EXPECTED: SseEvent[] = [
  { event: undefined, data: '{"text":"héllo 思考 🚀"}' },
  { event: undefined, data: '{"text":"crlf"}' },
  { event: undefined, data: '{"text":"cr"}' },
  { event: "note", data: "line one\nline two" },
  { event: undefined, data: '{"text":"no space"}' },
];

describe("readSseEvents", () => {
  const bytes = encoder.encode(STREAM);

  it("parses a stream delivered in one chunk", async () => {
    expect(await collectEvents([bytes])).toEqual(EXPECTED);
  });

  it("gives the same events however the bytes are split in two", async () => {
    for (let cut = 1; cut < bytes.length; cut++) {
      const events = await collectEvents([bytes.subarray(0, cut), bytes.subarray(cut)]);
      expect(events, `cut at byte ${cut}`).toEqual(EXPECTED);
    }
  });

  it("reassembles a stream delivered one byte at a time", async () => {
    const parts = Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
    expect(await collectEvents(parts)).toEqual(EXPECTED);
  });

  it("joins a 4-byte character split across three chunks", async () => {
    const rocket = encoder.encode("data: 🚀\n\n");
    // "data: " is 6 bytes; the emoji is bytes 6..9.
    const events = await collectEvents([rocket.subarray(0, 7), rocket.subarray(7, 9), rocket.subarray(9)]);
    expect(events).toEqual([{ event: undefined, data: "🚀" }]);
  });

  it("treats a \\r at the end of a chunk and a \\n at the start of the next as one line break", async () => {
    const events = await collectEvents([encoder.encode("data: a\r"), encoder.encode("\n\r"), encoder.encode("\ndata: b\n\n")]);
    expect(events).toEqual([
      { event: undefined, data: "a" },
      { event: undefined, data: "b" },
    ]);
  });

  it("dispatches a last event whose blank line never came", async () => {
    expect(await collectEvents([encoder.encode("data: [DONE]")])).toEqual([{ event: undefined, data: "[DONE]" }]);
    expect(await collectEvents([encoder.encode("data: x\n")])).toEqual([{ event: undefined, data: "x" }]);
  });
});

describe("readJsonFrames", () => {
  it("yields parsed frames and stops at [DONE], cancelling the rest of the body", async () => {
    const { stream, state } = streamOf([encoder.encode('data: {"a":1}\n\ndata: {"a":2}\n\ndata: [DONE]\n\n'), encoder.encode('data: {"a":3}\n\n')]);
    const frames: unknown[] = [];
    for await (const frame of readJsonFrames(stream)) frames.push(frame);
    expect(frames).toEqual([{ a: 1 }, { a: 2 }]);
    expect(state.cancelled).toBe(true);
  });

  it("splits a frame with multi-byte text at every byte and still parses it", async () => {
    const bytes = encoder.encode('data: {"content":"Привет, 世界 👋"}\n\ndata: [DONE]\n\n');
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(await collectFrames([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual([{ content: "Привет, 世界 👋" }]);
    }
  });

  it("throws an ApiError for an error frame, after the frames before it", async () => {
    const frames: unknown[] = [];
    const error = await (async () => {
      try {
        const body = 'data: {"a":1}\n\ndata: {"error":{"message":"Context window exceeded","type":"invalid_request_error","param":null,"code":"context_length_exceeded"}}\n\n';
        for await (const frame of readJsonFrames(streamOf([encoder.encode(body)]).stream)) frames.push(frame);
      } catch (e) {
        return e;
      }
    })();
    expect(frames).toEqual([{ a: 1 }]);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toBe("Context window exceeded");
    expect((error as ApiError).code).toBe("context_length_exceeded");
    expect((error as ApiError).describe()).toBe("Context window exceeded (context_length_exceeded)");
  });

  it("throws an ApiError for a frame that is not JSON", async () => {
    await expect(collectFrames([encoder.encode("data: {oops\n\n")])).rejects.toThrow(/malformed stream frame/);
  });
});
