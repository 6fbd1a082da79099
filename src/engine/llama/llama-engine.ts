/**
 * The node-llama-cpp engine: one model, one context with `slots` sequences. node-llama-cpp batches
 * the pending work of all sequences of a context into shared decode calls, which is what gives us
 * continuous batching; prompt evaluation is split into `batchSize` chunks shared fairly across
 * sequences ("maximumParallelism"), so a long prefill does not stall running streams.
 */
import { stat } from "node:fs/promises";
import {
  InputLookupTokenPredictor,
  LlamaGrammarEvaluationState,
  TokenBias,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaGrammar,
  type LlamaModel,
} from "node-llama-cpp";
import { invalidRequest } from "../../core/errors.ts";
import type { CompiledGrammar, Engine, EngineModelInfo, EngineSlot, GeneratedToken, SlotRun, SlotRunOptions } from "../engine.ts";

export interface LlamaEngineOptions {
  id: string;
  path: string;
  /** Parallel sequences. */
  slots: number;
  /** Tokens per slot; undefined = min(train context, 8192). */
  contextSize?: number;
  /** ggml threads for this context. */
  threads: number;
  /** Tokens per decode call. Defaults to 512. */
  batchSize?: number;
  /** Layers to offload to a GPU; "auto" lets node-llama-cpp decide. */
  gpuLayers?: number | "auto";
  /**
   * Speculative decoding by prompt lookup: draft tokens are copied from earlier in the context
   * (summaries, code edits repeat their input) and verified in one batch. Defaults to off.
   */
  speculative?: "lookup";
  /**
   * Prompt tokens evaluated per step while other slots are generating. Small chunks keep their
   * inter-token latency low during a long prefill; with no one else decoding the whole batch is
   * used. Defaults to {@link DEFAULT_PREFILL_CHUNK}.
   */
  prefillChunk?: number;
}

/** Chosen so a decode step that shares its batch with a prefill chunk stays a few times a plain one. */
export const DEFAULT_PREFILL_CHUNK = 16;

/** Default per-slot context when none is given: enough for long chats, cheap on RAM for small models. */
export const DEFAULT_SLOT_CONTEXT = 8192;

interface LlamaGrammarHandle extends CompiledGrammar {
  grammar: LlamaGrammar;
}

export class LlamaEngine implements Engine {
  readonly info: EngineModelInfo;
  readonly prefillChunk: number;
  /** Slot runs in progress (prefilling or generating). */
  activeRuns = 0;
  #pendingErases = 0;
  #eraseGate: { promise: Promise<void>; open: () => void } | undefined;
  readonly slots: LlamaSlot[];
  #eogTokens?: number[];
  #disposed = false;

  private constructor(
    readonly llama: Llama,
    readonly model: LlamaModel,
    readonly context: LlamaContext,
    info: EngineModelInfo,
    speculative: LlamaEngineOptions["speculative"],
    prefillChunk: number,
  ) {
    this.info = info;
    this.prefillChunk = prefillChunk;
    this.slots = [];
    for (let i = 0; i < info.slots; i++) {
      const tokenPredictor = speculative === "lookup" ? new InputLookupTokenPredictor() : undefined;
      this.slots.push(new LlamaSlot(this, i, context.getSequence({ tokenPredictor })));
    }
  }

  static async load(llama: Llama, options: LlamaEngineOptions): Promise<LlamaEngine> {
    const fileBytes = (await stat(options.path)).size;
    const model = await llama.loadModel({ modelPath: options.path, gpuLayers: options.gpuLayers ?? "auto" });
    try {
      const contextSize = options.contextSize ?? Math.min(model.trainContextSize || DEFAULT_SLOT_CONTEXT, DEFAULT_SLOT_CONTEXT);
      const context = await model.createContext({
        sequences: options.slots,
        contextSize,
        threads: options.threads,
        batchSize: options.batchSize ?? 512,
        // Fails loudly instead of silently shrinking the context below what was asked for.
        failedCreationRemedy: false,
      });
      const metadata = model.fileInfo.metadata as unknown as Record<string, Record<string, unknown>>;
      const tokenizerMeta = (metadata.tokenizer?.chat_template as string | undefined) ?? undefined;
      const infill = model.tokens.infill;
      const info: EngineModelInfo = {
        id: options.id,
        path: options.path,
        architecture: String(metadata.general?.architecture ?? "unknown"),
        contextSize: context.contextSize,
        trainContextSize: model.trainContextSize,
        slots: options.slots,
        chatTemplate: tokenizerMeta,
        bosToken: model.tokens.bosString ?? undefined,
        eosToken: model.tokens.eosString ?? undefined,
        addBos: model.tokens.shouldPrependBosToken,
        fim:
          infill.prefix != null && infill.suffix != null && infill.middle != null
            ? { prefix: infill.prefix, suffix: infill.suffix, middle: infill.middle }
            : undefined,
        fileBytes,
        vocabularySize: vocabularySizeOf(model),
        createdAt: Math.floor(Date.now() / 1000),
      };
      return new LlamaEngine(llama, model, context, info, options.speculative, options.prefillChunk ?? DEFAULT_PREFILL_CHUNK);
    } catch (error) {
      await model.dispose();
      throw error;
    }
  }

