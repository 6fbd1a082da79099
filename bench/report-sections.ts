/**
 * Markdown sections of the report for the prefix cache across a restart, prefill interference and
 * speculative decoding (the older sections stay in report.ts).
 */
import { fmt, table } from "./markdown.ts";
import type { PrefillInterferenceResult, PrefixCacheRestart, SpeculativeResult } from "./report.ts";

export function renderRestartPair(r: PrefixCacheRestart): string {
  const share = r.cachedTokensB != null && r.promptTokensB ? `${fmt((100 * r.cachedTokensB) / r.promptTokensB)}%` : "–";
  return [
    "Across a restart (A, then the server is closed and a new one starts on the same data dir, then B with the same document):",
    "",
    table(
      ["prompt tok A / B", "cached tok A / B", "TTFT ms A / B", "TTFT B/A", "restart ms", "A saved before restart", "errors"],
      [
        [
          `${r.promptTokensA ?? "–"} / ${r.promptTokensB ?? "–"}`,
          `${r.cachedTokensA ?? "–"} / ${r.cachedTokensB ?? "–"} (${share})`,
          `${fmt(r.ttftMsA)} / ${fmt(r.ttftMsB)}`,
          fmt(r.ratio, 2),
          fmt(r.restartMs),
          r.savedBeforeRestart ? "yes" : "no",
          r.errors.join("; "),
        ],
      ],
    ),
  ].join("\n");
}

export function renderPrefillInterference(r: PrefillInterferenceResult): string {
  const verdict = r.targetMet == null ? "not measured" : r.targetMet ? "met" : "**missed**";
  return [
    `${r.streams} streams decode; phase 1 alone, phase 2 (fresh streams) with one ${r.longPromptTokens ?? "?"}-token prompt (max_tokens 1) sent once every stream had ${r.aloneWindow.fromChunk} token chunks.`,
    "",
    table(
      ["", "value"],
      [
        [`streams' ITL p50 / p99 alone (chunks ${r.aloneWindow.fromChunk}–${r.aloneWindow.toChunk})`, `${fmt(r.aloneItlMs.p50)} / ${fmt(r.aloneItlMs.p99)} ms (${r.aloneItlMs.count} gaps)`],
        ["streams' ITL p50 / p99 during the prefill window", `${fmt(r.windowItlMs.p50)} / ${fmt(r.windowItlMs.p99)} ms (${r.windowItlMs.count} gaps)`],
        ["p99 window / p99 alone", `**${fmt(r.p99Ratio)}×** (target < ${r.targetRatio}×: ${verdict})`],
        ["p50 window / p50 alone", `${fmt(r.p50Ratio)}×`],
        ["long request TTFT (= the window)", `${fmt(r.longTtftMs)} ms (cached ${r.longCachedTokens ?? "–"} of ${r.longPromptTokens ?? "–"} prompt tokens)`],
        ["stream chunks during the window (≈ tokens)", `${r.chunksInWindow} (${fmt(r.windowMs ? (r.chunksInWindow * 1000) / r.windowMs : null)} /s over all streams)`],
        ["streams still running at the window's end", `${r.streamsAtWindowEnd} / ${r.streams}`],
        ["errors", r.errors.join("; ") || "none"],
      ],
    ),
    "",
    "Target (the issue's): a 4,000-token prompt arriving while 4 streams decode keeps their inter-token latency p99 under 3× its value without it. " +
      "Window gaps: every gap between two chunks of a stream that overlaps [long request sent, its first token], boundary gaps whole, so a stall the prefill causes is counted in full.",
  ].join("\n");
}

export function renderSpeculative(r: SpeculativeResult): string {
  const rows = r.runs.map((run) => [
    run.workload,
    run.mode,
    `${run.completed} / ${run.requests}`,
    fmt(run.promptTokensMean),
    String(run.completionTokens),
    fmt(run.decodeTps),
    run.draftsChecked === 0 ? "none drafted" : run.acceptance != null ? `${fmt(run.acceptance * 100)}% of ${run.draftsChecked}` : "–",
    run.mode === "lookup" && r.speedup[run.workload] != null ? `**${fmt(r.speedup[run.workload], 2)}×**` : "",
    run.errors.join("; "),
  ]);
  return [
    table(["workload", "speculative", "ok", "prompt tok", "completion tok", "decode tok/s", "drafts accepted", "speedup", "errors"], rows),
    "",
    "decode tok/s: median over requests of (completion tokens − 1) / (last − first token chunk); one request at a time. " +
      "drafts accepted: the engine's counters (in-process), validated / (validated + refuted) drafted tokens. " +
      "echo-like: greedy (temperature 0) on a passage written three times plus the model's own greedy continuation of it, so the output repeats the prompt, the favourable case for prompt lookup (it drafts from the prompt only); " +
      "sampled: temperature 1.0, top_k 40, the unfavourable case. " +
      "**A random-weight (synthesized) model falls into loops under greedy decoding, which lookup predicts very well: its numbers say nothing about acceptance on real text.**",
  ].join("\n");
}
