/**
 * The bench report: one JSON document (`bench.json`, schema "sputnik-bench/1"), its Markdown
 * rendering (`bench.md`, also printed) and, for the throughput scenario, an SVG chart (`bench.svg`).
 */
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { BaselineMeasurement } from "./engine-baseline.ts";
import type { BenchApi, LevelMeasurement } from "./load-generator.ts";
import { codes, fmt, table } from "./markdown.ts";
import { renderPrefillInterference, renderRestartPair, renderSpeculative } from "./report-sections.ts";
import type { Percentiles } from "./stats.ts";
import { renderLineChart, type ChartSeries } from "./svg-chart.ts";

export type ScenarioName = "throughput" | "prefix-cache" | "overload" | "prefill-interference" | "speculative";

export interface ServerInfo {
  url: string;
  /** Started by the bench in its own process (`--model`), or already running (`--url`). */
  inProcess: boolean;
  model: string;
  modelPath: string | null;
  /** Server settings; null when unknown (a `--url` server that was not described by flags). */
  threads: number | null;
  parallel: number | null;
  contextSize: number | null;
  maxQueue: number | null;
  /** Speculative decoding the in-process server started with; null when unknown (`--url`). */
  speculative: "off" | "lookup" | null;
  /** The in-process server's data dir; `temporary`: created for this run and removed at its end. */
  dataDir: { path: string; temporary: boolean } | null;
}

export interface BenchSettings {
  api: BenchApi;
  concurrency: number[];
  promptTokens: number;
  /** Words per prompt after calibration against the server's token counts. */
  promptWords: number;
  outputTokens: number;
  /** Requests per level; null = max(2 × concurrency, 4). */
  requests: number | null;
  sharedPrefix: number;
  warmup: number;
  seed: number;
  baseline: boolean;
  pricePerHourUsd: number | null;
  /** An assumption, not a live rate: `--usd-cny`. */
  usdCny: number;
}

export interface ThroughputLevel extends LevelMeasurement {
  baseline: BaselineMeasurement | null;
  /** Server / engine, both measured in this run. */
  serverToEngine: { aggregate: number | null; perStream: number | null } | null;
  costPerMillionOutputTokens: { usd: number; cny: number } | null;
}

export interface ThroughputResult {
  levels: ThroughputLevel[];
  /** The engine's decode rate with one sequence (from the level-1 baseline, or a short extra run). */
  engineSingleStreamTps: number | null;
}

export interface PrefixCachePair {
  promptTokensA: number | null;
  promptTokensB: number | null;
  cachedTokensA: number | null;
  cachedTokensB: number | null;
  ttftMsA: number | null;
  ttftMsB: number | null;
  ratio: number | null;
  errors: string[];
}

export interface PrefixCacheResult {
  pairs: PrefixCachePair[];
  ttftMsA: number | null;
  ttftMsB: number | null;
  /** Median of TTFT_B / TTFT_A over the pairs. */
  ttftRatio: number | null;
  /** Median share of B's prompt that came from the cache. */
  cachedShareB: number | null;
  /** A after a fresh document, then a server restart, then B: the disk cache's pair. Null unless in-process. */
  restart: PrefixCacheRestart | null;
}

export interface PrefixCacheRestart {
  ttftMsA: number | null;
  ttftMsB: number | null;
  /** TTFT_B / TTFT_A. */
  ratio: number | null;
  promptTokensA: number | null;
  promptTokensB: number | null;
  /** Should be 0: A's document is fresh. */
  cachedTokensA: number | null;
  cachedTokensB: number | null;
  /** Close, start and model load of the new server, until it was ready. */
  restartMs: number | null;
  /** A's state was seen on disk before the restart (else B could not find it). */
  savedBeforeRestart: boolean;
  errors: string[];
}

/** Inter-token gaps of running streams, alone and while a long prompt is prefilled beside them. */
export interface PrefillInterferenceResult {
  streams: number;
  /** Phase 1: each stream's gaps from its `fromChunk`-th to its `toChunk`-th token chunk. */
  aloneWindow: { fromChunk: number; toChunk: number };
  aloneItlMs: Percentiles;
  /** Phase 2: gaps that overlap the window from the long request's send to its first token. */
  windowItlMs: Percentiles;
  /** p99 during the window / p99 alone. */
  p99Ratio: number | null;
  /** p50 during the window / p50 alone: the typical slow-down, less sensitive to stray stalls. */
  p50Ratio: number | null;
  /** The issue's target: the ratio stays under this. */
  targetRatio: number;
  targetMet: boolean | null;
  longPromptTokens: number | null;
  longCachedTokens: number | null;
  longTtftMs: number | null;
  windowMs: number | null;
  /** Token chunks the streams received during the window (≈ tokens; a chunk may carry more than one). */
  chunksInWindow: number;
  /** Streams still generating when the window closed; fewer than `streams` means it was cut short. */
  streamsAtWindowEnd: number;
  errors: string[];
}

