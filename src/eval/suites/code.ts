/**
 * `code`: small JavaScript functions checked by unit tests in the sandbox. Items come in a seeded
 * order; each item's tests are its task's edge cases plus five random inputs from the item's seed.
 */
import { createRng, hashSeed, itemRng } from "../prng.ts";
import type { CodeTest, EvalItem, Suite } from "../types.ts";
import { CODE_TASKS } from "./code-tasks.ts";

const RANDOM_TESTS = 5;

/** The `code` suite. */
export const codeSuite: Suite = {
  name: "code",
  description: "Small JavaScript functions checked by unit tests in an isolated worker",
  kind: "generated",
  defaultSize: CODE_TASKS.length,
  items(seed: number, limit: number): EvalItem[] {
    const order = createRng(hashSeed(seed, "code-order")).shuffle(CODE_TASKS);
    return order.slice(0, limit).map((task) => {
      const rng = itemRng(seed, "code", CODE_TASKS.indexOf(task));
      const call = (args: unknown[]): CodeTest => ({
        args,
        // Copies: a reference that sorted its input in place must not change the stored arguments.
        expected: (task.reference as (...a: unknown[]) => unknown)(...(structuredClone(args) as unknown[])),
      });
      const tests = [...task.fixed.map(call), ...Array.from({ length: RANDOM_TESTS }, () => call(task.random(rng)))];
      const example = tests[0];
      const prompt = [
        `Write a JavaScript function \`${task.signature}\` that ${task.description}.`,
        `For example, ${task.entry}(${example.args.map((arg) => JSON.stringify(arg)).join(", ")}) returns ${JSON.stringify(example.expected)}.`,
        "Reply with the complete function in one ```javascript code block. Plain JavaScript only: no require, import, I/O or network access.",
      ].join("\n");
      return {
        id: `code-${task.id}`,
        prompt,
        checker: { type: "code", entry: task.entry, tests },
        tags: ["code", task.id],
      };
    });
  },
};