  /**
   * Trims a slot's cache without waiting for every other stream to end. node-llama-cpp 3.21.1
   * erases under the context lock, which its decode loop holds for as long as any decode is
   * queued; with streams running, one always is, so an erase would wait until they all finish
   * (measured: ~3 s with three streams on the test model). While an erase waits, running slots
   * hold back their next token (`passEraseGate`), the queue drains after the batch in flight, the
   * loop lets go of the lock, and the erase runs; then everyone continues. Cost: one step's delay.
   */
  async eraseWithoutStarvation(sequence: LlamaContextSequence, start: number, end: number): Promise<void> {
    if (this.#pendingErases++ === 0) {
      let open!: () => void;
      const promise = new Promise<void>((resolve) => (open = resolve));
      this.#eraseGate = { promise, open };
    }
    try {
      await sequence.eraseContextTokenRanges([{ start, end }]);
    } finally {
      if (--this.#pendingErases === 0) {
        this.#eraseGate?.open();
        this.#eraseGate = undefined;
      }
    }
  }

  /** Resolves at once unless an erase is waiting for the context lock (see above). */
  passEraseGate(): Promise<void> | undefined {
    return this.#eraseGate?.promise;
  }

  tokenize(text: string, options: { special?: boolean } = {}): number[] {
    return this.model.tokenize(text, options.special ?? false) as number[];
  }

  detokenize(tokens: readonly number[], previous?: readonly number[]): string {
    return this.model.detokenize(tokens as never, false, previous as never);
  }

  isEndOfGeneration(token: number): boolean {
    return this.model.isEogToken(token as never);
  }

  /** All end-of-generation tokens; computed once, on first use (a scan of the vocabulary). */
  eogTokens(): number[] {
    if (!this.#eogTokens) {
      const found: number[] = [];
      const vocab = this.info.vocabularySize;
      for (let token = 0; token < vocab; token++) if (this.model.isEogToken(token as never)) found.push(token);
      this.#eogTokens = found;
    }
    return this.#eogTokens;
  }

  async compileJsonGrammar(schema: Record<string, unknown> | null): Promise<CompiledGrammar> {
    try {
      const grammar = schema ? await this.llama.createGrammarForJsonSchema(schema as never) : await this.llama.getGrammarFor("json");
      return { kind: "grammar", grammar } as LlamaGrammarHandle;
    } catch (error) {
      throw invalidRequest(
        `The JSON schema cannot be enforced: ${(error as Error).message}`,
        "response_format.json_schema.schema",
        "invalid_json_schema",
      );
    }
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    await this.context.dispose();
    await this.model.dispose();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }
}

export class LlamaSlot implements EngineSlot {
  constructor(
    private readonly engine: LlamaEngine,
    readonly index: number,
    readonly sequence: LlamaContextSequence,
  ) {}

  get cachedTokens(): readonly number[] {
    return this.sequence.contextTokens as number[];
  }

  sharedPrefixLength(tokens: readonly number[]): number {
    const cached = this.sequence.contextTokens;
    const limit = Math.min(cached.length, tokens.length);
    let i = 0;
    while (i < limit && cached[i] === tokens[i]) i++;
    return i;
  }

  async saveState(file: string): Promise<number> {
    return (await this.sequence.saveStateToFile(file)).fileSize;
  }

  async loadState(file: string): Promise<void> {
    await this.sequence.loadStateFromFile(file, { acceptRisk: true });
  }

  async run(promptTokens: number[], options: SlotRunOptions): Promise<SlotRun> {
    // Keep the shared prefix in the KV cache, drop the rest. At least one prompt token must be
    // evaluated so there are logits to sample the first new token from.
    const reused = Math.min(this.sharedPrefixLength(promptTokens), promptTokens.length - 1);
    const held = this.sequence.nextTokenIndex;
    if (reused < held) await this.engine.eraseWithoutStarvation(this.sequence, reused, held);
    const toEvaluate = promptTokens.slice(reused);
    return new LlamaSlotRun(this.engine, this.sequence, toEvaluate, reused, options);
  }
}

class LlamaSlotRun implements SlotRun {
  #injected: number[] | undefined;

  constructor(
    private readonly engine: LlamaEngine,
    private readonly sequence: LlamaContextSequence,
    private readonly tokens: number[],
    readonly reusedTokens: number,
    private readonly options: SlotRunOptions,
  ) {}

