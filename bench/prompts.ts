/**
 * Benchmark prompts: random common English words from a seeded generator, so runs are repeatable
 * and prompts of different requests share no accidental prefix. Most of these words are one token
 * (with their leading space) in Llama and Qwen vocabularies, so N words is roughly N tokens; the
 * bench calibrates the ratio from the server's usage and reports the real count.
 */

const WORDS = `time year people way day man thing woman life child world school state family student group
country problem hand part place case week company system program question work government number night point
home water room mother area money story fact month lot right study book eye job word business issue side kind
head house service friend father power hour game line end member law car city community name president team
minute idea kid body information back parent face others level office door health person art war history party
result change morning reason research girl guy moment air teacher force education foot boy age policy music
market sense nation plan college interest death experience effect class control care field development role
effort rate heart drug show leader light voice wife police mind price report decision son view relationship
town road arm difference value building action model season society tax director position player record paper
space ground form event official matter center couple site project activity star table need court oil
situation cost industry figure street image phone data picture practice piece land product doctor wall patient
worker news test movie north love support technology step baby computer type attention film tree source
organization hair window evidence population truth song river garden bank stone cloud summer winter apple
bread chair green blue yellow quiet simple early late small large happy strong young open short long clear
run walk read write speak think bring begin keep hold stand turn start show hear play move live believe happen
carry learn follow stop create watch build stay fall send grow offer remember love consider appear buy wait
serve die spend cut reach kill remain suggest raise pass sell require report decide pull`.split(/\s+/);

/** mulberry32: a tiny, fast, seeded PRNG with good enough spread for picking words. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` random words joined by spaces. */
export function randomWords(random: () => number, count: number): string {
  const words: string[] = [];
  for (let i = 0; i < count; i++) words.push(WORDS[Math.floor(random() * WORDS.length)]);
  return words.join(" ");
}

/**
 * Prompts that share their first `sharedFraction` of words with each other (and with every other
 * call given the same `sharedPrefix`), the rest random per prompt.
 */
export class PromptFactory {
  readonly sharedWords: number;
  readonly #shared: string;
  readonly #random: () => number;

  constructor(
    readonly words: number,
    readonly sharedFraction: number,
    seed: number,
  ) {
    const sharedWords = Math.round(words * sharedFraction);
    // The shared part has its own generator, so it is the same whatever the rest draws.
    this.#shared = randomWords(seededRandom(seed ^ 0x5eed), sharedWords);
    this.#random = seededRandom(seed);
    this.sharedWords = sharedWords;
  }

  next(): string {
    const own = randomWords(this.#random, this.words - this.sharedWords);
    return [this.#shared, own].filter((part) => part.length > 0).join(" ");
  }
}

export const SHORT_QUESTIONS = [
  "Summarize the text above in one sentence.",
  "Which word appears most often above?",
  "List three nouns from the text above.",
  "Write a title for the text above.",
  "What is the last word of the text above?",
  "Translate the first line above into French.",
];
