/**
 * Prefix cache: request A carries a long document (~`--prompt-tokens`, default 2,000) and a
 * question; request B, sent right after A finished, carries the same document and another
 * question. With prefix caching B only prefills its last turn, so TTFT_B / TTFT_A is small and B's
 * `cached_tokens` is most of its prompt. Each pair uses a fresh document, so A is always cold.
 *
 * With an in-process server one more pair crosses a restart: A, then the server is closed and a
 * new one started on the same data dir, then B. Only the disk cache survives that, so B's TTFT
 * and `cached_tokens` show whether a long prompt's state was saved and loaded back.
 */
import { DEFAULT_CACHE_MIN_TOKENS } from "../../src/scheduler/prefix-disk-cache.ts";
import { listDiskCache, waitForDiskCache } from "../in-process-server.ts";
import { sendStreaming, type RequestResult } from "../load-generator.ts";
import { randomWords, seededRandom, SHORT_QUESTIONS } from "../prompts.ts";
import type { PrefixCachePair, PrefixCacheResult, PrefixCacheRestart } from "../report.ts";
import { median, ratio } from "../stats.ts";
import { calibrateWords, textRequest, warmUp, type ScenarioContext } from "./common.ts";

export const DEFAULT_PREFIX_PAIRS = 3;
/** How long A's state may take to reach the disk after A's response ended. */
const SAVE_TIMEOUT_MS = 60_000;

export async function runPrefixCacheScenario(ctx: ScenarioContext): Promise<PrefixCacheResult> {
  const { settings } = ctx;
  const words = await calibrateWords(ctx, settings.promptTokens);
  settings.promptWords = words;
  const random = seededRandom(settings.seed);
  await warmUp(ctx, settings.warmup, () => textRequest(ctx, randomWords(random, 64)));

  const pairs: PrefixCachePair[] = [];
  const count = settings.requests ?? DEFAULT_PREFIX_PAIRS;
  for (let i = 0; i < count; i++) {
    const document = randomWords(random, words);
    const [questionA, questionB] = [SHORT_QUESTIONS[(2 * i) % SHORT_QUESTIONS.length], SHORT_QUESTIONS[(2 * i + 1) % SHORT_QUESTIONS.length]];
    const a = await sendStreaming(ctx.url, textRequest(ctx, questionA, { system: document }));
    const b = await sendStreaming(ctx.url, textRequest(ctx, questionB, { system: document }));
    const pair: PrefixCachePair = {
      promptTokensA: a.timing?.usage?.promptTokens ?? null,
      promptTokensB: b.timing?.usage?.promptTokens ?? null,
      cachedTokensA: a.timing?.usage?.cachedTokens ?? null,
      cachedTokensB: b.timing?.usage?.cachedTokens ?? null,
      ttftMsA: a.ok ? a.timing?.firstTokenMs ?? null : null,
      ttftMsB: b.ok ? b.timing?.firstTokenMs ?? null : null,
      ratio: null,
      errors: [a, b].flatMap((r: RequestResult, k) => (r.error ? [`${k === 0 ? "A" : "B"}: ${r.error}`] : [])),
    };
    pair.ratio = ratio(pair.ttftMsB, pair.ttftMsA);
    for (const [name, r] of [["A", a], ["B", b]] as const) {
      if (r.ok && r.timing?.firstTokenMs == null) pair.errors.push(`${name}: no text streamed (whitespace or special tokens only), no TTFT; try --api completions`);
    }
    ctx.log(
      `pair ${i + 1}: A ${pair.promptTokensA ?? "?"} tok (cached ${pair.cachedTokensA ?? "?"}) TTFT ${pair.ttftMsA?.toFixed(0) ?? "–"} ms; ` +
        `B cached ${pair.cachedTokensB ?? "?"}/${pair.promptTokensB ?? "?"} TTFT ${pair.ttftMsB?.toFixed(0) ?? "–"} ms`,
    );
    pairs.push(pair);
  }
  const known = <T>(values: (T | null)[]) => values.filter((v): v is T => v != null);
  const shares = known(pairs.map((p) => (p.cachedTokensB != null && p.promptTokensB ? p.cachedTokensB / p.promptTokensB : null)));
  const restart = ctx.restart ? await restartPair(ctx, ctx.restart, randomWords(random, words), random) : null;
  if (!ctx.restart) ctx.notes.push("no restart pair: the server is not in-process (--url), so the bench cannot restart it");
  return {
    pairs,
    ttftMsA: median(known(pairs.map((p) => p.ttftMsA))),
    ttftMsB: median(known(pairs.map((p) => p.ttftMsB))),
    ttftRatio: median(known(pairs.map((p) => p.ratio))),
    cachedShareB: median(shares),
    restart,
  };
}

