/**
 * `POST /api/models/pull {spec}` (admin): downloads a catalog alias or `hf:` file into the data
 * dir and loads it into the running server, streaming progress as server-sent events:
 *
 *   data: {"type":"progress","downloaded_bytes":…,"total_bytes":…}   (at most every PROGRESS_INTERVAL_MS)
 *   data: {"type":"loading","id":…}
 *   data: {"type":"done","id":…}
 *   data: {"type":"error","error":{message,type,param,code}}
 *   data: [DONE]
 *
 * `GET /api/models/catalog` (admin) lists the catalog aliases with their sizes and whether each is
 * already downloaded, for the pull form's suggestions.
 *
 * Closing the connection aborts the download; the partial file is kept, so pulling again resumes.
 * Local file specs are refused: the HTTP API never opens arbitrary paths on the server.
 */
import { Hono } from "hono";
import { z } from "zod";
import { invalidRequest, SputnikError, toSputnikError } from "../../core/errors.ts";
import {
  CATALOG,
  isModelDownloaded,
  ModelError,
  parseModelSpec,
  resolveModelPath,
  type DownloadProgress,
  type ModelSpec,
} from "../../models/index.ts";
import type { ModelRegistry } from "../../pipeline/model-registry.ts";
import type { ServedModel } from "../../pipeline/served-model.ts";
import { requireAuth } from "../../platform/auth/require-auth.ts";
import { readJsonBody } from "../../protocol/http/read-json-body.ts";
import { sseResponse } from "../../protocol/http/sse.ts";
import { toOpenAIErrorBody } from "../../protocol/openai/errors.ts";
import { fromZodError } from "../../protocol/openai/zod-error.ts";

/** Least time between two progress frames, so a fast local download does not flood the browser. */
export const PROGRESS_INTERVAL_MS = 100;

export interface ModelPullDeps {
  models: ModelRegistry;
  /** Where models are stored (`<dataDir>/models`). */
  dataDir: string;
  /** Hugging Face endpoint (or a mirror). */
  hfEndpoint?: string;
  hfToken?: string;
  /** Loads a downloaded GGUF file with the server's settings (threads, slots, context…). */
  loadModel(id: string, path: string): Promise<ServedModel>;
  /** Epoch ms; defaults to `Date.now`. */
  now?: () => number;
}

export type PullEvent =
  | { type: "progress"; downloaded_bytes: number; total_bytes: number | null }
  | { type: "loading"; id: string }
  | { type: "done"; id: string }
  | { type: "error"; error: ReturnType<typeof toOpenAIErrorBody>["error"] };

const pullRequestSchema = z.object({ spec: z.string().trim().min(1).max(500) });

export function modelPullRoutes(deps: ModelPullDeps): Hono {
  const app = new Hono();
  const now = deps.now ?? Date.now;
  const pulling = new Set<string>();

  app.use("*", requireAuth({ scope: "admin" }));
  app.get("/catalog", async (c) => {
    const data = await Promise.all(
      CATALOG.map(async (entry) => ({
        alias: entry.alias,
        family: entry.family,
        parameters: entry.parameters,
        quantization: entry.quantization,
        thinking: entry.thinking,
        approx_bytes: entry.approxBytes,
        description: entry.description,
        downloaded: await isModelDownloaded({ repo: entry.repo, file: entry.file, revision: "main", alias: entry.alias }, deps.dataDir),
      })),
    );
    return c.json({ object: "list", data });
  });
  app.post("/pull", async (c) => {
    const parsed = pullRequestSchema.safeParse(await readJsonBody(c, 64 * 1024));
    if (!parsed.success) throw fromZodError(parsed.error);
    const spec = parseSpec(parsed.data.spec);
    if (deps.models.states().some((state) => state.id === spec.id)) {
      throw new SputnikError(`A model with the id \`${spec.id}\` is already served.`, { status: 409, type: "invalid_request_error", param: "spec", code: "model_exists" });
    }
    if (pulling.has(spec.id)) {
      throw new SputnikError(`\`${spec.id}\` is already being pulled.`, { status: 409, type: "invalid_request_error", param: "spec", code: "pull_in_progress" });
    }
    pulling.add(spec.id);
    const abort = new AbortController();
    const channel = new Channel<PullEvent>();
    let lastProgressAt = -Infinity;
    const onProgress = (progress: DownloadProgress) => {
      const done = progress.totalBytes !== undefined && progress.downloadedBytes >= progress.totalBytes;
      if (!done && now() - lastProgressAt < PROGRESS_INTERVAL_MS) return;
      lastProgressAt = now();
      channel.push({ type: "progress", downloaded_bytes: progress.downloadedBytes, total_bytes: progress.totalBytes ?? null });
    };
    void (async () => {
      try {
        const path = await resolveModelPath(spec, {
          dataDir: deps.dataDir,
          endpoint: deps.hfEndpoint,
          token: deps.hfToken,
          pull: true,
          signal: abort.signal,
          onProgress,
        });
        channel.push({ type: "loading", id: spec.id });
        await deps.models.load(spec.id, () => deps.loadModel(spec.id, path));
        channel.push({ type: "done", id: spec.id });
      } catch (error) {
        channel.push({ type: "error", error: toOpenAIErrorBody(toWireError(error)).error });
      } finally {
        pulling.delete(spec.id);
        channel.close();
      }
    })();
    return sseResponse(channel[Symbol.asyncIterator](), () => abort.abort(), (error) => ({ type: "error", error: toOpenAIErrorBody(toWireError(error)).error }));
  });
  return app;
}

function parseSpec(value: string): ModelSpec & { kind: "remote" } {
  let spec: ModelSpec;
  try {
    spec = parseModelSpec(value);
  } catch (error) {
    throw invalidRequest((error as Error).message, "spec", (error as ModelError).code ?? "invalid_model_spec");
  }
  if (spec.kind !== "remote") {
    throw invalidRequest("Only catalog aliases and `hf:` files can be pulled over HTTP; serve a local file with `sputnik serve --model`.", "spec", "invalid_model_spec");
  }
  return spec;
}

function toWireError(error: unknown): SputnikError {
  if (error instanceof ModelError) {
    return new SputnikError(error.message, { status: 502, type: "server_error", code: error.code });
  }
  return toSputnikError(error);
}

/** A one-consumer queue: producers push, the SSE stream pulls (and waits when it is empty). */
class Channel<T> implements AsyncIterable<T> {
  readonly #items: T[] = [];
  #closed = false;
  #wake: (() => void) | undefined;

  push(item: T): void {
    if (this.#closed) return;
    this.#items.push(item);
    this.#wake?.();
  }

  close(): void {
    this.#closed = true;
    this.#wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      if (this.#items.length > 0) {
        yield this.#items.shift() as T;
        continue;
      }
      if (this.#closed) return;
      await new Promise<void>((resolve) => (this.#wake = resolve));
      this.#wake = undefined;
    }
  }
}
