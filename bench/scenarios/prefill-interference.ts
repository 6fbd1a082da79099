/**
 * Prefill interference: does a long prompt arriving while streams decode stall them?
 *
 * Phase 1: N streams (the first `--concurrency` value, default 4) generate `--output-tokens`
 * (default 256, ignore_eos) on their own; their inter-token gaps from the 20th to the 120th token
 * chunk are the baseline. Skipping the first 20 keeps out the start, where the other streams may
 * still be prefilling their (short) prompts; stopping at 120 keeps every stream in the steady
 * state with all N decoding, well before the first of them finishes at 256.
 *
 * Phase 2: N fresh streams; once each has 20 token chunks, one request with a `--prompt-tokens`
 * (default 4,000) prompt and max_tokens 1 is sent. The window runs from its send to its first
 * token, which is (nearly) its prefill. The streams' gaps overlapping that window are compared
 * with phase 1. The server prefills a new prompt in 64-token chunks between decode steps while
 * other slots decode, so a good server keeps the ratio of p99s small; the issue's target is < 3×.
 */
import { sendStreaming, type RequestResult } from "../load-generator.ts";
import { randomWords, seededRandom } from "../prompts.ts";
import type { PrefillInterferenceResult } from "../report.ts";
import { percentiles, ratio } from "../stats.ts";
import { calibrateWords, textRequest, warmUp, type ScenarioContext } from "./common.ts";

/** Phase 1 measures each stream's gaps between these token chunks (1-based, inclusive). */
export const ALONE_FROM_CHUNK = 20;
export const ALONE_TO_CHUNK = 120;
/** The target for p99(window) / p99(alone). */
export const INTERFERENCE_TARGET_RATIO = 3;
/** Prompt of each decoding stream: short, so that phase 1 is about decoding. */
const STREAM_PROMPT_WORDS = 32;
/** How long phase 2 waits for every stream to reach `fromChunk` before giving up. */
const TRIGGER_TIMEOUT_MS = 300_000;

