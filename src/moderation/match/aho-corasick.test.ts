import { describe, expect, it } from "vitest";
import { AhoCorasick } from "./aho-corasick.ts";

/** Every occurrence by brute force, as the reference. */
function naive(patterns: string[], text: string, caseInsensitive: boolean) {
  const fold = (s: string) => (caseInsensitive ? s.toLowerCase() : s);
  const out: Array<{ pattern: number; start: number; end: number }> = [];
  for (let end = 1; end <= text.length; end++) {
    patterns.forEach((p, pattern) => {
      if (p && end >= p.length && fold(text.slice(end - p.length, end)) === fold(p)) out.push({ pattern, start: end - p.length, end });
    });
  }
  return out;
}

const sort = (m: Array<{ pattern: number; start: number; end: number }>) =>
  [...m].sort((a, b) => a.end - b.end || a.pattern - b.pattern);

describe("AhoCorasick", () => {
  it("finds overlapping and nested keywords (the classic he/she/his/hers case)", () => {
    const ac = new AhoCorasick(["he", "she", "his", "hers"]);
    expect(ac.findAll("ushers").map((m) => [m.pattern, m.start, m.end])).toEqual([
      [1, 1, 4],
      [0, 2, 4],
      [3, 2, 6],
    ]);
  });

  it("agrees with brute force on random texts, both case modes", () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const alphabet = "abAB c";
    const word = (len: number) => Array.from({ length: len }, () => alphabet[rand(alphabet.length)]).join("");
    for (let round = 0; round < 50; round++) {
      const patterns = Array.from({ length: 1 + rand(8) }, () => word(1 + rand(4)));
      const text = word(60);
      for (const caseInsensitive of [true, false]) {
        expect(sort(new AhoCorasick(patterns, { caseInsensitive }).findAll(text))).toEqual(sort(naive(patterns, text, caseInsensitive)));
      }
    }
  });

  it("reports the depth of a partial keyword at the end (what a stream must hold back)", () => {
    const ac = new AhoCorasick(["forbidden"]);
    let state = 0;
    for (const char of "this is forbid") state = ac.step(state, char.charCodeAt(0));
    expect(ac.depth(state)).toBe("forbid".length);
    for (const char of "dance") state = ac.step(state, char.charCodeAt(0));
    expect(ac.depth(state)).toBe(0);
  });

  it("matches Hangul and Han keywords and ignores empty ones", () => {
    const ac = new AhoCorasick(["", "폭탄", "炸弹"]);
    expect(ac.findAll("폭탄 제조와 炸弹").map((m) => m.pattern)).toEqual([1, 2]);
    expect(ac.maxLength).toBe(2);
  });

  it("builds 1,000 keywords quickly and stays compact", () => {
    const words = Array.from({ length: 1000 }, (_, i) => `keyword${i.toString(36)}x`);
    const ac = new AhoCorasick(words);
    expect(ac.findAll("say keywordrrx and keyword0x").map((m) => words[m.pattern])).toEqual(["keywordrrx", "keyword0x"]);
    expect(ac.stateCount).toBeLessThan(10_000);
  });
});
