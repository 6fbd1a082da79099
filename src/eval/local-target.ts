/**
 * `--model ID_OR_PATH`: evaluate local models without a separate server. The specs are resolved
 * exactly as `sputnik serve` resolves them (path, NAME=PATH, catalog alias, hf:, downloading when
 * allowed), then one in-process Sputnik serves them all on a free loopback port, and the
 * evaluation talks HTTP to it like to any other endpoint — one code path for local and remote.
 */
import { parseServeConfig, type ServeConfig, type SputnikEnv } from "../core/config.ts";
import { parseModelSpec, resolveModelPathWithProgress } from "../models/index.ts";
import { startServer } from "../server.ts";

/** Options of {@link startLocalModels}. */
export interface LocalModelsOptions {
  dataDir: string;
  env: SputnikEnv;
  /** Slots per model: the run's per-target concurrency. */
  parallel: number;
  /** Longest answer asked for; the context is sized from it. */
  maxTokens: number;
  threads?: number;
  gpu?: ServeConfig["gpu"];
  /** Download catalog models that are missing. Default true. */
  pull?: boolean;
  /** Where download progress and "Loading…" go. */
  log: NodeJS.WritableStream;
}

/** The running in-process server. */
export interface LocalModels {
  /** OpenAI base URL (`…/v1`). */
  baseUrl: string;
  /** Model ids, in the order of the specs. */
  ids: string[];
  close(): Promise<void>;
}

/** Room for the longest prompt (the judge's, which quotes an answer) on top of the answer itself. */
const PROMPT_ROOM = 2048;

/**
 * Resolves the specs and starts one server for all of them; resolves once every model is loaded.
 *
 * @throws the spec, download or load error (the server is closed again first).
 */
export async function startLocalModels(specs: string[], options: LocalModelsOptions): Promise<LocalModels> {
  const config = parseServeConfig(
    {
      host: "127.0.0.1",
      port: 0,
      dataDir: options.dataDir,
      parallel: options.parallel,
      threads: options.threads,
      gpu: options.gpu,
      pull: options.pull ?? true,
      // Small prompts: a context sized to the answer keeps N slots of a large model in memory.
      contextSize: Math.max(1024, options.maxTokens + PROMPT_ROOM),
    },
    options.env,
  );
  const parsed = specs.map((spec) => parseModelSpec(spec));
  const duplicate = parsed.find((spec, index) => parsed.findIndex((other) => other.id === spec.id) !== index);
  if (duplicate) throw new Error(`--model: two models are named "${duplicate.id}"; give one a NAME=… prefix`);
  const sources = [];
  for (const spec of parsed) {
    sources.push({ id: spec.id, path: await resolveModelPathWithProgress(spec, config, options.log) });
  }
  options.log.write(`Loading ${sources.map((s) => s.id).join(", ")}…\n`);
  const server = await startServer(config, sources);
  try {
    await server.ready;
  } catch (error) {
    await server.close(0);
    throw error;
  }
  return { baseUrl: `${server.url}/v1`, ids: sources.map((s) => s.id), close: () => server.close(2000) };
}
