/**
 * The engine boundary: how tokens are made. The scheduler and the pipeline talk to a model only
 * through these interfaces; node-llama-cpp lives behind them in `llama/`.
 */
import type { SamplingOptions } from "../core/request.ts";

export interface EngineModelInfo {
  /** The id the model is served under. */
  id: string;
  path: string;
  /** GGUF `general.architecture`, e.g. `qwen2`. */
  architecture: string;
  /** Tokens each slot can hold (prompt + completion). */
  contextSize: number;
  /** Context length the model was trained with (GGUF metadata). */
  trainContextSize: number;
  /** Parallel sequences (slots) in the model's context. */
  slots: number;
  /** Jinja chat template from the GGUF, when present. */
  chatTemplate?: string;
  bosToken?: string;
  eosToken?: string;
  /** Whether the tokenizer adds BOS by itself when tokenizing with special tokens. */
  addBos: boolean;
  /** Fill-in-the-middle tokens, when the vocabulary has them. */
  fim?: { prefix: number; suffix: number; middle: number };
  fileBytes: number;
  /** Tokens in the vocabulary (valid token ids are below it). */
  vocabularySize: number;
  /** Unix seconds the model was loaded. */
  createdAt: number;
}

/** A JSON schema compiled into something the engine can constrain sampling with. */
export interface CompiledGrammar {
  readonly kind: "grammar";
}

export interface GeneratedToken {
  token: number;
  /** Probability of the chosen token, when log-probabilities were asked for. */
  probability?: number;
  /** Most likely alternatives (token, probability), best first. */
  top?: Array<[number, number]>;
}

export interface SlotRunOptions {
  sampling: SamplingOptions;
  /** Tokens sampled by the model but never yielded as text (ignore_eos bans EOG). */
  ignoreEos: boolean;
  /** Number of alternatives to report per token; undefined = no probabilities. */
  topLogprobs?: number;
  /**
   * Returns the grammar that constrains the next token, or undefined for free sampling. Called per
   * token, so a grammar can switch on after a model's reasoning block.
   */
  grammar?: () => CompiledGrammar | undefined;
  /** Tokens already generated before this run (for repetition penalties). */
  signal: AbortSignal;
}

/** A running generation. `inject` feeds tokens after the one just sampled (used to force `</think>`). */
export interface SlotRun extends AsyncIterable<GeneratedToken> {
  /** Prompt tokens that were reused from the slot's cache instead of evaluated. */
  readonly reusedTokens: number;
  inject(tokens: number[]): void;
}

export interface EngineSlot {
  readonly index: number;
  /** Tokens currently held in this slot's KV cache. */
  readonly cachedTokens: readonly number[];
  /** Length of the common prefix between `tokens` and this slot's cache. */
  sharedPrefixLength(tokens: readonly number[]): number;
  run(promptTokens: number[], options: SlotRunOptions): Promise<SlotRun>;
  /** Writes the slot's KV state (and its tokens) to `file`; returns the file size in bytes. */
  saveState(file: string): Promise<number>;
  /** Replaces the slot's KV state with one saved by `saveState` from the same model. */
  loadState(file: string): Promise<void>;
}

export interface Engine {
  readonly info: EngineModelInfo;
  readonly slots: readonly EngineSlot[];
  tokenize(text: string, options?: { special?: boolean }): number[];
  /** Text of `tokens`; `previous` gives tokenizer context for correct leading spaces. */
  detokenize(tokens: readonly number[], previous?: readonly number[]): string;
  isEndOfGeneration(token: number): boolean;
  /** Compiles a JSON schema (or "any JSON" when schema is null). Throws on unsupported schemas. */
  compileJsonGrammar(schema: Record<string, unknown> | null): Promise<CompiledGrammar>;
  dispose(): Promise<void>;
}