export type SpeculativeWorkload = "echo-like" | "sampled";

export interface SpeculativeRun {
  workload: SpeculativeWorkload;
  mode: "off" | "lookup";
  requests: number;
  completed: number;
  /** Median over requests of (completion tokens − 1) / (last − first token chunk). */
  decodeTps: number | null;
  completionTokens: number;
  promptTokensMean: number | null;
  /**
   * Drafted tokens the model checked during the workload, and the share it accepted
   * (validated / (validated + refuted)); null when not measurable (`off`, or no counters).
   */
  draftsChecked: number | null;
  acceptance: number | null;
  errors: string[];
}

export interface SpeculativeResult {
  runs: SpeculativeRun[];
  /** decode tok/s with lookup / without, per workload. */
  speedup: Record<SpeculativeWorkload, number | null>;
}

export interface OverloadResult {
  slots: number;
  maxQueue: number;
  /** Long requests holding the slots, and those sitting in the queue. */
  running: number;
  queued: number;
  /** Queue fillers that were refused (the queue was already fuller than expected). */
  fillersRefused: number;
  extraRequests: number;
  extraConcurrency: number;
  statusCodes: Record<string, number>;
  refused: number;
  /** Time from send to the 503's headers, and to the end of its body. */
  refusalHeadersMs: Percentiles;
  refusalTotalMs: Percentiles;
  withRetryAfter: number;
  retryAfterValues: Record<string, number>;
  /** Gaps between the running streams' chunks before and during the burst of refused requests. */
  runningItlBeforeMs: Percentiles;
  runningItlDuringMs: Percentiles;
  /** A plain request after the long ones were cancelled. */
  recovery: { status: number; ttftMs: number | null; error: string | null } | null;
}

export interface BenchReport {
  schema: "sputnik-bench/1";
  scenario: ScenarioName;
  startedAt: string;
  durationMs: number;
  environment: { node: string; platform: string; arch: string; cpus: number; cpuModel: string; loadAverage: number[] };
  server: ServerInfo;
  settings: BenchSettings;
  throughput?: ThroughputResult;
  prefixCache?: PrefixCacheResult;
  overload?: OverloadResult;
  prefillInterference?: PrefillInterferenceResult;
  speculative?: SpeculativeResult;
  notes: string[];
}

export function environmentInfo(): BenchReport["environment"] {
  const cpus = os.cpus();
  return {
    node: process.version,
    platform: os.platform(),
    arch: os.arch(),
    cpus: os.availableParallelism(),
    cpuModel: cpus[0]?.model?.trim() ?? "unknown",
    loadAverage: os.loadavg().map((v) => Number(v.toFixed(2))),
  };
}

export { fmt } from "./markdown.ts";

function serverLine(report: BenchReport): string {
  const s = report.server;
  const where = s.inProcess ? "in-process server" : `server at ${s.url}`;
  const knobs = [
    s.threads != null ? `threads ${s.threads}` : null,
    s.parallel != null ? `parallel ${s.parallel}` : null,
    s.contextSize != null ? `ctx ${s.contextSize}/slot` : null,
    s.maxQueue != null ? `max-queue ${s.maxQueue}` : null,
    s.speculative != null ? `speculative ${s.speculative}` : null,
    s.dataDir ? `data dir ${s.dataDir.temporary ? "temporary" : s.dataDir.path}` : null,
  ].filter(Boolean);
  return `${where}, model \`${s.model}\`${s.modelPath ? ` (${path.basename(s.modelPath)})` : ""}${knobs.length ? `, ${knobs.join(", ")}` : ""}`;
}

