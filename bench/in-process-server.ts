/**
 * The server the bench starts in its own process (`--model`), with its data directory.
 *
 * A server writes into its data dir (the SQLite ledger, the disk prompt cache under `cache/`), so
 * a benchmark pointed at the user's real one would leave states and ledger rows behind and, worse,
 * would start with whatever cache earlier runs left there. Unless `--data-dir` names one, the bench
 * therefore uses a fresh temporary directory and removes it at the end.
 *
 * Scenarios that need a new server (the prefix cache across a restart, speculative decoding on and
 * off) call `restart`: the running server is closed and a new one starts on the same model and
 * data dir, optionally with some settings changed.
 */
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseServeConfig, type ServeConfig } from "../src/core/config.ts";
import { startServer, type RunningServer } from "../src/server.ts";

export type SpeculativeMode = "off" | "lookup";

/** node-llama-cpp's counters of drafted tokens, summed over the slots (`validated` + `refuted` = drafts checked). */
export interface TokenPredictionCounts {
  validated: number;
  refuted: number;
  used: number;
  unused: number;
}

/** Settings a scenario may change when it restarts the server. */
export interface ServerChanges {
  speculative?: SpeculativeMode;
}

export interface InProcessServerOptions {
  model: { id: string; path: string };
  gpu: ServeConfig["gpu"];
  threads: number;
  parallel: number;
  contextSize?: number;
  maxQueue?: number;
  speculative?: SpeculativeMode;
  /** The user's `--data-dir`; kept at the end. A temporary directory when absent. */
  dataDir?: string;
  log: (line: string) => void;
}

export class InProcessServer {
  #running: RunningServer;
  #config: ServeConfig;

  private constructor(
    readonly options: InProcessServerOptions,
    readonly dataDir: string,
    /** The bench created the data dir and removes it in `close`. */
    readonly temporaryDataDir: boolean,
    config: ServeConfig,
    running: RunningServer,
  ) {
    this.#config = config;
    this.#running = running;
  }

  /** Creates the data dir (unless given), starts the server and waits until its model is ready. */
  static async start(options: InProcessServerOptions): Promise<InProcessServer> {
    const temporary = options.dataDir === undefined;
    const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), "sputnik-bench-data-")));
    try {
      const config = configFor(options, dataDir, {});
      options.log(
        `starting an in-process server: ${path.basename(options.model.path)}, threads ${config.threads}, parallel ${config.parallel}, ` +
          `ctx ${config.contextSize ?? "default"}, max-queue ${config.maxQueue}, speculative ${config.speculative}, data dir ${temporary ? "temporary" : dataDir}`,
      );
      const running = await launch(config, options.model);
      return new InProcessServer(options, dataDir, temporary, config, running);
    } catch (error) {
      if (temporary) await rm(dataDir, { recursive: true, force: true });
      throw error;
    }
  }

  get url(): string {
    return this.#running.url;
  }

  get config(): ServeConfig {
    return this.#config;
  }

  /** Where the disk prompt cache lives (`<dataDir>/cache`), or null when it is off. */
  get diskCacheDir(): string | null {
    return this.#config.cacheDisk ? path.join(this.dataDir, "cache") : null;
  }

  /**
   * Closes the server at once (in-flight requests are cut: callers restart between requests) and
   * starts a new one on the same model and data dir; resolves with its URL once the model is ready.
   */
  async restart(changes: ServerChanges = {}): Promise<string> {
    await this.#running.close(0);
    this.#config = configFor(this.options, this.dataDir, { ...currentChanges(this.#config), ...changes });
    this.options.log(`restarting the in-process server (speculative ${this.#config.speculative})`);
    this.#running = await launch(this.#config, this.options.model);
    return this.#running.url;
  }

  /**
   * Draft counters of the served model's slots, summed; null when its engine does not expose
   * them. Read from the engine in this process, since the HTTP API does not report them: they
   * show how often prompt-lookup drafts were accepted, which timing alone cannot tell apart from noise.
   */
  tokenPredictions(): TokenPredictionCounts | null {
    const model = this.#running.models.ready()[0];
    const total: TokenPredictionCounts = { validated: 0, refuted: 0, used: 0, unused: 0 };
    for (const slot of model?.engine.slots ?? []) {
      const counts = (slot as { sequence?: { tokenPredictions?: TokenPredictionCounts } }).sequence?.tokenPredictions;
      if (!counts) return null;
      for (const key of Object.keys(total) as (keyof TokenPredictionCounts)[]) total[key] += counts[key];
    }
    return model ? total : null;
  }

  /** Closes the server and removes a temporary data dir. */
  async close(): Promise<void> {
    try {
      await this.#running.close(0);
    } finally {
      if (this.temporaryDataDir) await rm(this.dataDir, { recursive: true, force: true });
    }
  }
}

function currentChanges(config: ServeConfig): ServerChanges {
  return { speculative: config.speculative };
}

function configFor(options: InProcessServerOptions, dataDir: string, changes: ServerChanges): ServeConfig {
  return parseServeConfig(
    {
      host: "127.0.0.1",
      port: 0,
      gpu: options.gpu,
      threads: options.threads,
      parallel: options.parallel,
      contextSize: options.contextSize,
      maxQueue: options.maxQueue,
      models: [options.model.path],
      pull: false,
      dataDir,
      speculative: changes.speculative ?? options.speculative ?? "off",
      // Keys a user's --data-dir may hold would make every bench request a 401; this server is
      // bound to loopback and lives only as long as the bench.
      auth: false,
    },
    {},
  );
}

async function launch(config: ServeConfig, model: { id: string; path: string }): Promise<RunningServer> {
  const running = await startServer(config, [{ id: model.id, path: model.path }]);
  try {
    await running.ready;
  } catch (error) {
    await running.close(0);
    throw error;
  }
  return running;
}

/** A disk cache directory's entries: complete ones (their `.tokens` index, written last, exists) and saves in progress. */
export interface DiskCacheListing {
  complete: Set<string>;
  saving: number;
}

export async function listDiskCache(dir: string): Promise<DiskCacheListing> {
  try {
    const names = await readdir(dir, { recursive: true });
    return { complete: new Set(names.filter((name) => name.endsWith(".tokens"))), saving: names.filter((name) => name.endsWith(".partial")).length };
  } catch {
    return { complete: new Set(), saving: 0 };
  }
}

/**
 * The disk cache saves a prompt's state after its response has been sent, so a client that saw
 * `[DONE]` may still be ahead of the save; a restart then would lose the entry. Polls `dir` until
 * `done(listing)` holds or `timeoutMs` passes; returns whether it held.
 */
export async function waitForDiskCache(dir: string, done: (listing: DiskCacheListing) => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (done(await listDiskCache(dir))) return true;
    if (performance.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
