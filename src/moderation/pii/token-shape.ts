/**
 * Telling a random secret from a long identifier. Entropy alone does not: `MyVeryLongClassName1`
 * has as many distinct characters as a random token. But identifiers are made of words, and
 * words are made of common letter pairs ("th", "er", "on"…); random tokens hit those pairs only
 * as often as chance (about one pair in eight).
 */

/** The most frequent English letter pairs (bigrams), which also dominate English-based identifiers. */
const COMMON_BIGRAMS = new Set(
  (
    "th he in er an re on at en nd ti es or te of ed is it al ar st to nt ng se ha as ou io le ve co me de hi ri ro ic ne ea ra ce li ch ll " +
    "be ma si om ur ac ss la ge el ta ca ct pe ns ie us ai un il ol tr ut fo ts id no ia ot ly ad mo am em pr wi ir et ow rs di ag op " +
    "ec ly ap ul po lo ad pa ex im so ho ue ni ry na we ke ev ey fi ga bl ab ck sh oo ee ie ab ig ei da sa ce mi ol nc rt rd ld ue"
  ).split(" "),
);

/** Shannon entropy of `text` in bits per character. */
export function shannonEntropy(text: string): number {
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** Share of adjacent letter pairs (case folded) that are common English bigrams; 0 when there are none. */
export function wordLikeness(text: string): number {
  const lower = text.toLowerCase();
  let pairs = 0;
  let common = 0;
  for (let i = 1; i < lower.length; i++) {
    const a = lower.charCodeAt(i - 1);
    const b = lower.charCodeAt(i);
    if (a < 97 || a > 122 || b < 97 || b > 122) continue;
    pairs++;
    if (COMMON_BIGRAMS.has(lower[i - 1] + lower[i])) common++;
  }
  return pairs === 0 ? 0 : common / pairs;
}
