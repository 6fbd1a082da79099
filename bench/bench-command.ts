/**
 * `sputnik bench`: measures a Sputnik server (or any OpenAI-compatible one) from the client side
 * and compares it with node-llama-cpp driven directly. Five scenarios:
 *
 * - `throughput` (default): TTFT, inter-token latency, aggregate and per-stream tok/s, errors and
 *   cache hits per concurrency level, beside the raw engine at the same level;
 * - `prefix-cache`: TTFT of a long prompt, cold and then with its prefix cached (in memory, and on
 *   disk across a server restart);
 * - `overload`: how fast and how politely (Retry-After) a full server refuses extra requests;
 * - `prefill-interference`: how much a long prompt's prefill slows streams that are decoding;
 * - `speculative`: decode speed with and without prompt-lookup speculative decoding.
 *
 * With `--model` it starts the server in this process (threads, slots, context and queue from the
 * flags, a temporary data dir unless `--data-dir`); with `--url` it measures a running server.
 */
import { existsSync } from "node:fs";
import { z } from "zod";
import { parseModelSpec } from "../src/models/model-spec.ts";
import { EngineBaseline } from "./engine-baseline.ts";
import { InProcessServer } from "./in-process-server.ts";
import { firstServedModel } from "./load-generator.ts";
import { environmentInfo, renderMarkdown, writeReport, type BenchReport, type BenchSettings, type ScenarioName, type ServerInfo } from "./report.ts";
import type { ScenarioContext } from "./scenarios/common.ts";
import { OVERLOAD_DEFAULT_MAX_QUEUE, runOverloadScenario } from "./scenarios/overload.ts";
import { runPrefillInterferenceScenario } from "./scenarios/prefill-interference.ts";
import { runPrefixCacheScenario } from "./scenarios/prefix-cache.ts";
import { runSpeculativeScenario } from "./scenarios/speculative.ts";
import { runThroughputScenario } from "./scenarios/throughput.ts";

/** ggml threads by default: on a 2-core machine two ggml threads starve Node's event loop (see the report). */
export const BENCH_DEFAULT_THREADS = 1;
export const DEFAULT_USD_CNY = 7.2;
/** Context per slot for prefill-interference: room for the 4,000-token prompt and more. */
export const INTERFERENCE_DEFAULT_CTX = 8192;
export const SCENARIOS = ["throughput", "prefix-cache", "overload", "prefill-interference", "speculative"] as const;

/** Flags as commander hands them over (numbers may still be strings). */
export interface BenchFlags {
  scenario?: string;
  url?: string;
  model?: string;
  /** Data dir of the in-process server; a temporary one (removed at the end) when absent. */
  dataDir?: string;
  threads?: number | string;
  parallel?: number | string;
  ctxSize?: number | string;
  maxQueue?: number | string;
  gpu?: string;
  api?: string;
  concurrency?: string | number[];
  promptTokens?: number | string;
  outputTokens?: number | string;
  requests?: number | string;
  sharedPrefix?: number | string;
  /** `--no-baseline` sets this to false. */
  baseline?: boolean;
  pricePerHour?: number | string;
  usdCny?: number | string;
  out?: string;
  warmup?: number | string;
  seed?: number | string;
  /** No progress lines and no printed table (tests). */
  quiet?: boolean;
}

const int = (min: number, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max);
const concurrencyList = z.preprocess(
  (value) => (typeof value === "string" ? value.split(",").map((part) => Number(part.trim())) : value),
  z.array(z.number().int().min(1).max(1024)).min(1),
);

const flagsSchema = z.object({
  scenario: z.enum(SCENARIOS).default("throughput"),
  url: z.string().url().optional(),
  model: z.string().min(1).optional(),
  dataDir: z.string().min(1).optional(),
  threads: int(1, 256).default(BENCH_DEFAULT_THREADS),
  parallel: int(1, 64).optional(),
  ctxSize: int(64).optional(),
  maxQueue: int(0).optional(),
  gpu: z.enum(["auto", "cuda", "vulkan", "metal", "cpu"]).default("cpu"),
  // Optional: the default depends on the scenario (see scenarioDefaults).
  api: z.enum(["chat", "completions"]).optional(),
  // Optional: the default depends on the scenario (see scenarioDefaults).
  concurrency: concurrencyList.optional(),
  promptTokens: int(1).optional(),
  outputTokens: int(1).optional(),
  requests: int(1).optional(),
  sharedPrefix: z.coerce.number().min(0).max(1).default(0),
  baseline: z.boolean().default(true),
  pricePerHour: z.coerce.number().positive().optional(),
  usdCny: z.coerce.number().positive().default(DEFAULT_USD_CNY),
  out: z.string().min(1).optional(),
  warmup: int(0).default(1),
  seed: int(0).default(1),
  quiet: z.boolean().default(false),
});