export function renderMarkdown(report: BenchReport): string {
  const env = report.environment;
  const st = report.settings;
  const out: string[] = [`# sputnik bench: ${report.scenario}`, ""];
  out.push(`- ${serverLine(report)}`);
  out.push(`- ${env.cpus} × ${env.cpuModel}, Node ${env.node}, load average ${env.loadAverage.join(" ")} at start; ran ${fmt(report.durationMs / 1000)} s from ${report.startedAt}`);
  if (report.throughput) {
    const levels = report.throughput.levels;
    out.push(
      `- ${st.api} API, prompt ≈ ${st.promptTokens} tokens (${st.promptWords} words, ${Math.round(st.sharedPrefix * 100)}% shared), ` +
        `${st.outputTokens} output tokens (ignore_eos), requests per level ${levels.map((l) => l.requests).join("/")}, warmup ${st.warmup}, seed ${st.seed}`,
    );
    if (st.pricePerHourUsd != null) out.push(`- cost at $${st.pricePerHourUsd}/hour; CNY at an assumed ${st.usdCny} CNY/USD (\`--usd-cny\`)`);
    out.push("", renderThroughputTable(report.throughput, st.pricePerHourUsd != null), "");
    if (report.throughput.engineSingleStreamTps != null) out.push(`Engine single-stream decode: **${fmt(report.throughput.engineSingleStreamTps)} tok/s**.`, "");
    out.push(
      "TTFT: request sent → first content/reasoning chunk; headers: request sent → response headers (Sputnik sends them once the generation has a slot and has started, so TTFT − headers is mostly prefill). ITL: gaps between token-carrying SSE chunks (a chunk may carry more than one token). " +
        "agg tok/s: completion tokens of the level / its wall time. stream tok/s: median of (completion tokens − 1) / (last − first chunk). " +
        "Engine: node-llama-cpp directly, same model, threads and jobs, min(concurrency, parallel) sequences.",
    );
  }
  if (report.prefixCache) {
    out.push(`- ${st.api} API, shared prefix ≈ ${st.promptTokens} tokens, ${st.outputTokens} output tokens`, "", renderPrefixCache(report.prefixCache));
    if (report.prefixCache.restart) out.push("", renderRestartPair(report.prefixCache.restart));
  }
  if (report.overload) out.push("", renderOverload(report.overload));
  if (report.prefillInterference) {
    out.push(`- ${st.api} API, streams of ${st.outputTokens} output tokens (ignore_eos), long prompt ≈ ${st.promptTokens} tokens`, "");
    out.push(renderPrefillInterference(report.prefillInterference));
  }
  if (report.speculative) {
    out.push(`- completions API, prompt ≈ ${st.promptTokens} tokens (echo-like: plus the model's own continuation), ${st.outputTokens} output tokens (ignore_eos)`);
    out.push("", renderSpeculative(report.speculative));
  }
  if (report.notes.length > 0) out.push("", "Notes:", ...report.notes.map((n) => `- ${n}`));
  return out.join("\n") + "\n";
}

function renderThroughputTable(result: ThroughputResult, withCost: boolean): string {
  const header = ["conc", "req", "errors", "TTFT p50/p95/p99 ms", "headers p50/p99 ms", "ITL p50/p99 ms", "agg tok/s", "stream tok/s", "cached tok", "engine agg tok/s", "engine stream tok/s", "server/engine agg"];
  if (withCost) header.push("$ / 1M out", "¥ / 1M out");
  const rows = result.levels.map((l) => {
    const row = [
      String(l.concurrency),
      String(l.requests),
      l.errors === 0 ? "0" : `${l.errors} (${codes(l.statusCodes)})`,
      `${fmt(l.ttftMs.p50)} / ${fmt(l.ttftMs.p95)} / ${fmt(l.ttftMs.p99)}`,
      `${fmt(l.headersMs.p50)} / ${fmt(l.headersMs.p99)}`,
      `${fmt(l.itlMs.p50)} / ${fmt(l.itlMs.p99)}`,
      fmt(l.aggregateTps),
      fmt(l.perStreamTps),
      String(l.cachedTokens),
      l.baseline ? `${fmt(l.baseline.aggregateTps)} (${l.baseline.sequences} seq)` : "–",
      fmt(l.baseline?.perStreamTps),
      l.serverToEngine?.aggregate != null ? `${fmt(l.serverToEngine.aggregate, 2)}×` : "–",
    ];
    if (withCost) row.push(fmt(l.costPerMillionOutputTokens?.usd), fmt(l.costPerMillionOutputTokens?.cny));
    return row;
  });
  return table(header, rows);
}

