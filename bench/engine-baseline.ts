/**
 * The raw engine baseline: node-llama-cpp driven directly — no HTTP, no scheduler, no chat
 * template, no detokenizer — with the same model file, ggml threads, context size and number of
 * sequences as the server. It runs the same jobs (prompt lengths, output lengths, shared prefixes)
 * as a server level, so "server tok/s / engine tok/s" is the fraction of the engine the server
 * delivers. Sampling matches the server's request: greedy, end-of-generation tokens banned
 * (`ignore_eos`), prompt prefix kept in the sequence's KV cache between jobs.
 */
import { TokenBias, type Llama, type LlamaContextSequence, type LlamaModel, type Token } from "node-llama-cpp";
import { getLlamaRuntime } from "../src/engine/llama/llama-runtime.ts";
import { median, percentiles, sum, type Percentiles } from "./stats.ts";

export interface BaselineLoadOptions {
  path: string;
  threads: number;
  /** Tokens per sequence, as the server's `--ctx-size`. */
  contextSize: number;
}

export interface BaselineRunOptions {
  sequences: number;
  /** Prompt tokens of each job, run in order by whichever sequence is free. */
  prompts: readonly number[][];
  outputTokens: number;
}

export interface BaselineMeasurement {
  sequences: number;
  jobs: number;
  wallMs: number;
  generatedTokens: number;
  /** Prompt tokens that stayed in a sequence's cache from its previous job. */
  reusedTokens: number;
  /** Time from a job's start to its first generated token. */
  ttftMs: Percentiles;
  aggregateTps: number | null;
  /** Median over jobs of (tokens - 1) / (last - first token time). */
  perStreamTps: number | null;
}

export class EngineBaseline {
  #eogBias: TokenBias | undefined;

  private constructor(
    readonly llama: Llama,
    readonly model: LlamaModel,
    readonly options: BaselineLoadOptions,
  ) {}

  static async load(options: BaselineLoadOptions): Promise<EngineBaseline> {
    // The same runtime the server uses (one per process and thread count), so an in-process
    // server and the baseline share the native thread pool settings.
    const llama = await getLlamaRuntime({ gpu: "cpu", maxThreads: options.threads });
    const model = await llama.loadModel({ modelPath: options.path, gpuLayers: 0 });
    return new EngineBaseline(llama, model, options);
  }

  tokenize(text: string): number[] {
    return this.model.tokenize(text, false) as number[];
  }

  /** Tokens of `text`, cut or extended (by repeating them) to exactly `length`. */
  fitPrompt(text: string, length: number): number[] {
    const tokens = this.tokenize(text);
    if (tokens.length === 0) throw new Error("empty prompt");
    const fitted: number[] = [];
    while (fitted.length < length) fitted.push(tokens[fitted.length % tokens.length]);
    return fitted;
  }

  async run(options: BaselineRunOptions): Promise<BaselineMeasurement> {
    const context = await this.model.createContext({
      sequences: options.sequences,
      contextSize: this.options.contextSize,
      threads: this.options.threads,
      batchSize: 512,
      failedCreationRemedy: false,
    });
    try {
      const sequences = Array.from({ length: options.sequences }, () => context.getSequence());
      const jobs = options.prompts;
      const results: JobResult[] = [];
      let next = 0;
      const startedAt = performance.now();
      await Promise.all(
        sequences.map(async (sequence) => {
          while (next < jobs.length) {
            const job = jobs[next++];
            results.push(await this.#runJob(sequence, job, options.outputTokens));
          }
        }),
      );
      const wallMs = performance.now() - startedAt;
      const generatedTokens = sum(results.map((r) => r.tokens));
      const rates = results.flatMap((r) => (r.tokens >= 2 && r.lastMs > r.firstMs ? [((r.tokens - 1) * 1000) / (r.lastMs - r.firstMs)] : []));
      return {
        sequences: options.sequences,
        jobs: jobs.length,
        wallMs,
        generatedTokens,
        reusedTokens: sum(results.map((r) => r.reused)),
        ttftMs: percentiles(results.map((r) => r.firstMs)),
        aggregateTps: wallMs > 0 ? (generatedTokens * 1000) / wallMs : null,
        perStreamTps: median(rates),
      };
    } finally {
      await context.dispose();
    }
  }

  async #runJob(sequence: LlamaContextSequence, prompt: readonly number[], outputTokens: number): Promise<JobResult> {
    const startedAt = performance.now();
    // Keep the common prefix cached (as the server's slots do); evaluate at least one token.
    const cached = sequence.contextTokens;
    let reused = 0;
    while (reused < cached.length && reused < prompt.length - 1 && cached[reused] === prompt[reused]) reused++;
    if (reused < sequence.nextTokenIndex) await sequence.eraseContextTokenRanges([{ start: reused, end: sequence.nextTokenIndex }]);
    let tokens = 0;
    let firstMs = 0;
    let lastMs = 0;
    const generator = sequence.evaluate(prompt.slice(reused) as Token[], {
      temperature: 0,
      tokenBias: this.#eogTokenBias(),
      contextShift: { size: 0, strategy: () => [] },
    } as never);
    for await (const _token of generator) {
      const at = performance.now() - startedAt;
      if (tokens === 0) firstMs = at;
      lastMs = at;
      if (++tokens >= outputTokens) break;
    }
    return { tokens, firstMs, lastMs, reused };
  }

  /** Bans every end-of-generation token, as the server does for `ignore_eos`. */
  #eogTokenBias(): TokenBias {
    if (!this.#eogBias) {
      const bias = new TokenBias(this.model.tokenizer);
      const vocabulary = (this.model.fileInfo.metadata as unknown as { tokenizer?: { ggml?: { tokens?: unknown[] } } }).tokenizer?.ggml?.tokens?.length ?? 0;
      for (let token = 0; token < vocabulary; token++) if (this.model.isEogToken(token as Token)) bias.set(token as Token, "never");
      this.#eogBias = bias;
    }
    return this.#eogBias;
  }

  async dispose(): Promise<void> {
    await this.model.dispose();
  }
}

interface JobResult {
  tokens: number;
  firstMs: number;
  lastMs: number;
  reused: number;
}
