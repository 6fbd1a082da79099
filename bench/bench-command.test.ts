/**
 * End to end against an in-process server on a tiny model (the third-party fixture when
 * `../shared/fixtures` is there, else a synthesized `tiny` model): the throughput scenario (two
 * levels, 8 output tokens, with the engine baseline; the files and every JSON field), then short
 * runs of the prefix cache across a restart, prefill interference and speculative decoding.
 */
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseBenchFlags, runBenchCommand } from "./bench-command.ts";
import type { BenchReport } from "./report.ts";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const FIXTURE = path.resolve(repoRoot, "../shared/fixtures/llama-2-tiny-random.gguf");

describe("parseBenchFlags", () => {
  it("parses commander's strings and applies defaults", () => {
    const options = parseBenchFlags({ model: "m.gguf", concurrency: "1, 2,16", sharedPrefix: "0.5", threads: "2" });
    expect(options).toMatchObject({ scenario: "throughput", concurrency: [1, 2, 16], sharedPrefix: 0.5, threads: 2, baseline: true, usdCny: 7.2, warmup: 1 });
  });

  it("defaults to one ggml thread", () => {
    expect(parseBenchFlags({ url: "http://127.0.0.1:1" }).threads).toBe(1);
  });

  it("needs --model or --url and rejects bad values by flag name", () => {
    expect(() => parseBenchFlags({})).toThrow(/--model .*--url/);
    expect(() => parseBenchFlags({ model: "m.gguf", sharedPrefix: 2 })).toThrow(/--shared-prefix/);
    expect(() => parseBenchFlags({ model: "m.gguf", concurrency: "1,x" })).toThrow(/--concurrency/);
    expect(() => parseBenchFlags({ model: "m.gguf", scenario: "nope" })).toThrow(/--scenario/);
  });
});

