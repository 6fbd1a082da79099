/**
 * Speculative decoding by prompt lookup: the same model served twice, speculative off and then
 * lookup (node-llama-cpp's InputLookupTokenPredictor drafts tokens by finding the last few
 * generated tokens earlier in the context), running the same two workloads, one request at a time:
 *
 * - echo-like: greedy completions whose continuation repeats the prompt: the favourable case,
 *   where drafts are often accepted. The drafts come from the prompt only (not from the output so
 *   far), so the prompt is a passage written three times, followed by the model's own greedy
 *   continuation of it (generated once, unmeasured): continuing that, a trained model copies the
 *   passage again and a random-weight one stays in the loop it fell into, both already in the prompt;
 * - sampled: temperature 1.0, top_k 40 on plain random text: the unfavourable case, where drafts
 *   are mostly rejected and only cost time.
 *
 * Completions requests: a chat template's extra tokens only add noise here. Decode tok/s per
 * request is (completion tokens − 1) / (last − first token chunk), which leaves out prefill.
 * A random-weight model falls into loops under greedy decoding, which lookup predicts very well;
 * its figures say nothing about acceptance on real text.
 */
import { sendStreaming, type BenchRequest, type RequestResult } from "../load-generator.ts";
import { randomWords, seededRandom } from "../prompts.ts";
import type { SpeculativeResult, SpeculativeRun, SpeculativeWorkload } from "../report.ts";
import { median, ratio, sum } from "../stats.ts";
import { textRequest, warmUp, type ScenarioContext } from "./common.ts";

export const DEFAULT_SPECULATIVE_REQUESTS = 3;
/** The sampled workload's settings: common chat defaults, far from greedy. */
const SAMPLED = { temperature: 1.0, topK: 40 } as const;
const MODES = ["off", "lookup"] as const;

export async function runSpeculativeScenario(ctx: ScenarioContext): Promise<SpeculativeResult> {
  const restart = ctx.restart;
  if (!restart) throw new Error("the speculative scenario restarts the server with and without speculative decoding: give --model, not --url");
  const { settings } = ctx;
  // No calibration: without a template, one word of the list is about one token, and the report
  // shows the prompt tokens the server counted.
  settings.promptWords = settings.promptTokens;
  const random = seededRandom(settings.seed);
  const count = settings.requests ?? DEFAULT_SPECULATIVE_REQUESTS;
  // The same prompts (and seeds) for both modes, so the two servers get identical work.
  const prompts: Record<SpeculativeWorkload, BenchRequest[]> = {
    "echo-like": await primeEchoPrompts(ctx, count, random),
    sampled: Array.from({ length: count }, (_, i) =>
      textRequest(ctx, randomWords(random, settings.promptTokens), { api: "completions", sampling: { ...SAMPLED, seed: settings.seed + i } }),
    ),
  };

  const runs: SpeculativeRun[] = [];
  for (const mode of MODES) {
    // The bench starts the server with speculative decoding off; lookup needs a new one.
    if (mode !== "off") await restart({ speculative: mode });
    // Each server is fresh: warm it up so its first measured request pays no first-use costs.
    await warmUp(ctx, settings.warmup, () => textRequest(ctx, randomWords(random, 32), { api: "completions", maxTokens: 8 }));
    for (const workload of ["echo-like", "sampled"] as const) {
      const before = ctx.tokenPredictions?.() ?? null;
      const results: RequestResult[] = [];
      for (const request of prompts[workload]) results.push(await sendStreaming(ctx.url, request));
      const after = ctx.tokenPredictions?.() ?? null;
      const run = summarize(workload, mode, results);
      if (mode !== "off" && before && after) {
        run.draftsChecked = after.validated + after.refuted - (before.validated + before.refuted);
        run.acceptance = ratio(after.validated - before.validated, run.draftsChecked);
      }
      ctx.log(
        `speculative ${mode}, ${workload}: ${run.completed}/${run.requests} ok, ${run.decodeTps?.toFixed(1) ?? "–"} tok/s decode` +
          (run.acceptance != null ? `, ${(run.acceptance * 100).toFixed(0)}% of ${run.draftsChecked} drafts accepted` : ""),
      );
      runs.push(run);
    }
  }
  const speedupOf = (workload: SpeculativeWorkload) =>
    ratio(runs.find((r) => r.workload === workload && r.mode === "lookup")?.decodeTps, runs.find((r) => r.workload === workload && r.mode === "off")?.decodeTps);
  ctx.notes.push("speculative: the two modes ran one after the other, on two servers; on a shared machine, load changes between them show up in the ratios");
  if (runs.some((run) => run.mode === "lookup" && run.draftsChecked === 0)) {
    ctx.notes.push("speculative lookup: the engine checked no drafted tokens at all, so speculative decoding never engaged (the predictor proposed nothing); the lookup figures only show its overhead");
  }
  return { runs, speedup: { "echo-like": speedupOf("echo-like"), sampled: speedupOf("sampled") } };
}

/**
 * Echo-like prompts: `echoPrompt` followed by the model's greedy continuation of it, generated on
 * the current server (`outputTokens` long, not measured). Greedy decoding is deterministic, so
 * the measured requests continue exactly where that continuation stopped.
 */
async function primeEchoPrompts(ctx: ScenarioContext, count: number, random: () => number): Promise<BenchRequest[]> {
  const requests: BenchRequest[] = [];
  for (let i = 0; i < count; i++) {
    const base = echoPrompt(random, ctx.settings.promptTokens);
    const primed = await sendStreaming(ctx.url, textRequest(ctx, base, { api: "completions" }));
    if (!primed.ok) ctx.notes.push(`echo-like priming request failed (${primed.error}); that prompt goes without the model's own continuation`);
    requests.push(textRequest(ctx, base + (primed.timing?.text ?? ""), { api: "completions" }));
  }
  return requests;
}

/**
 * A passage written three times and then its first words again: whatever a model makes of it, the
 * likely continuation is the passage once more, which prompt lookup can draft from the context.
 */
export function echoPrompt(random: () => number, promptTokens: number): string {
  const passage = randomWords(random, Math.max(8, Math.round(promptTokens / 3.2)));
  const start = passage.split(" ").slice(0, 4).join(" ");
  return `${passage}\n${passage}\n${passage}\n${start}`;
}

export function summarize(workload: SpeculativeWorkload, mode: SpeculativeRun["mode"], results: readonly RequestResult[]): SpeculativeRun {
  const ok = results.filter((r) => r.ok && r.timing?.usage);
  const rates = ok.flatMap((r) => {
    const t = r.timing;
    const n = t?.usage?.completionTokens ?? 0;
    const span = (t?.lastTokenMs ?? 0) - (t?.firstTokenMs ?? 0);
    return n >= 2 && span > 0 ? [((n - 1) * 1000) / span] : [];
  });
  const prompts = ok.map((r) => r.timing?.usage?.promptTokens ?? 0);
  return {
    workload,
    mode,
    requests: results.length,
    completed: ok.length,
    decodeTps: median(rates),
    completionTokens: sum(ok.map((r) => r.timing?.usage?.completionTokens ?? 0)),
    promptTokensMean: prompts.length > 0 ? sum(prompts) / prompts.length : null,
    draftsChecked: null,
    acceptance: null,
    errors: [...new Set(results.flatMap((r) => (r.error ? [r.error] : [])))].slice(0, 3),
  };
}
