/**
 * The function tasks of the `code` suite, written for this project. Each has a reference
 * implementation and an input generator: the tests of an item are fixed edge cases plus random
 * inputs drawn from the item's seed, with expected values computed by the reference, so the tests
 * are always right and differ from seed to seed.
 */
import type { Rng } from "../prng.ts";

/** One task: what the model is asked to write, and how to test it. */
export interface CodeTask {
  id: string;
  entry: string;
  /** The call signature shown in the prompt, e.g. `sumDigits(n)`. */
  signature: string;
  /** What the function does, finishing the sentence "Write a function … that …". */
  description: string;
  reference: (...args: never[]) => unknown;
  /** Edge cases always tested (the first is shown as the example). */
  fixed: unknown[][];
  /** Random argument lists. */
  random: (rng: Rng) => unknown[];
}

const letters = (rng: Rng, length: number, alphabet = "abcdefghijklmnopqrstuvwxyz") =>
  Array.from({ length }, () => alphabet[rng.int(0, alphabet.length - 1)]).join("");
const intArray = (rng: Rng, length: number, min: number, max: number) => Array.from({ length }, () => rng.int(min, max));

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** Every task of the `code` suite. */
export const CODE_TASKS: CodeTask[] = [
  {
    id: "sum-digits",
    entry: "sumDigits",
    signature: "sumDigits(n)",
    description: "returns the sum of the decimal digits of the integer n (ignore a minus sign)",
    reference: (n: number) => [...String(Math.abs(n))].reduce((sum, d) => sum + Number(d), 0),
    fixed: [[1234], [0], [-907]],
    random: (rng) => [rng.int(-1_000_000, 1_000_000)],
  },
  {
    id: "palindrome",
    entry: "isPalindrome",
    signature: "isPalindrome(s)",
    description: "returns true if the string s reads the same backwards, ignoring case and every character that is not a letter or digit",
    reference: (s: string) => {
      const clean = s.toLowerCase().replace(/[^a-z0-9]/g, "");
      return clean === [...clean].reverse().join("");
    },
    fixed: [["A man, a plan, a canal: Panama"], [""], ["ab"]],
    random: (rng) => {
      const half = letters(rng, rng.int(1, 6), "abc");
      return [rng.next() < 0.5 ? half + [...half].reverse().join("") : half + "x" + half];
    },
  },
  {
    id: "fizzbuzz",
    entry: "fizzBuzz",
    signature: "fizzBuzz(n)",
    description: 'returns an array of the strings for 1..n, where multiples of 3 are "Fizz", multiples of 5 are "Buzz", multiples of both are "FizzBuzz", and other numbers are their decimal string',
    reference: (n: number) =>
      Array.from({ length: n }, (_, i) => ((i + 1) % 15 === 0 ? "FizzBuzz" : (i + 1) % 3 === 0 ? "Fizz" : (i + 1) % 5 === 0 ? "Buzz" : String(i + 1))),
    fixed: [[5], [0], [15]],
    random: (rng) => [rng.int(1, 40)],
  },
  {
    id: "reverse-words",
    entry: "reverseWords",
    signature: "reverseWords(s)",
    description: "returns the words of s (separated by one or more spaces) in reverse order, joined by single spaces, with no leading or trailing space",
    reference: (s: string) => s.split(/ +/).filter(Boolean).reverse().join(" "),
    fixed: [["the quick brown fox"], ["  hello   world  "], [""]],
    random: (rng) => [Array.from({ length: rng.int(1, 6) }, () => letters(rng, rng.int(1, 5))).join(" ".repeat(rng.int(1, 3)))],
  },
  {
    id: "gcd",
    entry: "gcd",
    signature: "gcd(a, b)",
    description: "returns the greatest common divisor of two non-negative integers (gcd(0, 0) is 0)",
    reference: gcd,
    fixed: [[12, 18], [0, 0], [7, 0]],
    random: (rng) => {
      const k = rng.int(1, 50);
      return [k * rng.int(0, 200), k * rng.int(1, 200)];
    },
  },
  {
    id: "run-length",
    entry: "runLength",
    signature: "runLength(s)",
    description: 'returns the run-length encoding of s: each run of a repeated character becomes the count followed by the character, e.g. "aaab" becomes "3a1b"',
    reference: (s: string) => (s.match(/(.)\1*/g) ?? []).map((run) => `${run.length}${run[0]}`).join(""),
    fixed: [["aaab"], [""], ["abc"]],
    random: (rng) => [Array.from({ length: rng.int(1, 5) }, () => letters(rng, 1, "xyz").repeat(rng.int(1, 4))).join("")],
  },
  {
    id: "roman",
    entry: "toRoman",
    signature: "toRoman(n)",
    description: "converts an integer from 1 to 3999 to Roman numerals (subtractive notation, e.g. 4 is IV and 1994 is MCMXCIV)",
    reference: (n: number) => {
      const table: Array<[number, string]> = [[1000, "M"], [900, "CM"], [500, "D"], [400, "CD"], [100, "C"], [90, "XC"], [50, "L"], [40, "XL"], [10, "X"], [9, "IX"], [5, "V"], [4, "IV"], [1, "I"]];
      let out = "";
      for (const [value, symbol] of table) while (n >= value) { out += symbol; n -= value; }
      return out;
    },
    fixed: [[1994], [4], [3999]],
    random: (rng) => [rng.int(1, 3999)],
  },
  {
    id: "primes",
    entry: "primesBelow",
    signature: "primesBelow(n)",
    description: "returns an array of all prime numbers smaller than n, in increasing order",
    reference: (n: number) => Array.from({ length: Math.max(0, n) }, (_, i) => i).filter((i) => i > 1 && Array.from({ length: Math.floor(Math.sqrt(i)) - 1 }, (_, k) => k + 2).every((d) => i % d !== 0)),
    fixed: [[10], [2], [0]],
    random: (rng) => [rng.int(3, 120)],
  },
  {
    id: "max-subarray",
    entry: "maxSubarraySum",
    signature: "maxSubarraySum(nums)",
    description: "returns the largest sum of a non-empty contiguous subarray of the non-empty integer array nums",
    reference: (nums: number[]) => {
      let best = nums[0];
      let current = 0;
      for (const x of nums) { current = Math.max(x, current + x); best = Math.max(best, current); }
      return best;
    },
    fixed: [[[-2, 1, -3, 4, -1, 2, 1, -5, 4]], [[-3, -1, -2]], [[5]]],
    random: (rng) => [intArray(rng, rng.int(1, 12), -20, 20)],
  },
  {
    id: "chunk",
    entry: "chunk",
    signature: "chunk(items, size)",
    description: "splits the array items into consecutive arrays of length size (the last may be shorter) and returns the array of those arrays",
    reference: (items: unknown[], size: number) => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, i * size + size)),
    fixed: [[[1, 2, 3, 4, 5], 2], [[], 3], [[1, 2], 5]],
    random: (rng) => [intArray(rng, rng.int(0, 12), 0, 99), rng.int(1, 5)],
  },
  {
    id: "anagram",
    entry: "isAnagram",
    signature: "isAnagram(a, b)",
    description: "returns true if the strings a and b contain exactly the same letters the same number of times, ignoring case and spaces",
    reference: (a: string, b: string) => {
      const norm = (s: string) => [...s.toLowerCase().replace(/ /g, "")].sort().join("");
      return norm(a) === norm(b);
    },
    fixed: [["Dormitory", "dirty room"], ["abc", "abd"], ["", ""]],
    random: (rng) => {
      const word = letters(rng, rng.int(2, 8), "abcde");
      const shuffled = rng.shuffle([...word]).join("");
      return [word, rng.next() < 0.5 ? shuffled : shuffled.slice(1) + "e"];
    },
  },
  {
    id: "snake-case",
    entry: "toSnakeCase",
    signature: "toSnakeCase(s)",
    description: 'converts a camelCase identifier to snake_case, e.g. "parseHttpResponse" becomes "parse_http_response" (the input has only ASCII letters and starts with a lowercase letter)',
    reference: (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
    fixed: [["parseHttpResponse"], ["x"], ["aBC"]],
    random: (rng) => [letters(rng, rng.int(1, 4)) + Array.from({ length: rng.int(0, 3) }, () => letters(rng, 1).toUpperCase() + letters(rng, rng.int(0, 4))).join("")],
  },
  {
    id: "brackets",
    entry: "isBalanced",
    signature: "isBalanced(s)",
    description: "returns true if every bracket in s — (), [] and {} — is closed in the right order (other characters are ignored)",
    reference: (s: string) => {
      const stack: string[] = [];
      const pairs: Record<string, string> = { ")": "(", "]": "[", "}": "{" };
      for (const c of s) {
        if ("([{".includes(c)) stack.push(c);
        else if (c in pairs && stack.pop() !== pairs[c]) return false;
      }
      return stack.length === 0;
    },
    fixed: [["{[()()]}"], ["([)]"], [""]],
    random: (rng) => [letters(rng, rng.int(1, 10), "()[]{}a")],
  },
  {
    id: "second-largest",
    entry: "secondLargest",
    signature: "secondLargest(nums)",
    description: "returns the second largest distinct value in the integer array nums, or null if there is none",
    reference: (nums: number[]) => {
      const distinct = [...new Set(nums)].sort((a, b) => b - a);
      return distinct.length > 1 ? distinct[1] : null;
    },
    fixed: [[[3, 1, 4, 4]], [[7, 7]], [[]]],
    random: (rng) => [intArray(rng, rng.int(0, 8), -10, 10)],
  },
  {
    id: "word-count",
    entry: "wordFrequencies",
    signature: "wordFrequencies(text)",
    description: "returns an object mapping each lowercase word of text (words are runs of the letters a-z, case-insensitive) to the number of times it occurs",
    reference: (text: string) => {
      const counts: Record<string, number> = {};
      for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) counts[word] = (counts[word] ?? 0) + 1;
      return counts;
    },
    fixed: [["The cat and the hat."], [""], ["a A a"]],
    random: (rng) => [Array.from({ length: rng.int(1, 8) }, () => rng.pick(["red", "Blue", "green", "RED", "blue"])).join(rng.pick([" ", ", ", "; "]))],
  },
  {
    id: "binary",
    entry: "toBinary",
    signature: "toBinary(n)",
    description: 'returns the binary representation of the non-negative integer n as a string without leading zeros ("0" for 0)',
    reference: (n: number) => n.toString(2),
    fixed: [[10], [0], [1]],
    random: (rng) => [rng.int(0, 100_000)],
  },
];
