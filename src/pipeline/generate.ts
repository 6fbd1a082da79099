/**
 * The generation pipeline: prepare the prompt, wait for a slot, run the engine and turn its tokens
 * into the internal event stream (reasoning, content, tool calls, finish with usage).
 *
 * Errors before the first token (bad request, unknown model, queue full) are thrown from the first
 * `next()`, so an adapter can still answer with an HTTP error; errors after it arrive as events.
 */
import { SputnikError, toSputnikError } from "../core/errors.ts";
import type { FinishReason, GenerationEvent, GenerationOutcome, TokenLogprob, Usage } from "../core/events.ts";
import type { GenerationRequest } from "../core/request.ts";
import { ReasoningParser, REASONING_CLOSE } from "../parsers/reasoning/reasoning-parser.ts";
import { JsonValueEnd } from "../parsers/json-value-end.ts";
import { StopStringDetector } from "../parsers/stop-strings.ts";
import { ForcedToolCallParser } from "../parsers/tools/forced-tool-call-parser.ts";
import { HermesToolCallParser } from "../parsers/tools/hermes-tool-call-parser.ts";
import { NoToolCallParser, type ToolCallParser } from "../parsers/tools/tool-call-events.ts";
import { IncrementalDetokenizer } from "./incremental-detokenizer.ts";
import { preparePrompt } from "./prepare-prompt.ts";
import type { ServedModel } from "./served-model.ts";
import type { Engine, GeneratedToken } from "../engine/engine.ts";

/** Loading a state from disk costs a file read; only worth it when it saves this many tokens. */
const MIN_DISK_CACHE_GAIN = 64;

export interface GenerateOptions {
  signal: AbortSignal;
  /** Called exactly once when the generation ends, however it ends, with the tokens used so far. */
  onSettled?: (outcome: GenerationOutcome) => void;
  /** Clock in ms; injectable for tests. Defaults to `performance.now`. */
  now?: () => number;
}