export type BenchOptions = z.infer<typeof flagsSchema>;

export function parseBenchFlags(flags: BenchFlags): BenchOptions {
  const parsed = flagsSchema.safeParse(Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined)));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`bench: --${kebab(String(issue.path[0] ?? "?"))}: ${issue.message}`);
  }
  const options = parsed.data;
  if (!options.url && !options.model) throw new Error("bench: give --model <path|NAME=PATH> to start a server, or --url <base> to bench a running one");
  if (options.url && options.scenario === "speculative") throw new Error("bench: --scenario speculative restarts the server with and without speculative decoding: give --model, not --url");
  if (options.url && options.dataDir) throw new Error("bench: --data-dir is for the in-process server (--model), not with --url");
  return options;
}

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export interface ScenarioDefaults {
  api: "chat" | "completions";
  concurrency: number[];
  promptTokens: number;
  outputTokens: number;
  parallel: number;
  contextSize: number | undefined;
  maxQueue: number | undefined;
}

/** Scenario-specific defaults for flags left out. */
export function scenarioDefaults(options: BenchOptions): ScenarioDefaults {
  const given = { api: options.api ?? ("chat" as const), contextSize: options.ctxSize, maxQueue: options.maxQueue };
  switch (options.scenario) {
    case "prefix-cache":
      return { ...given, concurrency: options.concurrency ?? [1], promptTokens: options.promptTokens ?? 2000, outputTokens: options.outputTokens ?? 8, parallel: options.parallel ?? 4 };
    case "overload":
      return {
        ...given,
        concurrency: options.concurrency ?? [1, 2, 4, 8],
        promptTokens: options.promptTokens ?? 32,
        outputTokens: options.outputTokens ?? 8,
        parallel: options.parallel ?? 4,
        maxQueue: options.maxQueue ?? OVERLOAD_DEFAULT_MAX_QUEUE,
      };
    case "prefill-interference": {
      const concurrency = options.concurrency ?? [4];
      const promptTokens = options.promptTokens ?? 4000;
      return {
        // Token timing is what counts here, not the template; and random-weight test models often
        // answer a chat template with whitespace only, which streams no chunks to time.
        api: options.api ?? "completions",
        concurrency,
        promptTokens,
        outputTokens: options.outputTokens ?? 256,
        // A slot for every stream and one for the long request, so it never waits in the queue.
        parallel: options.parallel ?? Math.min(64, concurrency[0] + 1),
        // The long prompt must fit one slot's context, with room for the template.
        contextSize: options.ctxSize ?? Math.max(INTERFERENCE_DEFAULT_CTX, promptTokens + 512),
        maxQueue: options.maxQueue,
      };
    }
    case "speculative":
      // One request at a time: lookup drafting matters most to a single stream. Completions
      // only: the chat template's extra tokens add nothing here.
      return { ...given, api: "completions", concurrency: options.concurrency ?? [1], promptTokens: options.promptTokens ?? 128, outputTokens: options.outputTokens ?? 128, parallel: options.parallel ?? 1 };
    default: {
      const concurrency = options.concurrency ?? [1, 2, 4, 8];
      return {
        ...given,
        concurrency,
        promptTokens: options.promptTokens ?? 128,
        outputTokens: options.outputTokens ?? 64,
        // One slot per request of the highest level, so every level can batch fully.
        parallel: options.parallel ?? Math.min(64, Math.max(...concurrency)),
      };
    }
  }
}

function localModel(spec: string): { id: string; path: string } {
  const parsed = parseModelSpec(spec);
  if (parsed.kind !== "file") throw new Error(`bench: --model must be a local GGUF file (PATH or NAME=PATH), got "${spec}"`);
  if (!existsSync(parsed.path)) throw new Error(`bench: no such model file: ${parsed.path}`);
  return { id: parsed.id, path: parsed.path };
}

