/**
 * Seeded randomness for generated items. Every item draws from its own generator, seeded from the
 * run seed, the suite name and the item's index, so item 7 is the same whether 10 or 1,000 items are
 * asked, and `--seed` alone decides every question.
 */

/** A deterministic random source. */
export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max] (inclusive). */
  int(min: number, max: number): number;
  /** One element of a non-empty array. */
  pick<T>(values: readonly T[]): T;
  /** A shuffled copy. */
  shuffle<T>(values: readonly T[]): T[];
  /** `count` distinct elements, in random order. */
  sample<T>(values: readonly T[], count: number): T[];
}

/** 32-bit FNV-1a over the parts, so any strings and numbers can seed a generator. */
export function hashSeed(...parts: Array<string | number>): number {
  let hash = 0x811c9dc5;
  for (const part of parts) {
    const text = `${String(part)}\u0000`;
    for (let i = 0; i < text.length; i++) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
  }
  return hash >>> 0;
}

/** mulberry32: tiny, fast and well distributed enough for picking questions. */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const shuffle = <T>(values: readonly T[]): T[] => {
    const copy = [...values];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = int(0, i);
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy;
  };
  return {
    next,
    int,
    pick: (values) => {
      if (values.length === 0) throw new Error("pick from an empty list");
      return values[int(0, values.length - 1)];
    },
    shuffle,
    sample: (values, count) => shuffle(values).slice(0, count),
  };
}

/** The generator of one item: independent of how many items are asked. */
export function itemRng(seed: number, suite: string, index: number): Rng {
  return createRng(hashSeed(seed, suite, index));
}
