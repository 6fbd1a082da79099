/**
 * `sputnik eval`: parse the flags into a run configuration (or reopen a run with `--resume`),
 * start local models if any, run the suites against every target, and write the HTML, Markdown and
 * JSON reports. Environment variables (API keys, SPUTNIK_HOME) come in as a parameter; only the CLI
 * layer reads `process.env`.
 */
import { resolveDataDir } from "../core/config.ts";
import { parseModelSpec } from "../models/index.ts";
import type { RetryPolicy } from "./client.ts";
import { percent } from "./format.ts";
import { startLocalModels, type LocalModels, type LocalModelsOptions } from "./local-target.ts";
import { createEvalProgress } from "./progress.ts";
import { writeReports, type ReportFiles } from "./report.ts";
import { runEval, type ResolvedTarget, type RunOutcome, type RunProgress } from "./runner.ts";
import { RunStore, type RunConfig } from "./store.ts";
import { BUILTIN_SUITES, loadSuites, parseSuiteList } from "./suites/index.ts";
import { apiKeyFor, parsePriceSpec, parseTargetSpec, TargetSpecError, type TargetSpec } from "./targets.ts";
import { resultKey } from "./types.ts";

/** The flags of `sputnik eval` (commander's camel-cased option names). */
export interface EvalFlags {
  /** Comma-separated built-in suite names and/or JSONL paths; default every built-in suite. */
  suite?: string;
  target?: string[];
  model?: string[];
  limit?: number;
  seed?: number;
  concurrency?: number;
  maxTokens?: number;
  temperature?: number;
  judge?: string;
  out?: string;
  resume?: string;
  dataDir?: string;
  price?: string[];
  listSuites?: boolean;
  threads?: number;
  gpu?: LocalModelsOptions["gpu"];
}

/** Injection points for tests and embedding; the CLI passes none. */
export interface EvalIo {
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Stops the run like Ctrl-C. Without it, SIGINT is handled for the duration of the run. */
  signal?: AbortSignal;
  fetch?: typeof fetch;
  retry?: Partial<RetryPolicy>;
  onProgress?: (progress: RunProgress) => void;
}

/** What a finished (or interrupted) run left behind. */
export interface EvalCommandResult {
  runId: string;
  runDir: string;
  status: "complete" | "interrupted";
  outcome: RunOutcome;
  reports: ReportFiles;
}

/** Defaults of the flags that have one. */
export const DEFAULTS = { seed: 1, maxTokens: 1024, concurrency: 4, temperature: 0 } as const;

function positiveInt(name: string, value: number | undefined, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1 || value > max) throw new TargetSpecError(`${name} must be an integer from 1 to ${max}`);
  return value;
}

/** Builds a new run's configuration from the flags. */
export function configFromFlags(flags: EvalFlags): RunConfig {
  const remote = (flags.target ?? []).map(parseTargetSpec);
  const local: TargetSpec[] = (flags.model ?? []).map((spec) => ({ kind: "local", name: parseModelSpec(spec).id, spec }));
  const targets = [...remote, ...local];
  if (targets.length === 0) throw new TargetSpecError("Nothing to evaluate: give --target NAME=BASE_URL,MODEL[,API_KEY_ENV] or --model ID_OR_PATH (or --resume RUN_ID).");
  const names = targets.map((t) => t.name);
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate) throw new TargetSpecError(`Two targets are named "${duplicate}"`);
  const prices = Object.fromEntries((flags.price ?? []).map(parsePriceSpec).map(({ target, price }) => [target, price]));
  const unknownPrice = Object.keys(prices).find((name) => !names.includes(name));
  if (unknownPrice) throw new TargetSpecError(`--price names "${unknownPrice}", which is not a target (${names.join(", ")})`);
  if (flags.seed !== undefined && (!Number.isInteger(flags.seed) || flags.seed < 0)) throw new TargetSpecError("--seed must be a non-negative integer");
  const temperature = flags.temperature ?? DEFAULTS.temperature;
  if (!(temperature >= 0 && temperature <= 2)) throw new TargetSpecError("--temperature must be between 0 and 2");
  return {
    suites: parseSuiteList(flags.suite ?? "all"),
    targets,
    judge: flags.judge ? judgeSpec(flags.judge, targets) : undefined,
    seed: flags.seed ?? DEFAULTS.seed,
    limit: positiveInt("--limit", flags.limit),
    maxTokens: positiveInt("--max-tokens", flags.maxTokens) ?? DEFAULTS.maxTokens,
    temperature,
    concurrency: positiveInt("--concurrency", flags.concurrency, 64) ?? DEFAULTS.concurrency,
    prices,
  };
}

