/**
 * What every scenario gets: where the server is, the settings, the optional engine baseline, and
 * helpers to build requests and to find how many words make the requested number of prompt tokens.
 */
import type { EngineBaseline } from "../engine-baseline.ts";
import type { ServerChanges, TokenPredictionCounts } from "../in-process-server.ts";
import { sendStreaming, type BenchRequest, type RequestResult } from "../load-generator.ts";
import { randomWords, seededRandom } from "../prompts.ts";
import type { BenchSettings, ServerInfo } from "../report.ts";

export interface ScenarioContext {
  /** The server's base URL; updated by `restart`. */
  url: string;
  server: ServerInfo;
  settings: BenchSettings;
  /** Loaded when the scenario compares against node-llama-cpp directly; null otherwise. */
  baseline: EngineBaseline | null;
  log: (line: string) => void;
  /** Caveats found while running; they end up in the report. */
  notes: string[];
  /**
   * Only when the bench started the server itself: closes it and starts a new one on the same
   * model and data dir (with `changes` applied), waits until it is ready, sets `url` and
   * `server.url` to it and resolves with the new URL. Only call it between requests.
   */
  restart?: (changes?: ServerChanges) => Promise<string>;
  /** The in-process server's disk prompt cache directory; null when it is off or the server is not ours. */
  diskCacheDir: string | null;
  /** Only in-process: the engine's speculative draft counters so far (see InProcessServer.tokenPredictions). */
  tokenPredictions?: () => TokenPredictionCounts | null;
}

/** A request with `text` as the user turn (or the prompt), optionally after a system turn. */
export function textRequest(
  ctx: ScenarioContext,
  text: string,
  options: { system?: string; maxTokens?: number; api?: BenchRequest["api"]; sampling?: BenchRequest["sampling"] } = {},
): BenchRequest {
  const maxTokens = options.maxTokens ?? ctx.settings.outputTokens;
  const sampling = options.sampling;
  if ((options.api ?? ctx.settings.api) === "completions") {
    const prompt = options.system ? `${options.system}\n\nQuestion: ${text}\nAnswer:` : text;
    return { api: "completions", model: ctx.server.model, prompt, maxTokens, sampling };
  }
  const messages: NonNullable<BenchRequest["messages"]> = [];
  if (options.system) messages.push({ role: "system", content: options.system });
  messages.push({ role: "user", content: text });
  return { api: "chat", model: ctx.server.model, messages, maxTokens, sampling };
}

/** Sends `count` requests one after another (warm-up, not measured). */
export async function warmUp(ctx: ScenarioContext, count: number, makeRequest: () => BenchRequest): Promise<RequestResult[]> {
  const results: RequestResult[] = [];
  for (let i = 0; i < count; i++) {
    const result = await sendStreaming(ctx.url, makeRequest());
    if (!result.ok) ctx.notes.push(`warm-up request ${i + 1} failed: ${result.error}`);
    results.push(result);
  }
  return results;
}

/**
 * Words that make about `targetTokens` prompt tokens as the server counts them (template included):
 * two short probes give tokens = overhead + perWord × words, solved for the target.
 */
export async function calibrateWords(ctx: ScenarioContext, targetTokens: number): Promise<number> {
  const small = Math.min(128, Math.max(8, Math.round(targetTokens / 4)));
  const random = seededRandom(ctx.settings.seed ^ 0xca11b);
  const probe = async (words: number) => {
    const result = await sendStreaming(ctx.url, textRequest(ctx, randomWords(random, words), { maxTokens: 1 }));
    if (!result.ok) ctx.notes.push(`calibration request failed: ${result.error}`);
    return result.timing?.usage?.promptTokens ?? null;
  };
  const first = await probe(small);
  const second = await probe(2 * small);
  if (first == null || second == null || second <= first) {
    ctx.notes.push("could not calibrate words per token; using one word per token");
    return targetTokens;
  }
  const perWord = (second - first) / small;
  const overhead = first - perWord * small;
  const words = Math.max(1, Math.round((targetTokens - overhead) / perWord));
  ctx.log(`calibration: ${fmtNumber(perWord)} tokens/word + ${Math.round(overhead)} template tokens → ${words} words for ~${targetTokens} tokens`);
  return words;
}

const fmtNumber = (n: number) => n.toFixed(2);

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
