/**
 * Server-sent events from a `fetch` body: yields each event's `data` (multi-line data joined with
 * `\n`), stops at `[DONE]`. Pure (no DOM), so it is unit-tested in Node.
 */
export async function* readSseData(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = new SseParser();
  const onAbort = () => void reader.cancel().catch(() => undefined);
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      const events = parser.push(done ? decoder.decode() : decoder.decode(value, { stream: true }));
      for (const data of events) {
        if (data === "[DONE]") return;
        yield data;
      }
      if (done) {
        const last = parser.end();
        if (last !== undefined && last !== "[DONE]") yield last;
        return;
      }
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    reader.releaseLock();
  }
}

/** Incremental SSE parser: feed text chunks, get completed events' data. */
export class SseParser {
  #buffer = "";
  #data: string[] = [];

  push(text: string): string[] {
    this.#buffer += text;
    const events: string[] = [];
    for (;;) {
      const newline = this.#buffer.search(/\r\n|\r|\n/);
      if (newline < 0) break;
      const line = this.#buffer.slice(0, newline);
      const width = this.#buffer.startsWith("\r\n", newline) ? 2 : 1;
      // A lone "\r" at the end may be the first half of "\r\n": wait for more.
      if (width === 1 && this.#buffer[newline] === "\r" && newline === this.#buffer.length - 1) break;
      this.#buffer = this.#buffer.slice(newline + width);
      if (line === "") {
        if (this.#data.length > 0) events.push(this.#data.join("\n"));
        this.#data = [];
      } else if (line.startsWith("data:")) {
        this.#data.push(line.slice(line.startsWith("data: ") ? 6 : 5));
      }
      // Comments (`:`), `event:`, `id:` and `retry:` lines are not used by these APIs.
    }
    return events;
  }

  /** The event left without a closing blank line when the stream ended, if any. */
  end(): string | undefined {
    if (this.#buffer.startsWith("data:")) this.#data.push(this.#buffer.slice(this.#buffer.startsWith("data: ") ? 6 : 5));
    this.#buffer = "";
    const data = this.#data.length > 0 ? this.#data.join("\n") : undefined;
    this.#data = [];
    return data;
  }
}
