/**
 * The new scenarios' pure parts (gap windows, per-run summaries, scenario defaults) and their
 * Markdown sections, without a model: the end-to-end runs are in bench-command.test.ts.
 */
import { describe, expect, it } from "vitest";
import { parseBenchFlags, scenarioDefaults } from "./bench-command.ts";
import type { RequestResult } from "./load-generator.ts";
import { seededRandom } from "./prompts.ts";
import { renderMarkdown, type BenchReport } from "./report.ts";
import { aloneWindow, chunkGapsBetween, gapsOverlapping } from "./scenarios/prefill-interference.ts";
import { echoPrompt, summarize } from "./scenarios/speculative.ts";
import { percentiles } from "./stats.ts";

describe("scenario defaults", () => {
  it("prefill-interference: 4 streams, a 4,000-token prompt, a slot each plus one, 8192-token context, completions", () => {
    const defaults = scenarioDefaults(parseBenchFlags({ model: "m.gguf", scenario: "prefill-interference" }));
    expect(defaults).toEqual({ api: "completions", concurrency: [4], promptTokens: 4000, outputTokens: 256, parallel: 5, contextSize: 8192, maxQueue: undefined });
    // A longer prompt gets a context that holds it; the first --concurrency value sets the streams.
    expect(scenarioDefaults(parseBenchFlags({ model: "m.gguf", scenario: "prefill-interference", promptTokens: "10000", concurrency: "2,8" }))).toMatchObject({
      concurrency: [2, 8],
      parallel: 3,
      contextSize: 10512,
    });
  });

  it("speculative: one stream, 128 output tokens, completions whatever --api says", () => {
    expect(scenarioDefaults(parseBenchFlags({ model: "m.gguf", scenario: "speculative", api: "chat" }))).toMatchObject({
      api: "completions",
      concurrency: [1],
      outputTokens: 128,
      parallel: 1,
    });
  });

  it("keeps the older scenarios' defaults", () => {
    expect(scenarioDefaults(parseBenchFlags({ model: "m.gguf" }))).toMatchObject({ api: "chat", concurrency: [1, 2, 4, 8], parallel: 8, promptTokens: 128 });
    expect(scenarioDefaults(parseBenchFlags({ model: "m.gguf", scenario: "overload" }))).toMatchObject({ concurrency: [1, 2, 4, 8], maxQueue: 2 });
  });

  it("takes --data-dir, but not with --url; refuses speculative with --url", () => {
    expect(parseBenchFlags({ model: "m.gguf", dataDir: "/tmp/x" }).dataDir).toBe("/tmp/x");
    expect(() => parseBenchFlags({ url: "http://127.0.0.1:1", dataDir: "/tmp/x" })).toThrow(/--data-dir/);
    expect(() => parseBenchFlags({ url: "http://127.0.0.1:1", scenario: "speculative" })).toThrow(/--model/);
  });
});

describe("prefill-interference windows", () => {
  it("phase 1 uses chunks 20–120, scaled down for short streams", () => {
    expect(aloneWindow(256)).toEqual({ fromChunk: 20, toChunk: 120 });
    expect(aloneWindow(128)).toEqual({ fromChunk: 20, toChunk: 120 });
    expect(aloneWindow(40)).toEqual({ fromChunk: 10, toChunk: 40 });
    expect(aloneWindow(2)).toEqual({ fromChunk: 1, toChunk: 2 });
  });

  it("takes the gaps between chunks from..to (1-based, inclusive)", () => {
    const times = [0, 10, 30, 60, 100, 150];
    expect(chunkGapsBetween(times, 2, 4)).toEqual([20, 30]);
    expect(chunkGapsBetween(times, 1, 120)).toEqual([10, 20, 30, 40, 50]);
    expect(chunkGapsBetween(times, 6, 120)).toEqual([]);
  });

  it("counts whole every gap that overlaps the window, including those straddling its edges", () => {
    const times = [0, 10, 20, 200, 210, 400];
    // Window 15..205: the gap 10→20 starts before it, 200→210 ends after it; 210→400 is outside.
    expect(gapsOverlapping(times, 15, 205)).toEqual([10, 180, 10]);
    // A stall that spans the whole window is one gap.
    expect(gapsOverlapping([0, 1000], 100, 200)).toEqual([1000]);
    expect(gapsOverlapping(times, 500, 600)).toEqual([]);
  });
});