describe("sputnik bench (end to end)", () => {
  let dir: string;
  let model: string;
  let api: "chat" | "completions" = "chat";

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "sputnik-bench-"));
    if (existsSync(FIXTURE)) {
      model = FIXTURE;
    } else {
      // No shared fixtures here: a random-weight tiny Qwen. Under a chat template it may answer
      // only whitespace, which streams no text, so drive the completions endpoint instead.
      const { synthesizeModel } = await import("../src/synth/synthesize.ts");
      model = path.join(dir, "tiny.gguf");
      await synthesizeModel({ shape: "tiny", quant: "q8_0", out: model });
      api = "completions";
    }
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("writes bench.json, bench.md and bench.svg with every per-level field", async () => {
    const out = path.join(dir, "out");
    const returned = await runBenchCommand({
      model,
      api,
      concurrency: "1,2",
      outputTokens: 8,
      promptTokens: 24,
      requests: 3,
      warmup: 1,
      pricePerHour: 1.5,
      out,
      quiet: true,
    });
    const report = JSON.parse(await readFile(path.join(out, "bench.json"), "utf8")) as BenchReport;
    expect(report).toEqual(JSON.parse(JSON.stringify(returned)));
    expect(report.schema).toBe("sputnik-bench/1");
    expect(report.scenario).toBe("throughput");
    expect(report.server).toMatchObject({ inProcess: true, threads: 1, parallel: 2 });
    expect(report.settings).toMatchObject({ concurrency: [1, 2], outputTokens: 8, promptTokens: 24, baseline: true, usdCny: 7.2 });

    const levels = report.throughput?.levels ?? [];
    expect(levels.map((l) => l.concurrency)).toEqual([1, 2]);
    for (const level of levels) {
      expect(level).toMatchObject({ requests: 3, completed: 3, errors: 0, statusCodes: { 200: 3 }, completionTokens: 24 });
      expect(level.promptTokensMean).toBeGreaterThan(0);
      expect(level.cachedTokens).toBeGreaterThanOrEqual(0);
      expect(level.ttftMs.count).toBe(3);
      expect(level.ttftMs.p50).toBeGreaterThan(0);
      expect(level.ttftMs.p99).toBeGreaterThanOrEqual(level.ttftMs.p95 as number);
      expect(level.headersMs.p50).toBeLessThanOrEqual(level.ttftMs.p50 as number);
      expect(level.samples).toHaveLength(3);
      expect(level.samples[0]).toMatchObject({ outcome: "200", completionTokens: 8, chunks: expect.any(Number) });
      expect(level.itlMs.count).toBeGreaterThan(0);
      expect(level.itlMs.p99).toBeGreaterThanOrEqual(level.itlMs.p50 as number);
      expect(level.aggregateTps).toBeGreaterThan(0);
      expect(level.perStreamTps).toBeGreaterThan(0);
      expect(level.baseline).toMatchObject({ sequences: level.concurrency, jobs: 3, generatedTokens: 24 });
      expect(level.baseline?.aggregateTps).toBeGreaterThan(0);
      expect(level.serverToEngine?.aggregate).toBeGreaterThan(0);
      expect(level.costPerMillionOutputTokens?.usd).toBeCloseTo((1.5 / (3600 * (level.aggregateTps as number))) * 1e6, 6);
      expect(level.costPerMillionOutputTokens?.cny).toBeCloseTo((level.costPerMillionOutputTokens?.usd as number) * 7.2, 6);
    }
    expect(report.throughput?.engineSingleStreamTps).toBeGreaterThan(0);

    const markdown = await readFile(path.join(out, "bench.md"), "utf8");
    expect(markdown).toContain("| conc | req | errors | TTFT p50/p95/p99 ms | headers p50/p99 ms |");
    expect(markdown.split("\n").filter((line) => /^\| [12] \|/.test(line))).toHaveLength(2);
    const svg = await readFile(path.join(out, "bench.svg"), "utf8");
    expect(svg).toMatch(/^<svg /);
    for (const label of ["server aggregate", "engine aggregate", "TTFT p50"]) expect(svg).toContain(label);
    // No --data-dir: the server's data dir was a temporary one, gone now.
    expect(report.server.dataDir?.temporary).toBe(true);
    expect(existsSync(report.server.dataDir?.path as string)).toBe(false);
  }, 60_000);

  it("prefix-cache: the pair across a restart gets A's prompt from the disk cache in --data-dir", async () => {
    const dataDir = path.join(dir, "data");
    const report = await runBenchCommand({ model, scenario: "prefix-cache", api: "completions", promptTokens: 300, outputTokens: 2, requests: 1, warmup: 0, ctxSize: 1024, parallel: 2, dataDir, quiet: true });
    expect(report.server.dataDir).toEqual({ path: dataDir, temporary: false });
    const restart = report.prefixCache?.restart;
    expect(restart).toMatchObject({ savedBeforeRestart: true, errors: [] });
    // A's document is fresh (a BOS token or a word may still match an earlier prompt).
    expect(restart?.cachedTokensA).toBeLessThan(0.1 * (restart?.promptTokensA as number));
    expect(restart?.restartMs).toBeGreaterThan(0);
    expect(restart?.ttftMsA).toBeGreaterThan(0);
    expect(restart?.ratio).toBeCloseTo((restart?.ttftMsB as number) / (restart?.ttftMsA as number), 6);
    // Everything but B's own question came back from disk on the new server.
    expect(restart?.cachedTokensB).toBeGreaterThan(0.8 * (restart?.promptTokensB as number));
    expect(existsSync(path.join(dataDir, "cache"))).toBe(true);
  }, 60_000);

  it("prefill-interference: ITL alone and during a long prefill, the long request's TTFT, the window", async () => {
    const report = await runBenchCommand({ model, scenario: "prefill-interference", concurrency: "2", promptTokens: 300, outputTokens: 48, warmup: 0, ctxSize: 1024, quiet: true });
    expect(report.server).toMatchObject({ parallel: 3, contextSize: 1024 });
    const r = report.prefillInterference;
    expect(r).toMatchObject({ streams: 2, aloneWindow: { fromChunk: 12, toChunk: 48 }, targetRatio: 3, errors: [] });
    expect(r?.aloneItlMs.count).toBeGreaterThan(40);
    expect(r?.windowItlMs.count).toBeGreaterThan(0);
    expect(r?.p99Ratio).toBeCloseTo((r?.windowItlMs.p99 as number) / (r?.aloneItlMs.p99 as number), 6);
    expect(r?.targetMet).toBe((r?.p99Ratio as number) < 3);
    expect(r?.longPromptTokens).toBeGreaterThan(250);
    expect(r?.longTtftMs).toBeGreaterThan(0);
    expect(r?.windowMs).toBeCloseTo(r?.longTtftMs as number, 6);
    expect(r?.chunksInWindow).toBeGreaterThanOrEqual(0);
    expect(r?.streamsAtWindowEnd).toBeLessThanOrEqual(2);
    expect(existsSync(report.server.dataDir?.path as string)).toBe(false);
  }, 60_000);

  it("speculative: decode tok/s per workload with lookup off and on, and the speedups", async () => {
    const report = await runBenchCommand({ model, scenario: "speculative", promptTokens: 32, outputTokens: 12, requests: 1, warmup: 0, ctxSize: 256, quiet: true });
    const runs = report.speculative?.runs ?? [];
    expect(runs.map((r) => `${r.workload}/${r.mode}`)).toEqual(["echo-like/off", "sampled/off", "echo-like/lookup", "sampled/lookup"]);
    for (const run of runs) {
      expect(run).toMatchObject({ requests: 1, completed: 1, completionTokens: 12, errors: [] });
      expect(run.decodeTps).toBeGreaterThan(0);
    }
    expect(report.speculative?.speedup["echo-like"]).toBeCloseTo((runs[2].decodeTps as number) / (runs[0].decodeTps as number), 6);
    expect(report.speculative?.speedup.sampled).toBeGreaterThan(0);
    // The engine's draft counters are read with lookup only. (Whether lookup drafts anything is
    // the server's business, which this bench reports; the test only checks the counters are read.)
    expect(runs[0]).toMatchObject({ draftsChecked: null, acceptance: null });
    expect(runs[2].draftsChecked).toBeGreaterThanOrEqual(0);
    if (runs[2].acceptance != null) expect(runs[2].acceptance).toBeLessThanOrEqual(1);
    expect(report.settings.api).toBe("completions");
  }, 60_000);
});
