/**
 * Aho-Corasick multi-keyword automaton: finds every occurrence of any of N keywords in one pass
 * over the text, in time linear in the text (plus matches), whatever N is. Written here rather
 * than taken from npm because the streaming moderator needs two things packages rarely expose:
 * stepping one character at a time across stream chunks, and the depth of the current state (the
 * longest suffix of the text seen so far that is still the start of some keyword), which is
 * exactly how much of a stream's tail must be held back before it is safe to release.
 *
 * Works on UTF-16 code units, so Hangul and Han keywords match like any other text.
 */

/** One keyword occurrence; `end` is exclusive. */
export interface KeywordMatch {
  /** Index of the keyword in the list given to the constructor. */
  pattern: number;
  start: number;
  end: number;
}

export interface AhoCorasickOptions {
  /** Compare ignoring case (simple per-character lowercasing). Defaults to true. */
  caseInsensitive?: boolean;
}

export class AhoCorasick {
  /** Transitions, keyed by `state * 65536 + charCode` in one map: compact for thousands of states. */
  readonly #goto = new Map<number, number>();
  readonly #fail: number[] = [0];
  readonly #depth: number[] = [0];
  /** Pattern ids ending exactly at each state. */
  readonly #out: number[][] = [[]];
  /** Nearest state on the failure chain that has outputs (dictionary suffix link); -1 if none. */
  readonly #dict: number[] = [-1];
  readonly #lengths: number[];
  readonly #caseInsensitive: boolean;
  /** Length of the longest keyword (0 for an empty list). */
  readonly maxLength: number;

  constructor(patterns: readonly string[], options: AhoCorasickOptions = {}) {
    this.#caseInsensitive = options.caseInsensitive ?? true;
    this.#lengths = patterns.map((p) => p.length);
    this.maxLength = Math.max(0, ...this.#lengths);
    patterns.forEach((pattern, id) => {
      if (pattern.length === 0) return;
      let state = 0;
      for (let i = 0; i < pattern.length; i++) {
        const key = state * 65536 + this.#fold(pattern.charCodeAt(i));
        let next = this.#goto.get(key);
        if (next === undefined) {
          next = this.#fail.length;
          this.#goto.set(key, next);
          this.#fail.push(0);
          this.#depth.push(this.#depth[state] + 1);
          this.#out.push([]);
          this.#dict.push(-1);
        }
        state = next;
      }
      this.#out[state].push(id);
    });
    this.#buildFailureLinks();
  }

  get stateCount(): number {
    return this.#fail.length;
  }

  /** The state after reading `code` in `state` (follows failure links as needed). */
  step(state: number, code: number): number {
    const c = this.#fold(code);
    for (;;) {
      const next = this.#goto.get(state * 65536 + c);
      if (next !== undefined) return next;
      if (state === 0) return 0;
      state = this.#fail[state];
    }
  }

  /** Characters of the current text tail that could still grow into a keyword. */
  depth(state: number): number {
    return this.#depth[state];
  }

  /** Calls `found(patternId)` for every keyword ending at `state`. */
  forEachMatch(state: number, found: (pattern: number, length: number) => void): void {
    for (let s = this.#out[state].length > 0 ? state : this.#dict[state]; s > 0; s = this.#dict[s]) {
      for (const id of this.#out[s]) found(id, this.#lengths[id]);
    }
  }

  /** Every occurrence in `text` (overlapping ones included), in order of their end. */
  findAll(text: string): KeywordMatch[] {
    const matches: KeywordMatch[] = [];
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      state = this.step(state, text.charCodeAt(i));
      this.forEachMatch(state, (pattern, length) => matches.push({ pattern, start: i + 1 - length, end: i + 1 }));
    }
    return matches;
  }

  #fold(code: number): number {
    if (!this.#caseInsensitive) return code;
    // ASCII fast path; other scripts through String#toLowerCase when it keeps one code unit.
    if (code >= 65 && code <= 90) return code + 32;
    if (code < 128) return code;
    const lower = String.fromCharCode(code).toLowerCase();
    return lower.length === 1 ? lower.charCodeAt(0) : code;
  }

  #buildFailureLinks(): void {
    // Children of every state, so the breadth-first walk does not scan the whole goto map per state.
    const children = new Map<number, Array<[number, number]>>();
    for (const [key, child] of this.#goto) {
      const parent = Math.floor(key / 65536);
      let list = children.get(parent);
      if (!list) children.set(parent, (list = []));
      list.push([key % 65536, child]);
    }
    const queue: number[] = [];
    for (const [, child] of children.get(0) ?? []) queue.push(child);
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head];
      for (const [code, child] of children.get(state) ?? []) {
        let f = this.#fail[state];
        let target: number | undefined;
        for (;;) {
          target = this.#goto.get(f * 65536 + code);
          if (target !== undefined || f === 0) break;
          f = this.#fail[f];
        }
        this.#fail[child] = target !== undefined && target !== child ? target : 0;
        const fs = this.#fail[child];
        this.#dict[child] = this.#out[fs].length > 0 ? fs : this.#dict[fs];
        queue.push(child);
      }
    }
  }
}