describe("speculative helpers", () => {
  const result = (tokens: number, first: number, last: number, ok = true): RequestResult => ({
    status: ok ? 200 : 503,
    ok,
    retryAfter: null,
    sentAt: 0,
    headersMs: 1,
    endMs: last + 1,
    timing: ok
      ? { firstTokenMs: first, lastTokenMs: last, tokenChunkMs: [first, last], interChunkMs: [last - first], usage: { promptTokens: 30, completionTokens: tokens, cachedTokens: 0 }, text: "", finishReason: "length", done: true, error: null }
      : null,
    error: ok ? null : "503: busy",
  });

  it("decode tok/s is the median of (completion tokens − 1) / (last − first chunk)", () => {
    const run = summarize("echo-like", "lookup", [result(11, 100, 200), result(21, 0, 1000), result(5, 0, 100), result(0, 0, 0, false)]);
    expect(run).toMatchObject({ workload: "echo-like", mode: "lookup", requests: 4, completed: 3, completionTokens: 37, promptTokensMean: 30, acceptance: null, errors: ["503: busy"] });
    expect(run.decodeTps).toBe(40); // median of 100, 20, 40
  });

  it("echo prompts repeat one passage three times and start it again", () => {
    const prompt = echoPrompt(seededRandom(1), 96);
    const [a, b, c, start] = prompt.split("\n");
    expect(a).toBe(b);
    expect(b).toBe(c);
    expect(a.startsWith(start)).toBe(true);
    expect(a.split(" ")).toHaveLength(30);
  });
});

describe("report sections", () => {
  const base: BenchReport = {
    schema: "sputnik-bench/1",
    scenario: "prefix-cache",
    startedAt: "2026-01-01T00:00:00.000Z",
    durationMs: 1000,
    environment: { node: "v20", platform: "linux", arch: "x64", cpus: 2, cpuModel: "cpu", loadAverage: [1, 1, 1] },
    server: { url: "http://x", inProcess: true, model: "m", modelPath: "/m.gguf", threads: 1, parallel: 4, contextSize: 4096, maxQueue: 64, speculative: "off", dataDir: { path: "/tmp/d", temporary: true } },
    settings: { api: "completions", concurrency: [1], promptTokens: 2000, promptWords: 2000, outputTokens: 8, requests: 1, sharedPrefix: 0, warmup: 1, seed: 1, baseline: false, pricePerHourUsd: null, usdCny: 7.2 },
    notes: [],
  };

  it("prefix-cache shows the restart pair and the data dir", () => {
    const markdown = renderMarkdown({
      ...base,
      prefixCache: {
        pairs: [],
        ttftMsA: null,
        ttftMsB: null,
        ttftRatio: null,
        cachedShareB: null,
        restart: { ttftMsA: 800, ttftMsB: 80, ratio: 0.1, promptTokensA: 2010, promptTokensB: 2012, cachedTokensA: 0, cachedTokensB: 2000, restartMs: 1500, savedBeforeRestart: true, errors: [] },
      },
    });
    expect(markdown).toContain("speculative off, data dir temporary");
    expect(markdown).toContain("Across a restart");
    expect(markdown).toContain("| 2010 / 2012 | 0 / 2000 (99.4%) | 800 / 80 | 0.1 | 1500 | yes |  |");
  });

  it("prefill-interference shows both phases, the ratio against the target and the window", () => {
    const markdown = renderMarkdown({
      ...base,
      scenario: "prefill-interference",
      prefillInterference: {
        streams: 4,
        aloneWindow: { fromChunk: 20, toChunk: 120 },
        aloneItlMs: percentiles([10, 10, 10, 20]),
        windowItlMs: percentiles([30, 30, 30, 50]),
        p99Ratio: 2.5,
        p50Ratio: 3,
        targetRatio: 3,
        targetMet: true,
        longPromptTokens: 4000,
        longCachedTokens: 0,
        longTtftMs: 2000,
        windowMs: 2000,
        chunksInWindow: 100,
        streamsAtWindowEnd: 4,
        errors: [],
      },
    });
    expect(markdown).toContain("| streams' ITL p50 / p99 alone (chunks 20–120) | 10 / 19.7 ms (4 gaps) |");
    expect(markdown).toContain("| p99 window / p99 alone | **2.5×** (target < 3×: met) |");
    expect(markdown).toContain("| long request TTFT (= the window) | 2000 ms (cached 0 of 4000 prompt tokens) |");
    expect(markdown).toContain("| stream chunks during the window (≈ tokens) | 100 (50 /s over all streams) |");
    expect(markdown).toContain("| streams still running at the window's end | 4 / 4 |");
  });

  it("speculative shows every workload × mode with the speedups and the random-weights caveat", () => {
    const run = (workload: "echo-like" | "sampled", mode: "off" | "lookup", decodeTps: number) => ({
      workload,
      mode,
      requests: 3,
      completed: 3,
      decodeTps,
      completionTokens: 384,
      promptTokensMean: 127,
      draftsChecked: mode === "lookup" ? 200 : null,
      acceptance: mode === "lookup" ? 0.75 : null,
      errors: [],
    });
    const markdown = renderMarkdown({
      ...base,
      scenario: "speculative",
      speculative: { runs: [run("echo-like", "off", 100), run("sampled", "off", 100), run("echo-like", "lookup", 180), run("sampled", "lookup", 90)], speedup: { "echo-like": 1.8, sampled: 0.9 } },
    });
    expect(markdown).toContain("| echo-like | lookup | 3 / 3 | 127 | 384 | 180 | 75% of 200 | **1.8×** |  |");
    expect(markdown).toContain("| sampled | off | 3 / 3 | 127 | 384 | 100 | – |  |  |");
    expect(markdown).toContain("say nothing about acceptance on real text");
  });
});