/** A on the running server, a restart once A's state is on disk, warm-up, then B on the new server. */
async function restartPair(
  ctx: ScenarioContext,
  restart: NonNullable<ScenarioContext["restart"]>,
  document: string,
  random: () => number,
): Promise<PrefixCacheRestart> {
  const [questionA, questionB] = [SHORT_QUESTIONS[SHORT_QUESTIONS.length - 2], SHORT_QUESTIONS[SHORT_QUESTIONS.length - 1]];
  const errors: string[] = [];
  const cacheDir = ctx.diskCacheDir;
  // Earlier pairs' saves may still be running; let them land first so that the entry that
  // appears after A is A's.
  if (cacheDir) await waitForDiskCache(cacheDir, (listing) => listing.saving === 0, SAVE_TIMEOUT_MS);
  const before = cacheDir ? (await listDiskCache(cacheDir)).complete : new Set<string>();
  const a = await sendStreaming(ctx.url, textRequest(ctx, questionA, { system: document }));
  if (a.error) errors.push(`A: ${a.error}`);
  const promptTokensA = a.timing?.usage?.promptTokens ?? null;
  const cacheable = promptTokensA != null && promptTokensA >= DEFAULT_CACHE_MIN_TOKENS;
  if (!cacheable) {
    ctx.notes.push(`restart pair: A's ${promptTokensA ?? "?"} prompt tokens are under the disk cache's minimum (${DEFAULT_CACHE_MIN_TOKENS}); nothing is saved to survive the restart`);
  }
  // The state is written after A's response ended; restarting earlier would lose it.
  const isNew = (listing: { complete: Set<string> }) => [...listing.complete].some((name) => !before.has(name));
  const saved = cacheDir != null && a.ok && cacheable && (await waitForDiskCache(cacheDir, isNew, SAVE_TIMEOUT_MS));
  if (!saved && cacheable) ctx.notes.push("restart pair: A's prompt state did not appear in the disk cache before the restart");
  const restartStart = performance.now();
  await restart();
  const restartMs = performance.now() - restartStart;
  // A ran on a warmed-up server; B gets the same, so its TTFT does not carry the first request's costs.
  await warmUp(ctx, ctx.settings.warmup, () => textRequest(ctx, randomWords(random, 64)));
  const b = await sendStreaming(ctx.url, textRequest(ctx, questionB, { system: document }));
  if (b.error) errors.push(`B: ${b.error}`);
  const result: PrefixCacheRestart = {
    ttftMsA: a.ok ? a.timing?.firstTokenMs ?? null : null,
    ttftMsB: b.ok ? b.timing?.firstTokenMs ?? null : null,
    ratio: null,
    promptTokensA,
    promptTokensB: b.timing?.usage?.promptTokens ?? null,
    cachedTokensA: a.timing?.usage?.cachedTokens ?? null,
    cachedTokensB: b.timing?.usage?.cachedTokens ?? null,
    restartMs,
    savedBeforeRestart: saved,
    errors,
  };
  result.ratio = ratio(result.ttftMsB, result.ttftMsA);
  ctx.log(
    `restart pair: A TTFT ${result.ttftMsA?.toFixed(0) ?? "–"} ms; restart ${restartMs.toFixed(0)} ms; ` +
      `B cached ${result.cachedTokensB ?? "?"}/${result.promptTokensB ?? "?"} TTFT ${result.ttftMsB?.toFixed(0) ?? "–"} ms`,
  );
  return result;
}
