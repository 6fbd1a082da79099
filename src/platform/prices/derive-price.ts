/**
 * Default prices for local models from what the machine costs: `--price-per-hour` divided by the
 * tokens the model makes in an hour, measured once when the model loads (a short greedy run that
 * goes through the pipeline but not the hooks, so it is neither billed nor counted).
 *
 * - output: price per hour / (3600 × decode tokens/s) per token;
 * - input cache miss: the same with the prompt evaluation rate;
 * - input cache hit: a tenth of the miss price (a cached prefix costs almost no compute; DeepSeek
 *   charges a tenth too).
 *
 * The rates are single-stream, so the prices are conservative (parallel slots make more tokens per
 * hour). For exact prices, measure with `sputnik bench` and write them in a `--prices` file.
 */
import { randomUUID } from "node:crypto";
import type { CompletionRequest } from "../../core/request.ts";
import { generate } from "../../pipeline/generate.ts";
import type { ServedModel } from "../../pipeline/served-model.ts";
import type { Currency, ModelPrice } from "../money.ts";

/** Prompt and output tokens of the calibration run. */
export const CALIBRATION_PROMPT_TOKENS = 128;
export const CALIBRATION_OUTPUT_TOKENS = 32;

export interface Throughput {
  promptTokensPerSecond: number;
  outputTokensPerSecond: number;
}

export function derivePrice(pricePerHourMicros: number, currency: Currency, throughput: Throughput): ModelPrice {
  const perMillion = (tokensPerSecond: number) => Math.max(0, Math.round((pricePerHourMicros * 1_000_000) / (tokensPerSecond * 3600)));
  const miss = perMillion(throughput.promptTokensPerSecond);
  return { currency, inputCacheMissMicros: miss, inputCacheHitMicros: Math.round(miss / 10), outputMicros: perMillion(throughput.outputTokensPerSecond) };
}

/** One short greedy generation, timed. */
export async function measureThroughput(model: ServedModel): Promise<Throughput> {
  const words = model.engine.tokenize("the quick brown fox jumps over the lazy dog ", { special: false }).length;
  const request: CompletionRequest = {
    kind: "completion",
    id: `calibration-${randomUUID()}`,
    model: model.id,
    prompt: "the quick brown fox jumps over the lazy dog ".repeat(Math.max(1, Math.floor(CALIBRATION_PROMPT_TOKENS / Math.max(1, words)))),
    echo: false,
    sampling: { temperature: 0 },
    maxTokens: CALIBRATION_OUTPUT_TOKENS,
    stop: [],
    ignoreEos: true,
    clientId: "calibration",
  };
  for await (const event of generate(model, request, { signal: new AbortController().signal })) {
    if (event.type === "error") throw event.error;
    if (event.type !== "finish") continue;
    const { usage, timings } = event;
    const promptMs = Math.max(1, timings.timeToFirstTokenMs - timings.queueMs);
    const decodeMs = Math.max(1, timings.totalMs - timings.timeToFirstTokenMs);
    return {
      promptTokensPerSecond: (usage.promptTokens - usage.cachedPromptTokens) / (promptMs / 1000),
      outputTokensPerSecond: Math.max(1, usage.completionTokens - 1) / (decodeMs / 1000),
    };
  }
  throw new Error(`calibration of ${model.id} produced no result`);
}
