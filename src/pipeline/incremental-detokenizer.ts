import type { Engine } from "../engine/engine.ts";

/** Tokens of context kept for the detokenizer's leading-space rules. */
const CONTEXT_TOKENS = 4;
/** A UTF-8 character is at most 4 bytes, so at most 4 byte-level tokens are ever held. */
const MAX_HELD_TOKENS = 4;

/**
 * Turns generated tokens into text one token at a time. Byte-level BPE splits some characters
 * (CJK, emoji) across tokens; such a partial character decodes to U+FFFD, so those tokens are held
 * until the character is complete instead of streaming a replacement character to the client.
 */
export class IncrementalDetokenizer {
  #pending: number[] = [];
  #context: number[];

  constructor(
    private readonly engine: Engine,
    promptTail: readonly number[],
  ) {
    this.#context = promptTail.slice(-CONTEXT_TOKENS);
  }

  push(token: number): string {
    this.#pending.push(token);
    const text = this.engine.detokenize(this.#pending, this.#context);
    if (text.endsWith("\uFFFD") && this.#pending.length < MAX_HELD_TOKENS) return "";
    this.#context = [...this.#context, ...this.#pending].slice(-CONTEXT_TOKENS);
    this.#pending = [];
    return text;
  }

  flush(): string {
    if (this.#pending.length === 0) return "";
    const text = this.engine.detokenize(this.#pending, this.#context);
    this.#pending = [];
    return text;
  }
}
