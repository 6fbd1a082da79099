/** Runs the PII detectors over a text and resolves overlaps, so each character belongs to at most one finding. */
import { PII_DETECTORS, PII_KINDS, PII_PRIORITY, type PiiDetector, type PiiKind } from "./detectors.ts";

export interface PiiMatch {
  kind: PiiKind;
  start: number;
  /** Exclusive. */
  end: number;
  value: string;
}

/** Validated matches of one detector in `text[from..]`; lookbehinds still see the text before `from`. */
export function detectorMatches(detector: PiiDetector, text: string, from = 0): PiiMatch[] {
  const matches: PiiMatch[] = [];
  // A fresh RegExp per call: the shared ones are global and `lastIndex` is state.
  const pattern = new RegExp(detector.pattern.source, detector.pattern.flags);
  pattern.lastIndex = from;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    if (m[0].length === 0) {
      pattern.lastIndex++;
      continue;
    }
    if (!detector.validate || detector.validate(m[0])) matches.push({ kind: detector.kind, start: m.index, end: m.index + m[0].length, value: m[0] });
  }
  return matches;
}

/**
 * Every finding of the given kinds, sorted by position, without overlaps: where two overlap the
 * one whose kind comes first in {@link PII_PRIORITY} wins (a card number is not also a phone).
 */
export function findPii(text: string, kinds: readonly PiiKind[] = PII_KINDS, from = 0): PiiMatch[] {
  const all: PiiMatch[] = [];
  for (const kind of PII_PRIORITY) if (kinds.includes(kind)) all.push(...detectorMatches(PII_DETECTORS[kind], text, from));
  return resolveOverlaps(all, (m) => PII_PRIORITY.indexOf(m.kind));
}

/** Keeps, greedily by rank (then earlier, then longer), the matches that overlap nothing kept before. */
export function resolveOverlaps<T extends { start: number; end: number }>(matches: T[], rank: (match: T) => number): T[] {
  const ordered = [...matches].sort((a, b) => rank(a) - rank(b) || a.start - b.start || b.end - a.end);
  const kept: T[] = [];
  for (const match of ordered) {
    if (kept.every((k) => match.end <= k.start || match.start >= k.end)) kept.push(match);
  }
  return kept.sort((a, b) => a.start - b.start);
}