function renderPrefixCache(result: PrefixCacheResult): string {
  const rows = result.pairs.map((p, i) => [
    String(i + 1),
    `${p.promptTokensA ?? "–"} / ${p.promptTokensB ?? "–"}`,
    `${p.cachedTokensA ?? "–"} / ${p.cachedTokensB ?? "–"}`,
    `${fmt(p.ttftMsA)} / ${fmt(p.ttftMsB)}`,
    fmt(p.ratio, 2),
    p.errors.join("; ") || "",
  ]);
  return [
    table(["pair", "prompt tok A / B", "cached tok A / B", "TTFT ms A / B", "TTFT B/A", "errors"], rows),
    "",
    `Median TTFT: A (cold) ${fmt(result.ttftMsA)} ms, B (shared prefix) ${fmt(result.ttftMsB)} ms → **TTFT_B / TTFT_A = ${fmt(result.ttftRatio, 2)}**; ` +
      `B's prompt served from cache: ${result.cachedShareB == null ? "–" : `${fmt(result.cachedShareB * 100)}%`}.`,
  ].join("\n");
}

function renderOverload(o: OverloadResult): string {
  return [
    `${o.running} long requests hold the ${o.slots} slots and ${o.queued} wait in the queue (max-queue ${o.maxQueue}); ` +
      `then ${o.extraRequests} extra requests, ${o.extraConcurrency} at a time.`,
    "",
    table(
      ["", "value"],
      [
        ["extra requests: outcomes", codes(o.statusCodes)],
        ["refused (503)", `${o.refused} / ${o.extraRequests}`],
        ["refusal latency p50 / p99 (headers)", `${fmt(o.refusalHeadersMs.p50)} / ${fmt(o.refusalHeadersMs.p99)} ms`],
        ["refusal latency p50 / p99 (full body)", `${fmt(o.refusalTotalMs.p50)} / ${fmt(o.refusalTotalMs.p99)} ms`],
        ["503s with Retry-After", `${o.withRetryAfter} / ${o.refused} (${codes(o.retryAfterValues) || "none"})`],
        ["running streams' ITL p50 / p99 before the burst", `${fmt(o.runningItlBeforeMs.p50)} / ${fmt(o.runningItlBeforeMs.p99)} ms`],
        ["running streams' ITL p50 / p99 during the burst", `${fmt(o.runningItlDuringMs.p50)} / ${fmt(o.runningItlDuringMs.p99)} ms`],
        ["queue fillers refused", String(o.fillersRefused)],
        ["after cancelling the long requests", o.recovery ? `${o.recovery.status}${o.recovery.error ? ` (${o.recovery.error})` : ""}, TTFT ${fmt(o.recovery.ttftMs)} ms` : "–"],
      ],
    ),
  ].join("\n");
}

export function renderThroughputChart(report: BenchReport): string | null {
  const levels = report.throughput?.levels;
  if (!levels || levels.length === 0) return null;
  const series: ChartSeries[] = [{ label: "server aggregate", values: levels.map((l) => l.aggregateTps), color: "#1f77b4", axis: "left" }];
  if (levels.some((l) => l.baseline)) {
    series.push({ label: "engine aggregate", values: levels.map((l) => l.baseline?.aggregateTps ?? null), color: "#1f77b4", axis: "left", dashed: true });
  }
  series.push({ label: "TTFT p50", values: levels.map((l) => l.ttftMs.p50), color: "#d62728", axis: "right" });
  return renderLineChart({
    title: `${report.server.model}: throughput and TTFT vs concurrency (threads ${report.server.threads ?? "?"})`,
    xLabel: "concurrent requests",
    categories: levels.map((l) => l.concurrency),
    leftLabel: "output tok/s",
    rightLabel: "TTFT p50 (ms)",
    series,
  });
}

/** Writes bench.json, bench.md and (throughput) bench.svg into `dir`; returns the paths written. */
export async function writeReport(report: BenchReport, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  const put = async (name: string, text: string) => {
    const file = path.join(dir, name);
    await writeFile(file, text);
    written.push(file);
  };
  await put("bench.json", JSON.stringify(report, null, 2) + "\n");
  await put("bench.md", renderMarkdown(report));
  const svg = renderThroughputChart(report);
  if (svg) await put("bench.svg", svg);
  return written;
}
