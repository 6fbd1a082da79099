/**
 * Finds where a streamed top-level JSON object or array ends. Grammars let the model pad a
 * finished JSON value with whitespace until it chooses to stop; we stop at the closing bracket
 * instead, so structured output never trails whitespace or wastes tokens.
 */
export class JsonValueEnd {
  #depth = 0;
  #inString = false;
  #escaped = false;
  #started = false;
  #done = false;

  get done(): boolean {
    return this.#done;
  }

  /** Index just past the value's closing bracket within `chunk`, or -1 if it has not ended yet. */
  push(chunk: string): number {
    if (this.#done) return 0;
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk[i];
      if (this.#inString) {
        if (this.#escaped) this.#escaped = false;
        else if (ch === "\\") this.#escaped = true;
        else if (ch === '"') this.#inString = false;
        continue;
      }
      if (ch === '"') this.#inString = true;
      else if (ch === "{" || ch === "[") {
        this.#depth++;
        this.#started = true;
      } else if ((ch === "}" || ch === "]") && this.#started) {
        this.#depth--;
        if (this.#depth === 0) {
          this.#done = true;
          return i + 1;
        }
      }
    }
    return -1;
  }
}
