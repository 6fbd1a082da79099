/**
 * Output moderation: wraps a generation's event stream. Restores privacy placeholders, runs the
 * output rules incrementally over content and reasoning (each through its own gate), and — never
 * silently — ends a withheld answer with a `moderation` event and a `finish` whose reason is
 * `content_filter` and whose `moderation` names the policy, rule, action and reason.
 */
import type { GenerationEvent, GenerationOutcome, TokenLogprob } from "../core/events.ts";
import { EMPTY_USAGE } from "../pipeline/generation-hooks.ts";
import type { ModelRegistry } from "../pipeline/model-registry.ts";
import { askJudge } from "./judge.ts";
import { OutputGate, type GateResult } from "./match/output-gate.ts";
import { StreamUnmasker, type PiiVault } from "./pii/privacy-shield.ts";
import type { CompiledRule } from "./policy/compile-policy.ts";
import type { RequestModeration } from "./request-moderation.ts";

export interface OutputModerationOptions {
  moderation: RequestModeration;
  /** Output rules that apply to this request. */
  rules: readonly CompiledRule[];
  /** Set when the prompt was masked: placeholders in the answer are restored from it. */
  vault?: PiiVault;
  /** Resolves with the pipeline's outcome (for the usage of a generation cut short). */
  settled: Promise<GenerationOutcome>;
  judge: { models: ModelRegistry; signal: AbortSignal };
  /** Clock in ms for timings. Defaults to `performance.now`. */
  now?: () => number;
}

type TextKind = "text" | "reasoning";

const NONE: readonly GenerationEvent[] = Object.freeze([]);

