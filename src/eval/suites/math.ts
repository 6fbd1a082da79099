/**
 * `math`: multi-step arithmetic word problems generated from a seed. Each template picks numbers
 * that keep every intermediate result exact (whole cents, even halves), and computes the answer in
 * integers, so the expected value is certain and no item can have been memorised.
 */
import { itemRng, type Rng } from "../prng.ts";
import type { EvalItem, Suite } from "../types.ts";

interface Problem {
  template: string;
  text: string;
  answer: number;
}

const NAMES = ["Amara", "Bo", "Chen", "Dmitri", "Elif", "Farah", "Goran", "Hana", "Ines", "Jae-won", "Kofi", "Lucia", "Mateo", "Nadia", "Omar", "Priya"];
const ITEMS = [
  ["notebooks", "pens"],
  ["apples", "pears"],
  ["stamps", "envelopes"],
  ["cups", "plates"],
  ["tickets", "programmes"],
] as const;

/** Formats whole cents as dollars with two decimals. */
function dollars(cents: number): string {
  return (cents / 100).toFixed(2);
}

const TEMPLATES: Array<(rng: Rng) => Problem> = [
  (rng) => {
    const name = rng.pick(NAMES);
    const [first, second] = rng.pick(ITEMS);
    const a = rng.int(2, 9);
    const b = rng.int(2, 9);
    const p = rng.int(3, 40) * 25;
    const q = rng.int(2, 30) * 5;
    const cost = a * p + b * q;
    const bill = [2000, 5000, 10000, 20000].find((value) => value > cost) ?? Math.ceil((cost + 1) / 10000) * 10000;
    return {
      template: "change",
      text: `${name} buys ${a} ${first} at $${dollars(p)} each and ${b} ${second} at $${dollars(q)} each, and pays with $${dollars(bill)}. How much change, in dollars, does ${name} get?`,
      answer: (bill - cost) / 100,
    };
  },
  (rng) => {
    const perHour = rng.int(6, 30);
    const hours = rng.int(4, 10);
    const days = rng.int(3, 7);
    const price = rng.int(2, 6);
    const revenue = perHour * hours * days * price;
    const costs = rng.int(1, Math.floor(revenue / 100)) * 50;
    return {
      template: "profit",
      text: `A bakery makes ${perHour} loaves an hour for ${hours} hours a day, ${days} days a week, and sells every loaf for $${price}. Ingredients and rent cost $${costs} a week. What is the bakery's weekly profit in dollars?`,
      answer: revenue - costs,
    };
  },
  (rng) => {
    const s1 = rng.int(4, 12) * 10;
    const t1 = rng.int(1, 4);
    const s2 = rng.int(3, 9) * 10;
    const t2 = rng.int(1, 3);
    const extra = rng.int(5, 60);
    return {
      template: "distance",
      text: `A train runs at ${s1} km/h for ${t1} hours, then at ${s2} km/h for ${t2} hours, and finally covers ${extra} km more on a branch line. How many kilometres does it travel in total?`,
      answer: s1 * t1 + s2 * t2 + extra,
    };
  },
  (rng) => {
    const shipped = rng.int(20, 90);
    const factor = rng.int(2, 4);
    let start = rng.int(shipped + 10, 400);
    // The stock before Wednesday must be even so that "half" is a whole number of boxes.
    if ((start - shipped + factor * shipped) % 2 !== 0) start += 1;
    const beforeWednesday = start - shipped + factor * shipped;
    return {
      template: "inventory",
      text: `A warehouse holds ${start} boxes. On Monday it ships ${shipped} boxes. On Tuesday it receives ${factor} times as many boxes as it shipped on Monday. On Wednesday it ships half of all the boxes it then holds. How many boxes are left?`,
      answer: beforeWednesday / 2,
    };
  },
  (rng) => {
    const friends = rng.int(3, 8);
    const pizzas = rng.int(2, 6);
    const price = rng.int(9, 22);
    const share = rng.int(Math.ceil((pizzas * price * 100) / friends / 5) + 1, Math.ceil((pizzas * price * 100) / friends / 5) + 80) * 5;
    const fee = share * friends - pizzas * price * 100;
    return {
      template: "split",
      text: `${friends} friends order ${pizzas} pizzas at $${price} each, plus a delivery fee of $${dollars(fee)}. They split the total bill equally. How much, in dollars, does each friend pay?`,
      answer: share / 100,
    };
  },
  (rng) => {
    const price = rng.int(2, 25) * 20;
    const discount = rng.pick([10, 15, 20, 25, 30, 40, 50]);
    const tax = rng.pick([5, 8, 10, 12]);
    // price×(100−d) is a multiple of 100 cents, so the taxed price is exact in cents.
    const discountedCents = price * (100 - discount);
    const finalCents = (discountedCents * (100 + tax)) / 100;
    return {
      template: "discount",
      text: `A jacket costs $${price}. The shop takes ${discount}% off, and then a ${tax}% sales tax is added to the reduced price. What is the final price in dollars?`,
      answer: finalCents / 100,
    };
  },
  (rng) => {
    const name = rng.pick(NAMES);
    const weekly = rng.int(3, 20) * 4;
    const weeks = rng.int(3, 12) * 3;
    const fraction = rng.pick([
      [1, 2, "half"],
      [1, 3, "a third"],
      [1, 4, "a quarter"],
      [2, 3, "two thirds"],
    ] as const);
    const saved = weekly * weeks;
    const spent = (saved * fraction[0]) / fraction[1];
    const helmet = rng.int(1, Math.max(1, Math.floor((saved - spent) / 2)));
    return {
      template: "savings",
      text: `${name} saves $${weekly} every week for ${weeks} weeks, then spends ${fraction[2]} of the savings on a bicycle and $${helmet} on a helmet. How many dollars are left?`,
      answer: saved - spent - helmet,
    };
  },
  (rng) => {
    const length = rng.int(5, 30);
    const width = rng.int(4, 20);
    const path = rng.int(1, 3);
    return {
      template: "area",
      text: `A rectangular garden is ${length} m long and ${width} m wide. A path ${path} m wide is laid all around the outside of the garden. What is the area of the path in square metres?`,
      answer: (length + 2 * path) * (width + 2 * path) - length * width,
    };
  },
  (rng) => {
    const name = rng.pick(NAMES);
    const age = rng.int(4, 20) * 2;
    const older = rng.int(1, 9);
    const years = rng.int(2, 15);
    const sibling = age / 2 + older;
    return {
      template: "ages",
      text: `${name} is ${age} years old. ${name}'s cousin is ${older} years older than half of ${name}'s age. What will the sum of their ages be in ${years} years?`,
      answer: age + sibling + 2 * years,
    };
  },
];

const INSTRUCTION = "Solve the problem. Show your working briefly, then give the final answer as a number on the last line, written as 'Answer: <number>'.";

/** The `math` suite. */
export const mathSuite: Suite = {
  name: "math",
  description: "Generated multi-step arithmetic word problems with exact numeric answers",
  kind: "generated",
  defaultSize: 50,
  items(seed: number, limit: number): EvalItem[] {
    return Array.from({ length: limit }, (_, index) => {
      const rng = itemRng(seed, "math", index);
      // Cycle templates so any prefix of the suite covers them evenly.
      const problem = TEMPLATES[(index + (seed >>> 0)) % TEMPLATES.length](rng);
      return {
        id: `math-${String(index).padStart(4, "0")}`,
        prompt: `${problem.text}\n\n${INSTRUCTION}`,
        checker: { type: "number", value: problem.answer, tolerance: 1e-6 },
        tags: ["math", problem.template],
      };
    });
  },
};
