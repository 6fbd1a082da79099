/**
 * Splits a model's output into reasoning and content around `<think>…</think>`, as DeepSeek's API
 * does with `reasoning_content`. Works on streamed chunks of any size: a tag split across chunks is
 * held back until it is complete. The tags themselves and the whitespace that pads them are dropped.
 */
import { partialSuffixLength } from "../partial-match.ts";

export const REASONING_OPEN = "<think>";
export const REASONING_CLOSE = "</think>";

export type ReasoningPart = { kind: "reasoning" | "content"; text: string };

type State = "start" | "reasoning" | "content";

export interface ReasoningParserOptions {
  /** The prompt already opened the reasoning block (DeepSeek-R1's template does). */
  startsInReasoning: boolean;
  /** Look for a `<think>` at the start of the output (thinking-capable templates). */
  detectOpenTag: boolean;
}

export class ReasoningParser {
  #state: State;
  #buffer = "";
  /** Strip whitespace at the start of the next block (after a tag). */
  #trimLeading = true;

  constructor(options: ReasoningParserOptions) {
    this.#state = options.startsInReasoning ? "reasoning" : options.detectOpenTag ? "start" : "content";
    if (this.#state === "content") this.#trimLeading = false;
  }

  get inReasoning(): boolean {
    return this.#state === "reasoning";
  }

  push(chunk: string): ReasoningPart[] {
    this.#buffer += chunk;
    const parts: ReasoningPart[] = [];
    for (;;) {
      if (this.#state === "start") {
        const trimmed = this.#buffer.trimStart();
        if (trimmed.startsWith(REASONING_OPEN)) {
          this.#buffer = trimmed.slice(REASONING_OPEN.length);
          this.#state = "reasoning";
          this.#trimLeading = true;
          continue;
        }
        if (trimmed.length === 0 || REASONING_OPEN.startsWith(trimmed)) return parts;
        this.#state = "content";
        this.#trimLeading = false;
        continue;
      }
      if (this.#state === "reasoning") {
        const close = this.#buffer.indexOf(REASONING_CLOSE);
        if (close >= 0) {
          this.#emit(parts, "reasoning", this.#buffer.slice(0, close));
          this.#buffer = this.#buffer.slice(close + REASONING_CLOSE.length);
          this.#state = "content";
          this.#trimLeading = true;
          continue;
        }
        const hold = partialSuffixLength(this.#buffer, [REASONING_CLOSE]);
        this.#emit(parts, "reasoning", this.#buffer.slice(0, this.#buffer.length - hold));
        this.#buffer = this.#buffer.slice(this.#buffer.length - hold);
        return parts;
      }
      this.#emit(parts, "content", this.#buffer);
      this.#buffer = "";
      return parts;
    }
  }

  /** End of output: release held-back text as what it turned out to be. */
  flush(): ReasoningPart[] {
    const parts: ReasoningPart[] = [];
    const rest = this.#buffer;
    this.#buffer = "";
    this.#emit(parts, this.#state === "reasoning" ? "reasoning" : "content", rest);
    return parts;
  }

  #emit(parts: ReasoningPart[], kind: ReasoningPart["kind"], text: string): void {
    if (this.#trimLeading) {
      text = text.trimStart();
      if (text.length === 0) return;
      this.#trimLeading = false;
    }
    if (text.length === 0) return;
    const last = parts[parts.length - 1];
    if (last?.kind === kind) last.text += text;
    else parts.push({ kind, text });
  }
}
