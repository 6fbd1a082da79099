/**
 * Prefix cache: request A carries a long document (~`--prompt-tokens`, default 2,000) and a
 * question; request B, sent right after A finished, carries the same document and another
 * question. With prefix caching B only prefills its last turn, so TTFT_B / TTFT_A is small and B's
 * `cached_tokens` is most of its prompt. Each pair uses a fresh document, so A is always cold.
 */
import { sendStreaming, type RequestResult } from "../load-generator.ts";
import { randomWords, seededRandom, SHORT_QUESTIONS } from "../prompts.ts";
import type { PrefixCachePair, PrefixCacheResult } from "../report.ts";
import { median, ratio } from "../stats.ts";
import { calibrateWords, textRequest, warmUp, type ScenarioContext } from "./common.ts";

export const DEFAULT_PREFIX_PAIRS = 3;

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
  return {
    pairs,
    ttftMsA: median(known(pairs.map((p) => p.ttftMsA))),
    ttftMsB: median(known(pairs.map((p) => p.ttftMsB))),
    ttftRatio: median(known(pairs.map((p) => p.ratio))),
    cachedShareB: median(shares),
  };
}