export async function runBenchCommand(flags: BenchFlags): Promise<BenchReport> {
  const options = parseBenchFlags(flags);
  const defaults = scenarioDefaults(options);
  const startedAt = new Date();
  const started = performance.now();
  const environment = environmentInfo();
  const log = options.quiet ? () => undefined : (line: string) => console.error(line);
  const notes: string[] = [];
  const model = options.model ? localModel(options.model) : null;
  let inProcess: InProcessServer | undefined;
  let engine: EngineBaseline | null = null;
  try {
    let server: ServerInfo;
    if (options.url) {
      const listed = await firstServedModel(options.url);
      server = {
        url: options.url.replace(/\/+$/, ""),
        inProcess: false,
        model: listed,
        modelPath: model?.path ?? null,
        threads: options.threads,
        parallel: options.parallel ?? null,
        contextSize: options.ctxSize ?? null,
        maxQueue: options.maxQueue ?? null,
        speculative: null,
        dataDir: null,
      };
      notes.push("--url: threads, parallel, ctx-size and max-queue in this report are what the flags said, not read from the server");
    } else {
      const source = model as { id: string; path: string };
      inProcess = await InProcessServer.start({
        model: source,
        gpu: options.gpu,
        threads: options.threads,
        parallel: defaults.parallel,
        contextSize: defaults.contextSize,
        maxQueue: defaults.maxQueue,
        speculative: "off",
        dataDir: options.dataDir,
        log,
      });
      const config = inProcess.config;
      server = {
        url: inProcess.url,
        inProcess: true,
        model: source.id,
        modelPath: source.path,
        threads: config.threads,
        parallel: config.parallel,
        contextSize: config.contextSize ?? 4096,
        maxQueue: config.maxQueue,
        speculative: config.speculative,
        dataDir: { path: inProcess.dataDir, temporary: inProcess.temporaryDataDir },
      };
      notes.push("in-process: the load generator shares the server's Node process and event loop; for a cleaner client, bench a separate `sputnik serve` with --url");
    }
    if (server.threads != null && server.threads >= environment.cpus) {
      notes.push(`${server.threads} ggml threads on ${environment.cpus} CPUs: the busy-waiting ggml workers compete with Node's event loop`);
    }

    const wantBaseline = options.baseline && options.scenario === "throughput";
    if (wantBaseline && !model) notes.push("no engine baseline: --url without --model gives no model file to load");
    if (wantBaseline && model) {
      log("loading the engine baseline (node-llama-cpp directly)");
      engine = await EngineBaseline.load({ path: model.path, threads: options.threads, contextSize: server.contextSize ?? options.ctxSize ?? 4096 });
    }

    const settings: BenchSettings = {
      api: defaults.api,
      concurrency: defaults.concurrency,
      promptTokens: defaults.promptTokens,
      promptWords: defaults.promptTokens,
      outputTokens: defaults.outputTokens,
      requests: options.requests ?? null,
      sharedPrefix: options.sharedPrefix,
      warmup: options.warmup,
      seed: options.seed,
      baseline: engine !== null,
      pricePerHourUsd: options.pricePerHour ?? null,
      usdCny: options.usdCny,
    };
    const ctx: ScenarioContext = { url: server.url, server, settings, baseline: engine, log, notes, diskCacheDir: inProcess?.diskCacheDir ?? null };
    const restartable = inProcess;
    if (restartable) {
      ctx.restart = async (changes) => {
        const url = await restartable.restart(changes);
        ctx.url = url;
        server.url = url;
        return url;
      };
      ctx.tokenPredictions = () => restartable.tokenPredictions();
    }
    const report: BenchReport = {
      schema: "sputnik-bench/1",
      scenario: options.scenario as ScenarioName,
      startedAt: startedAt.toISOString(),
      durationMs: 0,
      environment,
      server,
      settings,
      notes,
    };
    switch (options.scenario) {
      case "throughput":
        report.throughput = await runThroughputScenario(ctx);
        break;
      case "prefix-cache":
        report.prefixCache = await runPrefixCacheScenario(ctx);
        break;
      case "overload":
        report.overload = await runOverloadScenario(ctx);
        break;
      case "prefill-interference":
        report.prefillInterference = await runPrefillInterferenceScenario(ctx);
        break;
      case "speculative":
        report.speculative = await runSpeculativeScenario(ctx);
        break;
    }
    report.durationMs = performance.now() - started;

    if (!options.quiet) process.stdout.write(renderMarkdown(report));
    if (options.out) {
      const written = await writeReport(report, options.out);
      log(`wrote ${written.join(", ")}`);
    }
    return report;
  } finally {
    try {
      await engine?.dispose();
    } finally {
      // Also removes a temporary data dir.
      await inProcess?.close();
    }
  }
}
