/**
 * Throughput vs concurrency: at each level, a closed loop keeps N streaming requests in flight;
 * right after it, the raw engine runs the same jobs with min(N, parallel) sequences. Continuous
 * batching shows as aggregate tok/s rising with N while per-stream tok/s falls slowly; the
 * server/engine ratio shows what HTTP, scheduling and detokenizing cost.
 */
import { runClosedLoop, sendStreaming, summarizeLevel } from "../load-generator.ts";
import { PromptFactory } from "../prompts.ts";
import type { ThroughputLevel, ThroughputResult } from "../report.ts";
import { median, ratio } from "../stats.ts";
import { calibrateWords, textRequest, warmUp, type ScenarioContext } from "./common.ts";

export async function runThroughputScenario(ctx: ScenarioContext): Promise<ThroughputResult> {
  const { settings } = ctx;
  const words = await calibrateWords(ctx, settings.promptTokens);
  settings.promptWords = words;
  const prompts = new PromptFactory(words, settings.sharedPrefix, settings.seed);
  await warmUp(ctx, settings.warmup, () => textRequest(ctx, prompts.next()));

  const levels: ThroughputLevel[] = [];
  for (const concurrency of settings.concurrency) {
    const count = settings.requests ?? Math.max(2 * concurrency, 4);
    const texts = Array.from({ length: count }, () => prompts.next());
    const { results, wallMs, startedAt } = await runClosedLoop(concurrency, count, (i) => sendStreaming(ctx.url, textRequest(ctx, texts[i])));
    const measured = summarizeLevel(concurrency, results, wallMs, startedAt);
    ctx.log(
      `concurrency ${concurrency}: ${measured.completed}/${count} ok, TTFT p50 ${measured.ttftMs.p50?.toFixed(0) ?? "–"} ms, ` +
        `${measured.aggregateTps?.toFixed(1) ?? "–"} tok/s aggregate, ${measured.perStreamTps?.toFixed(1) ?? "–"} tok/s per stream`,
    );

    let baseline: ThroughputLevel["baseline"] = null;
    const engine = ctx.baseline;
    if (engine) {
      const promptLengths = results.map((r) => r.timing?.usage?.promptTokens ?? null);
      const typical = Math.round(median(promptLengths.filter((n): n is number => n != null)) ?? settings.promptTokens);
      const jobs = texts.map((text, i) => engine.fitPrompt(text, promptLengths[i] ?? typical));
      const sequences = Math.min(concurrency, ctx.server.parallel ?? concurrency);
      baseline = await engine.run({ sequences, prompts: jobs, outputTokens: settings.outputTokens });
      ctx.log(`  engine, ${sequences} sequences: ${baseline.aggregateTps?.toFixed(1) ?? "–"} tok/s aggregate, ${baseline.perStreamTps?.toFixed(1) ?? "–"} tok/s per stream`);
    }

    const perHour = settings.pricePerHourUsd;
    const usd = perHour != null && measured.aggregateTps ? (perHour / (measured.aggregateTps * 3600)) * 1e6 : null;
    levels.push({
      ...measured,
      baseline,
      serverToEngine: baseline
        ? { aggregate: ratio(measured.aggregateTps, baseline.aggregateTps), perStream: ratio(measured.perStreamTps, baseline.perStreamTps) }
        : null,
      costPerMillionOutputTokens: usd != null ? { usd, cny: usd * settings.usdCny } : null,
    });
  }

  let engineSingleStreamTps = levels.find((l) => l.concurrency === 1)?.baseline?.perStreamTps ?? null;
  if (ctx.baseline && engineSingleStreamTps == null) {
    const job = ctx.baseline.fitPrompt(prompts.next(), settings.promptTokens);
    engineSingleStreamTps = (await ctx.baseline.run({ sequences: 1, prompts: [job, job], outputTokens: settings.outputTokens })).perStreamTps;
  }
  if (ctx.server.parallel == null && ctx.baseline) ctx.notes.push("the server's --parallel is unknown: the engine ran as many sequences as requests in flight");
  const silent = levels.reduce((n, l) => n + l.silentStreams, 0);
  if (silent > 0) {
    ctx.notes.push(
      `${silent} requests generated tokens but streamed no text (the model produced only whitespace or special tokens, which the server holds back), so they have no TTFT; ` +
        "a random-weight model can do this under a chat template: try --api completions",
    );
  }
  if (levels.some((l) => l.errors > 0)) ctx.notes.push("some requests failed: see statusCodes and errorSamples in bench.json");
  return { levels, engineSingleStreamTps };
}
