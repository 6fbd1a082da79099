/**
 * Finds rule matches in text that arrives in pieces (an answer, token by token) without
 * re-scanning what was already seen: keywords advance one shared automaton over the new
 * characters only; regexes and PII detectors re-scan just the new tail plus their longest-match
 * overlap. Besides the matches it reports how far the text is *settled* — no match found later
 * can start before that offset — which is what the output gate may release to the client.
 */
import type { CompiledPolicySet, CompiledRule } from "../policy/compile-policy.ts";
import { PII_DETECTORS, type PiiDetector } from "../pii/detectors.ts";

/** A rule matched `text` at `[start, end)` of the scanned stream. */
export interface RuleHit {
  rule: CompiledRule;
  start: number;
  end: number;
  text: string;
}

export interface ScanResult {
  /** New, final matches, by start. */
  hits: RuleHit[];
  /** Offset before which no later match can start. */
  settled: number;
}

const WORD_CHAR = /[\p{L}\p{N}_]/u;
/** Scripts written without spaces: a keyword in them needs no word boundary. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hangul}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;

/** One regex-like matcher: an operator regex of one rule, or one PII detector shared by rules. */
interface PatternMatcher {
  pattern: RegExp;
  validate?: (match: string) => boolean;
  maxLength: number;
  /** Holdback estimate; without one the full `maxLength - 1` is held back. */
  tail?: (text: string) => number;
  rules: CompiledRule[];
  /** End of the last reported match: later matches must start at or after it. */
  reportedEnd: number;
  /**
   * Where the next re-scan starts: the earliest point a match that still grows could begin (the
   * start of the previous tail, or of a match that touched the end). Without a tail estimate it
   * is `maxLength` back from the end.
   */
  nextScanFrom: number;
}

export class StreamScanner {
  #text = "";
  readonly #keywordStates: number[];
  readonly #pendingKeywords: Array<{ hit: RuleHit; wholeWord: boolean }> = [];
  readonly #matchers: PatternMatcher[] = [];
  /** Per rule index: 1 when its keywords are looked for here. A typed array: built per request, for 1,000s of rules. */
  readonly #applicable: Uint8Array;
  readonly #anyKeywords: boolean;