/** `--judge` names a target, or is a remote spec of its own. */
function judgeSpec(value: string, targets: TargetSpec[]): TargetSpec {
  const named = targets.find((t) => t.name === value);
  if (named) return named;
  if (value.includes("=")) return parseTargetSpec(value);
  throw new TargetSpecError(`--judge "${value}" is neither a target (${targets.map((t) => t.name).join(", ")}) nor NAME=BASE_URL,MODEL[,API_KEY_ENV]`);
}

/** Prints the suites table for `--list-suites`. */
function listSuites(out: NodeJS.WritableStream): void {
  out.write("suite      kind       items  description\n");
  for (const suite of BUILTIN_SUITES.values()) {
    out.write(`${suite.name.padEnd(10)} ${suite.kind.padEnd(10)} ${String(suite.defaultSize).padStart(5)}  ${suite.description}\n`);
  }
  out.write("Add your own: --suite path/to/file.jsonl (or NAME=path.jsonl); see the README for the format.\n");
}

/** Reopens a run for `--resume`; only settings that do not change the items may be given again. */
async function openForResume(flags: EvalFlags, dataDir: string): Promise<RunStore> {
  const changed = (["suite", "target", "model", "limit", "seed", "maxTokens", "temperature", "judge"] as const).filter((key) => {
    const value = flags[key];
    return value !== undefined && !(Array.isArray(value) && value.length === 0);
  });
  if (changed.length > 0) {
    const names = changed.map((key) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
    throw new TargetSpecError(`--resume continues a run exactly as configured; drop ${names.join(", ")}`);
  }
  const store = await RunStore.open(dataDir, flags.resume as string);
  const prices = Object.fromEntries((flags.price ?? []).map(parsePriceSpec).map(({ target, price }) => [target, price]));
  const config = store.meta.config;
  store.meta.config = { ...config, concurrency: positiveInt("--concurrency", flags.concurrency, 64) ?? config.concurrency, prices: { ...config.prices, ...prices } };
  return store;
}

/**
 * Runs `sputnik eval`. Resolves with undefined for `--list-suites`.
 *
 * @throws TargetSpecError / Error for bad flags, an unknown run, an unset API-key variable, or a
 *   local model that cannot be loaded. Item failures are recorded, not thrown.
 */
export async function runEvalCommand(flags: EvalFlags, env: Record<string, string | undefined>, io: EvalIo = {}): Promise<EvalCommandResult | undefined> {
  const out = io.stdout ?? process.stdout;
  const err = io.stderr ?? process.stderr;
  if (flags.listSuites) {
    listSuites(out);
    return undefined;
  }
  const dataDir = resolveDataDir(flags.dataDir, env);
  // Everything that can fail on bad input (flags, API-key variables, suite files, local models)
  // happens before a new run folder is created, so a typo leaves no empty run behind.
  const existing = flags.resume ? await openForResume(flags, dataDir) : undefined;
  const config = existing?.meta.config ?? configFromFlags(flags);
  const allSpecs = [...config.targets, ...(config.judge ? [config.judge] : [])];
  const apiKeys = new Map(allSpecs.flatMap((spec) => (spec.kind === "remote" ? [[spec.name, apiKeyFor(spec, env)] as const] : [])));
  const suites = (await loadSuites(config.suites)).map((suite) => ({ name: suite.name, items: suite.items(config.seed, config.limit ?? suite.defaultSize) }));

  const controller = new AbortController();
  const signal = io.signal ? AbortSignal.any([io.signal, controller.signal]) : controller.signal;
  let firstInterrupt: number | undefined;
  const onSigint = () => {
    // A second Ctrl-C quits at once; one arriving within a second is the same keypress relayed
    // by a wrapper process (npx, tsx), not a second request.
    if (firstInterrupt !== undefined) {
      if (Date.now() - firstInterrupt > 1000) process.exit(130);
      return;
    }
    firstInterrupt = Date.now();
    err.write("\nStopping: unfinished items will be asked on --resume (Ctrl-C again to quit at once)…\n");
    controller.abort();
  };
  if (!io.signal) process.on("SIGINT", onSigint);

  let local: LocalModels | undefined;
  try {
    const uniqueLocal = [...new Map(allSpecs.filter((t) => t.kind === "local").map((t) => [t.name, t])).values()];
    if (uniqueLocal.length > 0) {
      local = await startLocalModels(
        uniqueLocal.map((t) => (t.kind === "local" ? t.spec : "")),
        { dataDir, env, parallel: config.concurrency, maxTokens: config.maxTokens, threads: flags.threads, gpu: flags.gpu, log: err },
      );
    }
    const resolve = (spec: TargetSpec): ResolvedTarget => {
      if (spec.kind === "remote") return { name: spec.name, endpoint: { baseUrl: spec.baseUrl, model: spec.model, apiKey: apiKeys.get(spec.name) } };
      const id = local?.ids[uniqueLocal.findIndex((t) => t.name === spec.name)];
      return { name: spec.name, endpoint: { baseUrl: local?.baseUrl ?? "", model: id ?? spec.name } };
    };
    const store = existing ?? (await RunStore.create(dataDir, config));
    if (existing) await existing.setStatus("running");
    err.write(`eval run ${store.meta.id} → ${store.dir}\n`);
    const targets = config.targets.map(resolve);
    const progress = createEvalProgress(err);
    let outcome: RunOutcome;
    try {
      outcome = await runEval({
        store,
        targets,
        suites,
        seed: config.seed,
        maxTokens: config.maxTokens,
        temperature: config.temperature,
        concurrency: config.concurrency,
        judge: config.judge ? resolve(config.judge) : undefined,
        signal,
        fetch: io.fetch,
        retry: io.retry,
        onProgress: (p) => {
          progress.update(p);
          io.onProgress?.(p);
        },
        onNote: (message) => progress.note(message),
      });
    } finally {
      progress.stop();
    }
    const missing = config.targets.flatMap((t) => suites.flatMap((s) => s.items.map((item) => resultKey(t.name, s.name, item.id, config.seed)))).filter((key) => !store.has(key));
    const status = missing.length === 0 ? "complete" : "interrupted";
    await store.setStatus(status);
    const files = await writeReports(dataDir, store.meta.id, flags.out);
    printSummary(out, files, status, store.meta.id, missing.length);
    return { runId: store.meta.id, runDir: store.dir, status, outcome, reports: { html: files.html, markdown: files.markdown, json: files.json } };
  } finally {
    if (!io.signal) process.off("SIGINT", onSigint);
    await local?.close();
  }
}

function printSummary(out: NodeJS.WritableStream, files: Awaited<ReturnType<typeof writeReports>>, status: string, runId: string, missing: number): void {
  const { data } = files.reports;
  for (const cell of data.cells) {
    out.write(`${cell.target.padEnd(20)} ${cell.suite.padEnd(12)} ${percent(cell.accuracy).padStart(8)}  (${cell.correct}/${cell.n}${cell.metric === "answered" ? " answered" : ""}${cell.errors ? `, ${cell.errors} errors` : ""})\n`);
  }
  for (const comparison of data.comparisons) out.write(`${comparison.verdict}\n`);
  out.write(`Report: ${files.html}\n        ${files.markdown}\n        ${files.json}\n`);
  if (status !== "complete") out.write(`${missing} items unfinished. Resume with: sputnik eval --resume ${runId}\n`);
}
