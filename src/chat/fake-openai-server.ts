/**
 * Test helpers: a scripted OpenAI-compatible server on `node:http` that records every request
 * body, and an output stream that can be awaited until some text appears (no sleeps in tests).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";

export interface FakeModel {
  id: string;
  thinking?: boolean;
}

/** Answers one chat request; `body` is the parsed JSON the client sent. */
export type FakeHandler = (body: Record<string, unknown>, res: ServerResponse, req: IncomingMessage) => void | Promise<void>;

export interface FakeServer {
  url: string;
  /** Chat request bodies, in arrival order. */
  requests: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

/** Starts the fake on a free loopback port. `GET /v1/models` lists `models`. */
export async function startFakeServer(models: FakeModel[], handler: FakeHandler): Promise<FakeServer> {
  const requests: Array<Record<string, unknown>> = [];
  const server = createServer((req, res) => {
    if (req.method === "GET" && req.url === "/v1/models") {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ object: "list", data: models.map((m) => ({ id: m.id, object: "model", meta: { status: "ready", thinking: m.thinking } })) }));
      return;
    }
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (raw += chunk));
    req.on("end", () => {
      const body = JSON.parse(raw) as Record<string, unknown>;
      requests.push(body);
      void handler(body, res, req);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Starts an SSE response. */
export function beginStream(res: ServerResponse): void {
  res.writeHead(200, { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache" });
}

/** Writes one `data:` frame. */
export function sendFrame(res: ServerResponse, frame: unknown): void {
  res.write(`data: ${typeof frame === "string" ? frame : JSON.stringify(frame)}\n\n`);
}

/** A `chat.completion.chunk` with one delta. */
export function deltaChunk(delta: Record<string, unknown>, finishReason: string | null = null, extra: Record<string, unknown> = {}) {
  return { id: "chatcmpl-fake", object: "chat.completion.chunk", model: "fake", choices: [{ index: 0, delta, finish_reason: finishReason, ...extra }] };
}

/** The final usage chunk. */
export function usageChunk(prompt: number, completion: number, cached = 0, reasoning = 0) {
  return {
    id: "chatcmpl-fake",
    object: "chat.completion.chunk",
    choices: [],
    usage: {
      prompt_tokens: prompt,
      completion_tokens: completion,
      total_tokens: prompt + completion,
      prompt_tokens_details: { cached_tokens: cached },
      completion_tokens_details: { reasoning_tokens: reasoning },
    },
  };
}

/** A writable that keeps everything written and lets a test wait for some text. */
export class Capture extends Writable {
  text = "";
  isTTY?: boolean;
  private waiters: Array<{ needle: string; from: number; resolve: () => void }> = [];

  constructor(options: { isTTY?: boolean } = {}) {
    super({ decodeStrings: false });
    if (options.isTTY) this.isTTY = true;
  }

  override _write(chunk: string | Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString();
    this.waiters = this.waiters.filter((w) => {
      if (!this.text.includes(w.needle, w.from)) return true;
      w.resolve();
      return false;
    });
    callback();
  }

  /** Resolves once the captured text contains `needle` at or after offset `from`. */
  waitFor(needle: string, from = 0): Promise<void> {
    if (this.text.includes(needle, from)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ needle, from, resolve }));
  }
}