  inject(tokens: number[]): void {
    this.#injected = tokens;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<GeneratedToken> {
    const { sampling } = this.options;
    const engine = this.engine;
    const generated: number[] = [];
    const bias = buildTokenBias(engine, sampling.logitBias, this.options.ignoreEos);
    let grammarState: LlamaGrammarEvaluationState | undefined;
    const grammarFor = this.options.grammar;
    const penalties =
      sampling.presencePenalty || sampling.frequencyPenalty
        ? {
            punishTokens: () => generated as never[],
            penalty: 1,
            presencePenalty: sampling.presencePenalty ?? 0,
            frequencyPenalty: sampling.frequencyPenalty ?? 0,
            maxPunishTokens: 256,
          }
        : undefined;
    const evaluateOptions = {
      temperature: sampling.temperature,
      topK: sampling.topK,
      topP: sampling.topP,
      minP: sampling.minP,
      seed: sampling.seed,
      tokenBias: bias,
      repeatPenalty: penalties,
      grammarEvaluationState: grammarFor
        ? () => {
            const compiled = grammarFor() as LlamaGrammarHandle | undefined;
            if (!compiled) return undefined;
            grammarState ??= new LlamaGrammarEvaluationState({ model: engine.model, grammar: compiled.grammar });
            return grammarState;
          }
        : undefined,
      // Never shift the context: running out of room ends the generation with "length".
      contextShift: { size: 0, strategy: () => [] },
    };
    // Prompt-lookup speculation drafts from the input, so the predictor must see it.
    this.sequence.tokenPredictor?.updateInputTokens?.(this.tokens as never[]);
    engine.activeRuns++;
    try {
      yield* this.#evaluate(this.tokens, evaluateOptions, generated);
    } finally {
      engine.activeRuns--;
    }
  }

  async *#evaluate(prompt: number[], evaluateOptions: object, generated: number[]): AsyncGenerator<GeneratedToken> {
    const { signal } = this.options;
    const engine = this.engine;
    const wantProbabilities = this.options.topLogprobs !== undefined;
    // Chunked prefill: while other slots run, the prompt goes in small pieces, each its own decode
    // call. node-llama-cpp batches queued work of all sequences per call, so every piece shares a
    // batch with the other slots' next tokens instead of stalling them until it is done.
    while (engine.activeRuns > 1 && prompt.length > engine.prefillChunk + 1) {
      await engine.passEraseGate();
      await this.sequence.evaluateWithoutGeneratingNewTokens(prompt.slice(0, engine.prefillChunk) as never[], {
        contextShift: { size: 0, strategy: () => [] },
      } as never);
      prompt = prompt.slice(engine.prefillChunk);
      if (signal.aborted) return;
      // Let the decode loop find its queue empty once: the running streams' next tokens travel a
      // longer promise chain (through the HTTP stream) than this loop, and would otherwise miss
      // every batch until the whole prompt is in.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const iterator = this.sequence.evaluateWithMetadata(
      prompt as never[],
      { probabilities: wantProbabilities, confidence: wantProbabilities } as const,
      evaluateOptions as never,
    );
    try {
      let next = await iterator.next();
      while (!next.done) {
        if (signal.aborted) return;
        const output = next.value as { token: number; probabilities?: Map<number, number>; confidence?: number };
        generated.push(output.token);
        const result: GeneratedToken = { token: output.token };
        if (wantProbabilities) {
          result.probability = output.confidence;
          const top: Array<[number, number]> = [];
          const want = this.options.topLogprobs ?? 0;
          if (want > 0 && output.probabilities) {
            for (const entry of output.probabilities) {
              top.push(entry);
              if (top.length >= want) break;
            }
          }
          result.top = top;
        }
        yield result;
        // Injected tokens go in after the token just sampled, which must stay in the context too.
        const injected = this.#injected;
        this.#injected = undefined;
        await engine.passEraseGate();
        next = await iterator.next((injected ? [output.token, ...injected] : undefined) as never);
      }
    } finally {
      await iterator.return(undefined);
    }
  }
}

function vocabularySizeOf(model: LlamaModel): number {
  const tokens = (model.fileInfo.metadata as unknown as { tokenizer?: { ggml?: { tokens?: unknown[] } } }).tokenizer?.ggml?.tokens;
  return tokens?.length ?? 0;
}

function buildTokenBias(engine: LlamaEngine, logitBias: Record<number, number> | undefined, ignoreEos: boolean): TokenBias | undefined {
  const entries = Object.entries(logitBias ?? {});
  if (entries.length === 0 && !ignoreEos) return undefined;
  const bias = new TokenBias(engine.model.tokenizer);
  for (const [token, value] of entries) {
    // OpenAI: -100 bans a token, 100 all but forces it; between, it is added to the logit.
    bias.set(Number(token) as never, value <= -100 ? "never" : { logit: value });
  }
  if (ignoreEos) for (const token of engine.eogTokens()) bias.set(token as never, "never");
  return bias;
}