export async function* moderateOutput(upstream: AsyncIterable<GenerationEvent>, options: OutputModerationOptions): AsyncGenerator<GenerationEvent> {
  const { moderation, vault } = options;
  const now = options.now ?? (() => performance.now());
  const startedAt = now();
  let firstTextAt: number | undefined;
  const scanRules = options.rules.filter((rule) => rule.output && (rule.hasKeywords || rule.regexes.length > 0 || rule.pii.length > 0));
  const judgeRules = options.rules.filter((rule) => rule.output && rule.judge);
  const gates: Record<TextKind, OutputGate> = {
    text: new OutputGate(moderation.policy, scanRules),
    reasoning: new OutputGate(moderation.policy, scanRules),
  };
  const unmaskers: Record<TextKind, StreamUnmasker> | undefined = vault && { text: new StreamUnmasker(vault), reasoning: new StreamUnmasker(vault) };
  const toolUnmaskers = new Map<number, StreamUnmasker>();
  const noticed = new Set<CompiledRule>();
  let logprobs: TokenLogprob[] = [];
  let answer = "";

  /**
   * Events ready to go out. Helpers append here and the generator drains it: plain functions
   * rather than `yield*` into sync generators, which cost several promises per token.
   */
  const out: GenerationEvent[] = [];

  /** Queues what a gate let through: first notices for new rules, then the released text. */
  function emit(kind: TextKind, result: GateResult, final = false): void {
    for (const hit of result.hits) {
      const notice = moderation.decide(hit.rule, hit.text);
      if (notice && !noticed.has(hit.rule)) {
        noticed.add(hit.rule);
        out.push({ type: "moderation", notice });
      }
    }
    if (kind === "reasoning") {
      if (result.release) out.push({ type: "reasoning-delta", text: result.release });
      return;
    }
    // Kept only for output judges, which read the whole answer at the end.
    if (judgeRules.length > 0) answer += result.release;
    if (!result.release && !(final && logprobs.length > 0)) return;
    if (logprobs.length === 0) out.push({ type: "text-delta", text: result.release });
    else {
      out.push({ type: "text-delta", text: result.release, logprobs });
      logprobs = [];
    }
  }

  /** Ends the text streams at a boundary (tool call, finish, error); true when that cut the answer. */
  function flush(): boolean {
    for (const kind of ["reasoning", "text"] as const) {
      const rest = unmaskers?.[kind].flush() ?? "";
      if (rest) {
        const pushed = gates[kind].push(rest);
        emit(kind, pushed);
        if (pushed.blocked) return true;
      }
      const finished = gates[kind].finish();
      emit(kind, finished, kind === "text");
      if (finished.blocked) return true;
    }
    return false;
  }

  /** The queued events, taken out of the queue. */
  const drain = (): readonly GenerationEvent[] => (out.length === 0 ? NONE : out.splice(0));

  const iterator = upstream[Symbol.asyncIterator]();
  /** Stops the generation and reports the withheld answer, with the tokens it did use. */
  async function* withhold(usageFromFinish?: GenerationEvent & { type: "finish" }): AsyncGenerator<GenerationEvent> {
    const notice = moderation.notice!;
    await iterator.return?.();
    const outcome = usageFromFinish ? undefined : await settledOrNothing(options.settled);
    const end = now();
    yield {
      type: "finish",
      finishReason: "content_filter",
      usage: usageFromFinish?.usage ?? outcome?.usage ?? { ...EMPTY_USAGE },
      timings: usageFromFinish?.timings ?? { timeToFirstTokenMs: (firstTextAt ?? end) - startedAt, queueMs: 0, totalMs: end - startedAt },
      moderation: notice,
    };
  }

  try {
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      const event = next.value;
      switch (event.type) {
        case "text-delta":
        case "reasoning-delta": {
          firstTextAt ??= now();
          const kind: TextKind = event.type === "text-delta" ? "text" : "reasoning";
          if (event.type === "text-delta" && event.logprobs) logprobs.push(...event.logprobs);
          const text = unmaskers ? unmaskers[kind].push(event.text) : event.text;
          const result = gates[kind].push(text);
          emit(kind, result);
          for (const queued of drain()) yield queued;
          if (result.blocked) return yield* withhold();
          break;
        }
        case "tool-call-start": {
          const cut = flush();
          for (const queued of drain()) yield queued;
          if (cut) return yield* withhold();
          yield event;
          break;
        }
        case "tool-call-delta": {
          if (!vault) {
            yield event;
            break;
          }
          let unmasker = toolUnmaskers.get(event.index);
          if (!unmasker) toolUnmaskers.set(event.index, (unmasker = new StreamUnmasker(vault)));
          const argumentsDelta = unmasker.push(event.argumentsDelta);
          if (argumentsDelta) yield { ...event, argumentsDelta };
          break;
        }
        case "tool-call-end": {
          const rest = toolUnmaskers.get(event.index)?.flush();
          if (rest) yield { type: "tool-call-delta", index: event.index, argumentsDelta: rest };
          yield event;
          break;
        }
        case "finish": {
          const cut = flush();
          for (const queued of drain()) yield queued;
          if (cut) return yield* withhold(event);
          // Let the pipeline free the slot before a judge queues for one (a one-slot model would wait on itself).
          const after: GenerationEvent[] = [];
          for (let rest = await iterator.next(); !rest.done; rest = await iterator.next()) after.push(rest.value);
          let finishReason = event.finishReason;
          for (const rule of judgeRules) {
            if (!answer) break;
            const verdict = await askJudge(rule.judge!, answer, options.judge.models, options.judge.signal);
            if (verdict.error) console.error(`[sputnik] judge of rule ${rule.policy}/${rule.rule} failed (${rule.judge!.onError}): ${verdict.error}`);
            if (!verdict.yes) continue;
            const notice = moderation.decide(rule, answer);
            if (notice) yield { type: "moderation", notice };
            // The answer was already streamed: it is not pretended away, but the client learns it breaks the policy.
            if (rule.action === "block") finishReason = "content_filter";
          }
          const notice = moderation.notice;
          yield notice ? { ...event, finishReason, moderation: notice } : { ...event, finishReason };
          yield* after;
          return;
        }
        case "error": {
          const cut = flush();
          for (const queued of drain()) yield queued;
          if (cut) return yield* withhold();
          yield event;
          break;
        }
        default:
          yield event;
      }
    }
  } finally {
    await iterator.return?.();
  }
}

/**
 * The pipeline reports its outcome from the generator's `finally`, a microtask or so after
 * `return()`; if it has not by the next macrotask, the usage is reported as unknown (zeros).
 */
async function settledOrNothing(settled: Promise<GenerationOutcome>): Promise<GenerationOutcome | undefined> {
  return Promise.race([settled, new Promise<undefined>((resolve) => setImmediate(() => resolve(undefined)))]);
}
