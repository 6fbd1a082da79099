/**
 * Length of the longest suffix of `text` that is a proper prefix of one of `needles`. Streaming
 * parsers hold that many characters back, since the next chunk may complete a tag or stop string.
 */
export function partialSuffixLength(text: string, needles: readonly string[]): number {
  let best = 0;
  for (const needle of needles) {
    const max = Math.min(needle.length - 1, text.length);
    for (let len = max; len > best; len--) {
      if (text.endsWith(needle.slice(0, len))) {
        best = len;
        break;
      }
    }
  }
  return best;
}
