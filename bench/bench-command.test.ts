/**
 * End to end: the throughput scenario against an in-process server on a tiny model (the
 * third-party fixture when `../shared/fixtures` is there, else a synthesized `tiny` model), two
 * levels, 8 output tokens, with the engine baseline; checks the files and the JSON report's fields.
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

describe("sputnik bench (throughput, end to end)", () => {
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
    expect(svg.match(/<polyline /g)).toHaveLength(3);
  }, 60_000);
});
