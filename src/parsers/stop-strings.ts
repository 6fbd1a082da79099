import { partialSuffixLength } from "./partial-match.ts";

export interface StopScan {
  /** Text safe to pass on. */
  text: string;
  /** A stop string was found; nothing after it may be emitted. */
  stopped: boolean;
}

/**
 * Finds OpenAI `stop` strings in streamed text. Text that might be the start of a stop string is
 * held back until the next chunk shows it is not; the stop string itself is never emitted.
 */
export class StopStringDetector {
  #pending = "";
  #stopped = false;

  constructor(private readonly stops: readonly string[]) {}

  push(chunk: string): StopScan {
    if (this.#stopped) return { text: "", stopped: true };
    if (this.stops.length === 0) return { text: chunk, stopped: false };
    const text = this.#pending + chunk;
    let first = -1;
    for (const stop of this.stops) {
      const at = text.indexOf(stop);
      if (at >= 0 && (first < 0 || at < first)) first = at;
    }
    if (first >= 0) {
      this.#stopped = true;
      this.#pending = "";
      return { text: text.slice(0, first), stopped: true };
    }
    const hold = partialSuffixLength(text, this.stops);
    this.#pending = text.slice(text.length - hold);
    return { text: text.slice(0, text.length - hold), stopped: false };
  }

  /** End of generation: whatever was held back was not a stop string after all. */
  flush(): string {
    const rest = this.#pending;
    this.#pending = "";
    return this.#stopped ? "" : rest;
  }
}
