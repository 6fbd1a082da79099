/**
 * Server configuration, parsed once at start-up into a frozen, typed object. This is the only
 * module that reads environment variables; everything else receives the config.
 */
import os from "node:os";
import path from "node:path";
import { z } from "zod";

/** Tokens per slot when `--ctx-size` is not given (bounded by the model's training context). */
export const DEFAULT_CONTEXT_SIZE = 4096;
/** Parallel sequences per model when `--parallel` is not given. */
export const DEFAULT_PARALLEL = 4;
/** Requests that may wait for a slot, per model, before 503. */
export const DEFAULT_MAX_QUEUE = 64;
export const DEFAULT_PORT = 8080;
export const DEFAULT_HOST = "127.0.0.1";

/**
 * ggml threads by default. Measured on a 2-core machine (README, "Threads"): with both cores for
 * ggml, the spin-waiting workers starve Node's event loop and decode collapses; one thread per
 * spare core, leaving one core to Node, is the fastest and the steadiest.
 */
export function defaultThreads(cores = os.availableParallelism()): number {
  return Math.max(1, cores - 1);
}

export const serveConfigSchema = z.object({
  host: z.string().min(1).default(DEFAULT_HOST),
  port: z.number().int().min(0).max(65535).default(DEFAULT_PORT),
  models: z.array(z.string().min(1)).default([]),
  dataDir: z.string().min(1),
  threads: z.number().int().min(1).max(256),
  parallel: z.number().int().min(1).max(64).default(DEFAULT_PARALLEL),
  contextSize: z.number().int().min(64).optional(),
  maxQueue: z.number().int().min(0).default(DEFAULT_MAX_QUEUE),
  maxBodyBytes: z.number().int().min(1024).default(8 * 1024 * 1024),
  gpu: z.enum(["auto", "cuda", "vulkan", "metal", "cpu"]).default("auto"),
  /** Download catalog/hf: models that are not in the data dir yet. */
  pull: z.boolean().default(true),
  hfEndpoint: z.string().url().default("https://huggingface.co"),
  hfToken: z.string().optional(),
  /** Context caching on disk: prompt KV states under `<dataDir>/cache`. */
  cacheDisk: z.boolean().default(true),
  /** Size cap of the disk cache per model, in MiB. */
  cacheDiskMaxMiB: z.number().int().min(1).default(1024),
  /** Prompt tokens per step while other slots run (chunked prefill); smaller = smoother streams, slower long prompts. */
  prefillChunk: z.number().int().min(1).max(4096).default(16),
  /** Speculative decoding by prompt lookup (off by default; see README for when it helps). */
  speculative: z.enum(["off", "lookup"]).default("off"),
  /** Seconds SIGTERM waits for in-flight requests before exiting. */
  shutdownGraceSeconds: z.number().min(0).default(30),
  /** PostgreSQL URL for keys, balances and the ledger (shared by instances); SQLite in the data dir when absent. */
  databaseUrl: z.string().regex(/^postgres(ql)?:\/\//i, "must be a postgres:// URL").optional(),
  /** true: keys always required; false: never; undefined: required once a key exists (loopback) or refuse to start keyless (other addresses). */
  auth: z.boolean().optional(),
  /** JSON price table (see src/platform/prices/price-table.ts). */
  pricesFile: z.string().optional(),
  /** Machine cost per hour (decimal amount) to derive prices for models the price table does not list. */
  pricePerHour: z.string().regex(/^\d+(\.\d{1,6})?$/, "must be a decimal amount").optional(),
  /** Currency of `pricePerHour`. */
  priceCurrency: z.enum(["USD", "CNY"]).default("USD"),
  /** Policy file (YAML or JSON): moderation rules, privacy shield, audit and retention. No policy when absent. */
  policyFile: z.string().min(1).optional(),
});

export type ServeConfig = Readonly<z.infer<typeof serveConfigSchema>>;

/** Environment variables Sputnik reads, and nothing else. */
export interface SputnikEnv {
  SPUTNIK_HOME?: string;
  SPUTNIK_HF_ENDPOINT?: string;
  HF_TOKEN?: string;
  /** Same as `--database-url`, kept out of the process list. */
  SPUTNIK_DATABASE_URL?: string;
}

/** Where models are pulled from, and with which token. */
export function hubSettings(env: SputnikEnv): { endpoint: string; token?: string } {
  return { endpoint: env.SPUTNIK_HF_ENDPOINT ?? "https://huggingface.co", token: env.HF_TOKEN };
}

export function resolveDataDir(flag: string | undefined, env: SputnikEnv): string {
  return path.resolve(flag ?? env.SPUTNIK_HOME ?? path.join(os.homedir(), ".sputnik"));
}

export function parseServeConfig(input: Partial<z.input<typeof serveConfigSchema>> & { dataDir?: string }, env: SputnikEnv): ServeConfig {
  const config = serveConfigSchema.parse({
    ...input,
    dataDir: resolveDataDir(input.dataDir, env),
    threads: input.threads ?? defaultThreads(),
    hfEndpoint: input.hfEndpoint ?? env.SPUTNIK_HF_ENDPOINT,
    hfToken: input.hfToken ?? env.HF_TOKEN,
    databaseUrl: input.databaseUrl ?? (env.SPUTNIK_DATABASE_URL || undefined),
  });
  return Object.freeze(config);
}