export async function* generate(model: ServedModel, request: GenerationRequest, options: GenerateOptions): AsyncGenerator<GenerationEvent> {
  const now = options.now ?? (() => performance.now());
  const startedAt = now();
  const usage: Usage = { promptTokens: 0, cachedPromptTokens: 0, completionTokens: 0, reasoningTokens: 0 };
  let outcome: GenerationOutcome | undefined;
  const settle = (result: GenerationOutcome) => {
    if (outcome) return;
    outcome = result;
    options.onSettled?.(result);
  };
  let prepared;
  let lease;
  try {
    model.scheduler.assertAcceptsWork();
    prepared = await preparePrompt(model, request);
    usage.promptTokens = prepared.tokens.length;
    lease = await model.scheduler.acquire(prepared.tokens, request.clientId, options.signal);
  } catch (error) {
    settle({ status: options.signal.aborted ? "cancelled" : "rejected", usage, error: toSputnikError(error) });
    throw error;
  }
  try {
    const cache = model.prefixCache;
    if (cache) {
      const match = cache.bestMatch(prepared.tokens);
      if (match && match.shared >= lease.slot.sharedPrefixLength(prepared.tokens) + MIN_DISK_CACHE_GAIN) await cache.restore(lease.slot, match.id);
    }
    const reasoning = new ReasoningParser({ startsInReasoning: prepared.startsInReasoning, detectOpenTag: prepared.detectReasoning });
    const tools: ToolCallParser =
      prepared.toolMode === "forced" ? new ForcedToolCallParser() : prepared.toolMode === "auto" ? new HermesToolCallParser() : new NoToolCallParser();
    const stops = new StopStringDetector(request.stop);
    const detokenizer = new IncrementalDetokenizer(model.engine, prepared.tokens);
    const grammar = prepared.grammar;
    // Structured output ends at the JSON value's closing bracket.
    const jsonEnd = grammar ? new JsonValueEnd() : undefined;
    const run = await lease.slot.run(prepared.tokens, {
      sampling: request.sampling,
      ignoreEos: request.ignoreEos,
      topLogprobs: request.logprobs?.top,
      grammar: grammar ? () => (reasoning.inReasoning ? undefined : grammar) : undefined,
      signal: options.signal,
    });
    usage.cachedPromptTokens = run.reusedTokens;
    yield { type: "start", id: request.id, model: model.id, created: Math.floor(Date.now() / 1000), promptTokens: prepared.tokens.length };

    let firstTokenAt: number | undefined;
    // Mutated inside `route`, so kept in an object (TypeScript does not track closure writes).
    const finish: { reason: FinishReason } = { reason: "length" };
    let pendingLogprobs: TokenLogprob[] = [];
    const maxNewTokens = prepared.maxNewTokens;
    const budget = request.kind === "chat" ? request.reasoningBudget : undefined;

    /** Routes decoded text through stop strings → reasoning split → tool calls, into events. */
    let closed = false;
    const route = function* (text: string, final: boolean): Generator<GenerationEvent> {
      if (closed) return;
      const scan = stops.push(text);
      const ending = final || scan.stopped;
      closed = ending;
      let emitted = scan.text;
      if (ending) emitted += stops.flush();
      const parts = reasoning.push(emitted);
      if (ending) parts.push(...reasoning.flush());
      for (const part of parts) {
        if (part.kind === "reasoning") {
          yield { type: "reasoning-delta", text: part.text };
          continue;
        }
        let content = part.text;
        if (jsonEnd) {
          if (jsonEnd.done) continue;
          const end = jsonEnd.push(content);
          if (end >= 0) {
            content = content.slice(0, end);
            finish.reason = "stop";
          }
        }
        for (const out of tools.push(content)) yield out.type === "text" ? textDelta(out.text) : out;
      }
      if (ending) for (const out of tools.flush()) yield out.type === "text" ? textDelta(out.text) : out;
      if (ending && pendingLogprobs.length > 0) yield textDelta("");
      if (scan.stopped) finish.reason = "stop";
    };
    const textDelta = (text: string): GenerationEvent => {
      if (pendingLogprobs.length === 0) return { type: "text-delta", text };
      const logprobs = pendingLogprobs;
      pendingLogprobs = [];
      return { type: "text-delta", text, logprobs };
    };

    let stoppedEarly = false;
    for await (const generated of run) {
      if (options.signal.aborted) return;
      firstTokenAt ??= now();
      usage.completionTokens++;
      const wasReasoning = reasoning.inReasoning;
      if (model.engine.isEndOfGeneration(generated.token)) break;
      if (request.logprobs) pendingLogprobs.push(toLogprob(model.engine, generated));
      let text = detokenizer.push(generated.token);
      if (budget !== undefined && reasoning.inReasoning && usage.reasoningTokens + 1 >= budget) {
        // Reasoning budget spent (reasoning_effort): close the block and let the model answer.
        const close = `\n${REASONING_CLOSE}\n\n`;
        const closeTokens = model.engine.tokenize(close, { special: true });
        run.inject(closeTokens);
        usage.completionTokens += closeTokens.length;
        text += detokenizer.flush() + close;
      }
      for (const event of route(text, false)) yield event;
      if (wasReasoning || reasoning.inReasoning) usage.reasoningTokens++;
      if (finish.reason === "stop") {
        stoppedEarly = true;
        break;
      }
      if (usage.completionTokens >= maxNewTokens) {
        stoppedEarly = true;
        break;
      }
    }
    if (options.signal.aborted) return;
    // The engine ended by itself: an end-of-generation token.
    if (!stoppedEarly) finish.reason = "stop";
    for (const event of route(detokenizer.flush(), true)) yield event;
    let finishReason = finish.reason;
    if (tools.callCount > 0 && finishReason === "stop") finishReason = "tool_calls";
    const end = now();
    const timings = { timeToFirstTokenMs: (firstTokenAt ?? end) - startedAt, queueMs: lease.queuedMs, totalMs: end - startedAt };
    settle({ status: "completed", usage: { ...usage }, finishReason, timings });
    yield { type: "finish", finishReason, usage: { ...usage }, timings };
  } catch (error) {
    const failure = error instanceof SputnikError ? error : toSputnikError(error);
    settle({ status: options.signal.aborted ? "cancelled" : "failed", usage: { ...usage }, error: failure });
    if (options.signal.aborted) return;
    yield { type: "error", error: failure };
  } finally {
    // Reached on normal end, on error, and when the consumer stops early (client gone).
    settle({ status: "cancelled", usage: { ...usage } });
    try {
      // Keep long prompts for later (other slots, restarts) before the slot is reused.
      if (model.prefixCache && outcome?.status === "completed") await model.prefixCache.store(lease.slot, prepared.tokens.length);
    } finally {
      lease.release();
    }
  }
}

function toLogprob(engine: Engine, generated: GeneratedToken): TokenLogprob {
  const describe = (token: number, probability: number) => {
    const text = engine.detokenize([token]);
    return { token: text, logprob: Math.log(Math.max(probability, Number.MIN_VALUE)), bytes: [...Buffer.from(text, "utf8")] };
  };
  const chosen = describe(generated.token, generated.probability ?? 1);
  return { ...chosen, top: (generated.top ?? []).map(([token, p]) => describe(token, p)) };
}
