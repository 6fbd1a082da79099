/**
 * In-process mode of `sputnik run`: resolve one `--model`-style spec the way `sputnik serve` does
 * (file, NAME=PATH, catalog alias or hf:, downloading when needed), start the ordinary HTTP server
 * on a free loopback port, and wait until the model has loaded. The chat then talks HTTP to it
 * exactly as it would to a remote server, so both modes share one code path.
 */
import { parseServeConfig, type ServeConfig } from "../core/config.ts";
import { parseModelSpec } from "../models/model-spec.ts";
import { resolveModelPathWithProgress } from "../models/pull-command.ts";
import { startServer } from "../server.ts";

export interface LocalServerOptions {
  dataDir?: string;
  threads?: number;
  /** A complete config to use instead of the defaults below (tests: CPU, one thread). */
  config?: ServeConfig;
  /** Where "Loading…" and download progress go. */
  log: NodeJS.WritableStream;
}

export interface LocalServer {
  url: string;
  /** The served model id (what the spec names). */
  id: string;
  close(): Promise<void>;
}

/** Seconds an aborted answer gets to wind down when the chat ends. */
const CLOSE_GRACE_MS = 2000;

/**
 * Starts a private server for one model and resolves once it is ready to answer.
 *
 * @throws the model spec, download or load error; the server is closed again in that case.
 */
export async function startLocalServer(spec: string, options: LocalServerOptions): Promise<LocalServer> {
  const config =
    options.config ??
    parseServeConfig(
      // One user, one conversation: a single slot keeps memory at one context's worth.
      { host: "127.0.0.1", port: 0, models: [spec], threads: options.threads, dataDir: options.dataDir, parallel: 1 },
      process.env,
    );
  const parsed = parseModelSpec(spec);
  const path = await resolveModelPathWithProgress(parsed, config, options.log);
  options.log.write(`Loading ${parsed.id}…\n`);
  // Always loopback and a free port: this server is private to this chat.
  const server = await startServer({ ...config, host: "127.0.0.1", port: 0 }, [{ id: parsed.id, path }]);
  try {
    await server.ready;
  } catch (error) {
    await server.close(0);
    throw error;
  }
  return { url: server.url, id: parsed.id, close: () => server.close(CLOSE_GRACE_MS) };
}
