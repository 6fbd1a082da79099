/**
 * Overload control: long requests take every slot and every queue place, then a burst of extra
 * requests arrives. A server that sheds load well answers each extra at once with 503 and a
 * Retry-After, and the running streams do not slow down while it does. Then the long requests are
 * cancelled and one plain request checks that the server serves again.
 */
import { outcomeOf, runClosedLoop, sendStreaming, type RequestResult } from "../load-generator.ts";
import { randomWords, seededRandom } from "../prompts.ts";
import type { OverloadResult } from "../report.ts";
import { percentiles, tally } from "../stats.ts";
import { sleep, textRequest, type ScenarioContext } from "./common.ts";

/** `--max-queue` of the in-process server for this scenario when the flag is not given. */
export const OVERLOAD_DEFAULT_MAX_QUEUE = 2;
export const OVERLOAD_DEFAULT_EXTRA_REQUESTS = 32;
/** An extra request that neither is refused nor answers within this long counts as "timeout". */
const EXTRA_TIMEOUT_MS = 15_000;
const ADMISSION_TIMEOUT_MS = 120_000;
/** How long the running streams' pace is watched before the queue is filled and the burst starts. */
const BEFORE_WINDOW_MS = 1500;

interface Filler {
  headers: Promise<number>;
  /** Resolves with true at the first generated text, false if the request ended without any. */
  firstToken: Promise<boolean>;
  done: Promise<RequestResult>;
}

export async function runOverloadScenario(ctx: ScenarioContext): Promise<OverloadResult> {
  const { server, settings } = ctx;
  if (server.parallel == null || server.maxQueue == null) {
    throw new Error("the overload scenario needs the server's slots and queue size: give --parallel and --max-queue with --url");
  }
  const random = seededRandom(settings.seed);
  const fillerPromptWords = 32;
  // Long enough to outlast the scenario; they are cancelled at the end.
  const longTokens = Math.max(64, (server.contextSize ?? 4096) - 4 * fillerPromptWords - 64);
  const cancelFillers = new AbortController();
  const startFiller = (): Filler => {
    let onHeaders: (status: number) => void = () => undefined;
    let onFirstToken: (seen: boolean) => void = () => undefined;
    const headers = new Promise<number>((resolve) => (onHeaders = resolve));
    const firstToken = new Promise<boolean>((resolve) => (onFirstToken = resolve));
    const done = sendStreaming(ctx.url, textRequest(ctx, randomWords(random, fillerPromptWords), { maxTokens: longTokens }), {
      signal: cancelFillers.signal,
      onHeaders,
      onFirstToken: () => onFirstToken(true),
    });
    void done.then((result) => {
      onHeaders(result.status);
      onFirstToken(false);
    });
    return { headers, firstToken, done };
  };

  try {
    return await overload(ctx, server.parallel, server.maxQueue, startFiller, cancelFillers, random);
  } finally {
    cancelFillers.abort();
  }
}

async function overload(
  ctx: ScenarioContext,
  slots: number,
  maxQueue: number,
  startFiller: () => Filler,
  cancelFillers: AbortController,
  random: () => number,
): Promise<OverloadResult> {
  const { settings } = ctx;
  // 1. Occupy every slot; a request answers its headers once it holds a slot.
  const running = Array.from({ length: slots }, startFiller);
  const statuses = await withTimeout(Promise.all(running.map((f) => f.headers)), ADMISSION_TIMEOUT_MS, "the long requests were not admitted");
  if (statuses.some((s) => s !== 200)) ctx.notes.push(`long requests answered ${statuses.join(", ")} instead of 200`);
  // Wait until all of them are past prefill and decoding, then take a baseline of their pace.
  const decoding = await withTimeout(Promise.all(running.map((f) => f.firstToken)), ADMISSION_TIMEOUT_MS, "the long requests produced no text");
  if (decoding.some((seen) => !seen)) ctx.notes.push("some long requests ended without streaming text; their pace is not measured");
  const decodingFrom = performance.now();
  await sleep(BEFORE_WINDOW_MS);

  // 2. Fill the queue: these get no answer until a slot frees (never, here).
  const queued = Array.from({ length: maxQueue }, startFiller);
  let fillersRefused = 0;
  for (const filler of queued) void filler.headers.then((status) => status === 503 && fillersRefused++);
  await sleep(500);

  // 3. The burst of extra requests.
  const extraRequests = settings.requests ?? OVERLOAD_DEFAULT_EXTRA_REQUESTS;
  const extraConcurrency = Math.max(...settings.concurrency);
  const burstStart = performance.now();
  const { results } = await runClosedLoop(extraConcurrency, extraRequests, () =>
    sendStreaming(ctx.url, textRequest(ctx, randomWords(random, 16), { maxTokens: 8 }), { signal: AbortSignal.timeout(EXTRA_TIMEOUT_MS) }),
  );
  const burstEnd = performance.now();
  ctx.log(`burst: ${extraRequests} extra requests in ${(burstEnd - burstStart).toFixed(0)} ms: ${JSON.stringify(tally(results.map(outcomeWithTimeout)))}`);

  // 4. Cancel the long requests and check that the server serves again.
  cancelFillers.abort();
  const fillerResults = await Promise.all([...running, ...queued].map((f) => f.done));
  await sleep(200);
  const check = await sendStreaming(ctx.url, textRequest(ctx, randomWords(random, 16), { maxTokens: 8 }), { signal: AbortSignal.timeout(60_000) });

  const before: number[] = [];
  const during: number[] = [];
  for (const result of fillerResults.slice(0, running.length)) {
    const times = (result.timing?.tokenChunkMs ?? []).map((ms) => result.sentAt + ms);
    for (let i = 1; i < times.length; i++) {
      const gap = times[i] - times[i - 1];
      if (times[i - 1] >= decodingFrom && times[i] < burstStart) before.push(gap);
      else if (times[i - 1] >= burstStart && times[i] <= burstEnd) during.push(gap);
    }
  }
  const refusals = results.filter((r) => r.status === 503);
  const withRetryAfter = refusals.filter((r) => r.retryAfter != null);
  return {
    slots,
    maxQueue,
    running: running.length,
    queued: queued.length,
    fillersRefused,
    extraRequests,
    extraConcurrency,
    statusCodes: tally(results.map(outcomeWithTimeout)),
    refused: refusals.length,
    refusalHeadersMs: percentiles(refusals.map((r) => r.headersMs ?? r.endMs)),
    refusalTotalMs: percentiles(refusals.map((r) => r.endMs)),
    withRetryAfter: withRetryAfter.length,
    retryAfterValues: tally(withRetryAfter.map((r) => r.retryAfter ?? "")),
    runningItlBeforeMs: percentiles(before),
    runningItlDuringMs: percentiles(during),
    recovery: { status: check.status, ttftMs: check.timing?.firstTokenMs ?? null, error: check.error },
  };
}

function outcomeWithTimeout(result: RequestResult): string {
  return result.status === 0 && result.error === "aborted" ? "timeout" : outcomeOf(result);
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
