/**
 * Runs suites against targets: every target at once, each with its own pool of `concurrency`
 * workers, every answer scored and appended to the store before the next item starts on that
 * worker. Items the store already has are skipped, so a resumed run asks only what is missing.
 *
 * Abort (Ctrl-C, or a test's signal) stops workers from taking new items and cancels the requests
 * in flight; nothing half-done is written. A target that fails many items in a row is set aside
 * (its remaining items stay unasked for a later resume) instead of burning retries on every item.
 */
import { chatWithRetries, DEFAULT_RETRY, EndpointError, type Endpoint, type RetryPolicy } from "./client.ts";
import { judgePrompt, parseJudgeVerdict } from "./judge.ts";
import { classifyAnswer } from "./refusal-classifier.ts";
import type { SandboxOptions } from "./sandbox.ts";
import { scoreAnswer } from "./scoring.ts";
import type { RunStore } from "./store.ts";
import { splitInlineReasoning } from "./text.ts";
import { resultKey, type AuditVerdict, type EvalItem, type ItemResult } from "./types.ts";

/** A target with a reachable endpoint. */
export interface ResolvedTarget {
  name: string;
  endpoint: Endpoint;
}

/** A suite's items for this run. */
export interface RunSuite {
  name: string;
  items: EvalItem[];
}

/** Progress after each item. */
export interface RunProgress {
  total: number;
  /** Items finished in this process (asked, or skipped because already stored). */
  done: number;
  skipped: number;
  failed: number;
  target?: string;
  result?: ItemResult;
}

/** Options of {@link runEval}. */
export interface RunnerOptions {
  store: RunStore;
  targets: ResolvedTarget[];
  suites: RunSuite[];
  seed: number;
  maxTokens: number;
  temperature: number;
  /** Requests in flight per target. */
  concurrency: number;
  judge?: ResolvedTarget;
  signal?: AbortSignal;
  fetch?: typeof fetch;
  retry?: Partial<RetryPolicy>;
  sandbox?: SandboxOptions;
  /** Failed items in a row after which a target is set aside. Default 5. */
  maxConsecutiveFailures?: number;
  onProgress?: (progress: RunProgress) => void;
  /** Human-readable notes: retries, resumption, a target set aside. */
  onNote?: (message: string) => void;
}

/** What a run did. */
export interface RunOutcome {
  total: number;
  asked: number;
  skipped: number;
  failed: number;
  aborted: boolean;
  /** Targets set aside after repeated failures. */
  abandoned: string[];
}

/** Judges get enough room for a one-word verdict even from a model that thinks first. */
const JUDGE_MIN_TOKENS = 64;