export async function runPrefillInterferenceScenario(ctx: ScenarioContext): Promise<PrefillInterferenceResult> {
  const { settings } = ctx;
  const streams = settings.concurrency[0];
  const { fromChunk, toChunk } = aloneWindow(settings.outputTokens);
  if (ctx.server.parallel != null && ctx.server.parallel < streams + 1) {
    ctx.notes.push(`parallel ${ctx.server.parallel} < ${streams} streams + 1: the long request waits for a slot, and its TTFT is not its prefill`);
  }
  if (ctx.server.contextSize != null && ctx.server.contextSize < settings.promptTokens + 64) {
    ctx.notes.push(`ctx-size ${ctx.server.contextSize} per slot is too small for a ${settings.promptTokens}-token prompt: the long request may fail; raise --ctx-size`);
  }
  const words = await calibrateWords(ctx, settings.promptTokens);
  settings.promptWords = words;
  const random = seededRandom(settings.seed);
  await warmUp(ctx, settings.warmup, () => textRequest(ctx, randomWords(random, 64), { maxTokens: 8 }));
  const streamRequest = () => textRequest(ctx, randomWords(random, STREAM_PROMPT_WORDS));
  const errors: string[] = [];
  const failed = (phase: string, results: RequestResult[]) => {
    for (const r of results) if (r.error) errors.push(`${phase}: ${r.error}`);
  };

  // Phase 1: the streams alone.
  const alone = await Promise.all(Array.from({ length: streams }, () => sendStreaming(ctx.url, streamRequest())));
  failed("alone", alone);
  const aloneGaps = alone.flatMap((r) => chunkGapsBetween(r.timing?.tokenChunkMs ?? [], fromChunk, toChunk));
  ctx.log(`phase 1: ${streams} streams alone, ${aloneGaps.length} gaps between chunks ${fromChunk} and ${toChunk}`);

  // Phase 2: fresh streams; the long request goes out once every stream is past `fromChunk`
  // (or has ended, so a stream that streams no text cannot hold it back forever).
  let waiting = streams;
  let onReady: () => void = () => undefined;
  const allReady = new Promise<void>((resolve) => (onReady = resolve));
  const reached = () => --waiting === 0 && onReady();
  const running = Array.from({ length: streams }, () => {
    let counted = false;
    const count = () => {
      if (!counted) {
        counted = true;
        reached();
      }
    };
    const done = sendStreaming(ctx.url, streamRequest(), { onTokenChunks: (n) => n >= fromChunk && count() });
    void done.then(count);
    return done;
  });
  const triggered = await Promise.race([allReady.then(() => true), new Promise<boolean>((resolve) => setTimeout(resolve, TRIGGER_TIMEOUT_MS, false).unref())]);
  if (!triggered) errors.push(`phase 2: the streams did not all reach ${fromChunk} token chunks within ${TRIGGER_TIMEOUT_MS / 1000} s`);
  const long = await sendStreaming(ctx.url, textRequest(ctx, randomWords(random, words), { maxTokens: 1 }));
  failed("long request", [long]);
  const during = await Promise.all(running);
  failed("with prefill", during);

  // The window closes at the long request's first token; if that one token streamed no text (a
  // whitespace or special token), the end of its response is the nearest later time.
  const longTtftMs = long.ok ? (long.timing?.firstTokenMs ?? long.endMs) : null;
  if (long.ok && long.timing?.firstTokenMs == null) ctx.notes.push("the long request's token streamed no text; its window ends at the end of its response");
  const windowStart = long.sentAt;
  const windowEnd = longTtftMs != null ? long.sentAt + longTtftMs : null;
  const absolute = during.map((r) => (r.timing?.tokenChunkMs ?? []).map((ms) => r.sentAt + ms));
  const windowGaps = windowEnd != null ? absolute.flatMap((times) => gapsOverlapping(times, windowStart, windowEnd)) : [];
  const chunksInWindow = windowEnd != null ? absolute.reduce((n, times) => n + times.filter((t) => t > windowStart && t <= windowEnd).length, 0) : 0;
  const streamsAtWindowEnd = windowEnd != null ? during.filter((r) => r.sentAt + r.endMs >= windowEnd).length : 0;
  if (windowEnd != null && streamsAtWindowEnd < streams) {
    ctx.notes.push(`${streams - streamsAtWindowEnd} of ${streams} streams ended before the long request's first token: the window saw fewer streams; raise --output-tokens`);
  }

  const aloneItlMs = percentiles(aloneGaps);
  const windowItlMs = percentiles(windowGaps);
  const p99Ratio = ratio(windowItlMs.p99, aloneItlMs.p99);
  ctx.log(
    `phase 2: long request ${long.timing?.usage?.promptTokens ?? "?"} tokens, TTFT ${longTtftMs?.toFixed(0) ?? "–"} ms; ` +
      `ITL p99 ${aloneItlMs.p99?.toFixed(1) ?? "–"} ms alone → ${windowItlMs.p99?.toFixed(1) ?? "–"} ms in the window (${p99Ratio?.toFixed(2) ?? "–"}×)`,
  );
  const silent = [...alone, ...during].filter((r) => r.ok && (r.timing?.usage?.completionTokens ?? 0) > 1 && (r.timing?.tokenChunkMs.length ?? 0) < 2).length;
  if (silent > 0) ctx.notes.push(`${silent} streams carried (almost) no text chunks, so their gaps are missing: try --api completions`);
  return {
    streams,
    aloneWindow: { fromChunk, toChunk },
    aloneItlMs,
    windowItlMs,
    p99Ratio,
    p50Ratio: ratio(windowItlMs.p50, aloneItlMs.p50),
    targetRatio: INTERFERENCE_TARGET_RATIO,
    targetMet: p99Ratio == null ? null : p99Ratio < INTERFERENCE_TARGET_RATIO,
    longPromptTokens: long.timing?.usage?.promptTokens ?? null,
    longCachedTokens: long.timing?.usage?.cachedTokens ?? null,
    longTtftMs,
    windowMs: windowEnd != null ? windowEnd - windowStart : null,
    chunksInWindow,
    streamsAtWindowEnd,
    errors: [...new Set(errors)],
  };
}

/**
 * Phase 1's chunk range for `outputTokens` per stream: 20th to 120th, scaled down for short
 * streams (a quarter of the output to the end) so that small runs still measure something.
 */
export function aloneWindow(outputTokens: number): { fromChunk: number; toChunk: number } {
  const toChunk = Math.min(ALONE_TO_CHUNK, outputTokens);
  const fromChunk = Math.max(1, Math.min(ALONE_FROM_CHUNK, Math.floor(outputTokens / 4)));
  return { fromChunk, toChunk: Math.max(toChunk, fromChunk + 1) };
}

/** Gaps between consecutive chunks `from`…`to` (1-based, inclusive) of one stream's chunk times. */
export function chunkGapsBetween(times: readonly number[], from: number, to: number): number[] {
  const gaps: number[] = [];
  for (let i = Math.max(1, from); i < Math.min(to, times.length); i++) gaps.push(times[i] - times[i - 1]);
  return gaps;
}

/**
 * Gaps between consecutive chunk times that overlap [start, end]: a gap that straddles either
 * edge counts whole, so a stall the prefill causes is never cut in two and half missed. This can
 * only overstate the window's gaps, which is the safe side for an upper-bound target.
 */
export function gapsOverlapping(times: readonly number[], start: number, end: number): number[] {
  const gaps: number[] = [];
  for (let i = 1; i < times.length; i++) if (times[i] > start && times[i - 1] < end) gaps.push(times[i] - times[i - 1]);
  return gaps;
}