  /** @param rules the rules to look for (already filtered by direction, key and model). */
  constructor(
    private readonly policy: CompiledPolicySet,
    rules: readonly CompiledRule[],
  ) {
    this.#applicable = new Uint8Array(policy.rules.length);
    let anyKeywords = false;
    for (const rule of rules) {
      if (!rule.hasKeywords) continue;
      this.#applicable[rule.index] = 1;
      anyKeywords = true;
    }
    this.#anyKeywords = anyKeywords;
    this.#keywordStates = policy.keywordIndexes.map(() => 0);
    const byDetector = new Map<PiiDetector, CompiledRule[]>();
    for (const rule of rules) {
      for (const regex of rule.regexes) {
        this.#matchers.push({ pattern: new RegExp(regex.source, regex.flags), maxLength: rule.window, rules: [rule], reportedEnd: 0, nextScanFrom: 0 });
      }
      for (const kind of rule.pii) {
        const detector = PII_DETECTORS[kind];
        byDetector.set(detector, [...(byDetector.get(detector) ?? []), rule]);
      }
    }
    for (const [detector, shared] of byDetector) {
      this.#matchers.push({
        pattern: new RegExp(detector.pattern.source, detector.pattern.flags),
        validate: detector.validate,
        maxLength: detector.maxLength,
        tail: detector.tail,
        rules: shared,
        reportedEnd: 0,
        nextScanFrom: 0,
      });
    }
  }

  get text(): string {
    return this.#text;
  }

  /** Whether there is anything to look for at all (no rules: every byte is settled at once). */
  get active(): boolean {
    return this.#anyKeywords || this.#matchers.length > 0;
  }

  /** Adds `delta` to the stream; `final` marks the end (nothing more will come). */
  push(delta: string, final = false): ScanResult {
    const from = this.#text.length;
    this.#text += delta;
    const text = this.#text;
    const hits: RuleHit[] = [];
    let settled = text.length;

    // Keywords: step each automaton over the new characters only.
    const waiting = this.#pendingKeywords.splice(0);
    if (this.#anyKeywords) this.policy.keywordIndexes.forEach((index, k) => {
      let state = this.#keywordStates[k];
      for (let i = from; i < text.length; i++) {
        state = index.automaton.step(state, text.charCodeAt(i));
        index.automaton.forEachMatch(state, (pattern, length) => {
          const entry = index.entries[pattern];
          if (this.#applicable[entry.rule] === 0) return;
          const start = i + 1 - length;
          if (entry.wholeWord && !this.#boundaryAt(start, true)) return;
          waiting.push({ hit: { rule: this.policy.rules[entry.rule], start, end: i + 1, text: text.slice(start, i + 1) }, wholeWord: entry.wholeWord });
        });
      }
      this.#keywordStates[k] = state;
      // The tail that could still grow into a keyword must not be released yet.
      settled = Math.min(settled, text.length - index.automaton.depth(state));
    });
    for (const candidate of waiting) {
      if (!candidate.wholeWord) hits.push(candidate.hit);
      else if (candidate.hit.end < text.length || final) {
        if (this.#boundaryAt(candidate.hit.end, false)) hits.push(candidate.hit);
      } else if (!WORD_CHAR.test(text[candidate.hit.end - 1]) || UNSPACED.test(text[candidate.hit.end - 1])) {
        hits.push(candidate.hit);
      } else {
        // Ends in a word character at the very end of the text: the next character decides.
        this.#pendingKeywords.push(candidate);
        settled = Math.min(settled, candidate.hit.start);
      }
    }

    // Regexes and detectors: re-scan only the new text plus the overlap a growing match could need.
    for (const matcher of this.#matchers) {
      matcher.pattern.lastIndex = Math.max(matcher.reportedEnd, Math.min(matcher.nextScanFrom, from), 0);
      let pendingStart = text.length;
      for (let m = matcher.pattern.exec(text); m; m = matcher.pattern.exec(text)) {
        if (m[0].length === 0) {
          matcher.pattern.lastIndex++;
          continue;
        }
        const end = m.index + m[0].length;
        if (end === text.length && !final) {
          // Touching the end: it may still grow (or turn out not to match), so hold it.
          pendingStart = m.index;
          break;
        }
        if (matcher.validate && !matcher.validate(m[0])) continue;
        matcher.reportedEnd = end;
        for (const rule of matcher.rules) hits.push({ rule, start: m.index, end, text: m[0] });
      }
      const tailStart = final ? text.length : Math.min(pendingStart, text.length - holdback(matcher, text));
      matcher.nextScanFrom = tailStart;
      settled = Math.min(settled, tailStart);
    }
    if (final) {
      settled = text.length;
      // A boundary (tool call, end of answer): no keyword continues across it.
      this.#keywordStates.fill(0);
    }
    hits.sort((a, b) => a.start - b.start || a.rule.index - b.rule.index);
    return { hits, settled: Math.max(0, settled) };
  }

  /** The end of the stream. */
  finish(): ScanResult {
    return this.push("", true);
  }

  /** Whether a whole-word match may begin (`start`) or end at `offset`. */
  #boundaryAt(offset: number, start: boolean): boolean {
    const inside = this.#text[start ? offset : offset - 1] ?? "";
    const outside = this.#text[start ? offset - 1 : offset] ?? "";
    if (!WORD_CHAR.test(inside) || UNSPACED.test(inside)) return true;
    return !WORD_CHAR.test(outside);
  }
}

function holdback(matcher: PatternMatcher, text: string): number {
  if (!matcher.tail) return Math.min(text.length, matcher.maxLength - 1);
  return Math.min(matcher.tail(text), matcher.maxLength);
}