/** Runs every (target, item) pair not yet in the store. */
export async function runEval(options: RunnerOptions): Promise<RunOutcome> {
  const pairs = options.targets.flatMap((target) =>
    options.suites.flatMap((suite) => suite.items.map((item) => ({ target, suite: suite.name, item, key: resultKey(target.name, suite.name, item.id, options.seed) }))),
  );
  const progress: RunProgress = { total: pairs.length, done: 0, skipped: 0, failed: 0 };
  const outcome: RunOutcome = { total: pairs.length, asked: 0, skipped: 0, failed: 0, aborted: false, abandoned: [] };
  const todo = pairs.filter((pair) => !options.store.has(pair.key));
  outcome.skipped = progress.skipped = progress.done = pairs.length - todo.length;
  if (progress.skipped > 0) options.onNote?.(`${progress.skipped} of ${pairs.length} items already answered; asking the other ${todo.length}`);

  const limit = options.maxConsecutiveFailures ?? 5;
  await Promise.all(
    options.targets.map(async (target) => {
      const queue = todo.filter((pair) => pair.target === target);
      let consecutiveFailures = 0;
      const worker = async () => {
        for (let pair = queue.shift(); pair; pair = queue.shift()) {
          if (options.signal?.aborted || consecutiveFailures >= limit) return;
          const result = await askItem(options, target, pair.suite, pair.item, pair.key);
          if (!result) return; // aborted mid-request
          await options.store.append(result);
          outcome.asked++;
          progress.done++;
          if (result.error) {
            outcome.failed++;
            progress.failed++;
            consecutiveFailures++;
          } else {
            consecutiveFailures = 0;
          }
          if (consecutiveFailures === limit && !outcome.abandoned.includes(target.name)) {
            outcome.abandoned.push(target.name);
            options.onNote?.(`${target.name}: ${limit} failures in a row (${result.error}); its other items are left for --resume`);
          }
          options.onProgress?.({ ...progress, target: target.name, result });
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
    }),
  );
  outcome.aborted = options.signal?.aborted ?? false;
  return outcome;
}

/** Asks one item and scores it; undefined when aborted. */
async function askItem(options: RunnerOptions, target: ResolvedTarget, suite: string, item: EvalItem, key: string): Promise<ItemResult | undefined> {
  const base = {
    key,
    target: target.name,
    model: target.endpoint.model,
    suite,
    itemId: item.id,
    seed: options.seed,
    tags: item.tags,
    prompt: item.prompt,
  };
  const messages = [...(item.system ? [{ role: "system" as const, content: item.system }] : []), { role: "user" as const, content: item.prompt }];
  let outcome;
  try {
    outcome = await chatWithRetries(
      target.endpoint,
      { messages, maxTokens: options.maxTokens, temperature: options.temperature, seed: options.seed, signal: options.signal },
      {
        retry: options.retry,
        fetch: options.fetch,
        onRetry: (error, attempt, waitMs) => options.onNote?.(`${target.name} ${item.id}: ${error.message}; retry ${attempt} in ${Math.round(waitMs)} ms`),
      },
    );
  } catch (error) {
    if (options.signal?.aborted) return undefined;
    return {
      ...base,
      answer: "",
      reasoningShown: false,
      reasoningChars: 0,
      finishReason: null,
      usage: { promptTokens: 0, completionTokens: 0, reasoningTokens: 0, estimated: true },
      ttftMs: null,
      totalMs: 0,
      tokensPerSecond: null,
      correct: null,
      detail: "request failed",
      attempts: error instanceof EndpointError && error.retryable ? 1 + (options.retry?.retries ?? DEFAULT_RETRY.retries) : 1,
      error: (error as Error).message,
      at: new Date().toISOString(),
    };
  }
  const inline = splitInlineReasoning(outcome.content);
  const reasoning = outcome.reasoning + inline.reasoning;
  const score = await scoreAnswer(item.checker, inline.answer, outcome.finishReason, options.sandbox);
  let audit: AuditVerdict | undefined;
  let correct = score.correct;
  if (item.audit) {
    const heuristic = classifyAnswer(inline.answer, outcome.finishReason);
    const judge = options.judge ? await askJudge(options, options.judge, item.prompt, inline.answer) : undefined;
    if (judge === "aborted") return undefined;
    const label = judge ?? heuristic.label;
    audit = { ...item.audit, label, heuristic: heuristic.label, ...(judge ? { judge } : {}), reason: judge ? `judge: ${judge}` : heuristic.reason };
    correct = label === "answered";
  }
  return {
    ...base,
    answer: inline.answer,
    reasoningShown: reasoning.trim().length > 0,
    reasoningChars: reasoning.length,
    finishReason: outcome.finishReason,
    usage: outcome.usage,
    ttftMs: outcome.ttftMs,
    totalMs: outcome.totalMs,
    tokensPerSecond: outcome.tokensPerSecond,
    correct,
    detail: audit ? `${audit.label}: ${audit.reason}` : score.detail,
    ...(audit ? { audit } : {}),
    attempts: outcome.attempts,
    at: new Date().toISOString(),
  };
}

/** Asks the judge; its failures leave the heuristic verdict in place. */
async function askJudge(options: RunnerOptions, judge: ResolvedTarget, question: string, answer: string): Promise<AuditVerdict["label"] | "aborted" | undefined> {
  try {
    const verdict = await chatWithRetries(
      judge.endpoint,
      { messages: [{ role: "user", content: judgePrompt(question, answer) }], maxTokens: Math.max(JUDGE_MIN_TOKENS, options.maxTokens), temperature: 0, seed: options.seed, signal: options.signal },
      { retry: options.retry, fetch: options.fetch },
    );
    return parseJudgeVerdict(verdict.content);
  } catch {
    return options.signal?.aborted ? "aborted" : undefined;
  }
}
