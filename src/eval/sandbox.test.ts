import { describe, expect, it } from "vitest";
import { extractCode, prepareCandidate, runCodeTests } from "./sandbox.ts";

const tests = [{ args: [2], expected: 4 }];
const fast = { timeoutMs: 300 };

describe("sandbox", () => {
  it("runs a correct solution and reports wrong results", async () => {
    expect(await runCodeTests("function double(x) { return x * 2; }", "double", tests, fast)).toEqual({ passed: 1, total: 1, failures: [] });
    const wrong = await runCodeTests("function double(x) { return x + 1; }", "double", [...tests, { args: [3], expected: 6 }], fast);
    expect(wrong.passed).toBe(0);
    expect(wrong.failures[0]).toBe("double(2) → 3, expected 4");
  });

  it("accepts const arrow functions, module.exports and ES exports", async () => {
    expect((await runCodeTests("const double = (x) => x * 2;", "double", tests, fast)).passed).toBe(1);
    expect((await runCodeTests("module.exports = { double: (x) => 2 * x };", "double", tests, fast)).passed).toBe(1);
    expect((await runCodeTests(prepareCandidate("export function double(x) { return x * 2; }"), "double", tests, fast)).passed).toBe(1);
  });

  it("compares objects regardless of key order", async () => {
    const result = await runCodeTests("function f() { return { b: 2, a: [1, { d: 4, c: 3 }] }; }", "f", [{ args: [], expected: { a: [1, { c: 3, d: 4 }], b: 2 } }], fast);
    expect(result.passed).toBe(1);
  });

  it("kills an infinite loop in the function", async () => {
    const started = Date.now();
    const result = await runCodeTests("function double(x) { while (true) {} }", "double", tests, fast);
    expect(result.passed).toBe(0);
    expect(result.error).toMatch(/timed out/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("kills an infinite loop at the top level and a microtask loop", async () => {
    expect((await runCodeTests("for (;;) {}", "double", tests, fast)).error).toMatch(/timed out/);
    const micro = await runCodeTests("function double() { const spin = () => Promise.resolve().then(spin); spin(); return 4; }", "double", tests, fast);
    expect(micro.passed).toBe(0);
    expect(micro.error).toMatch(/timed out/);
  });

  it("interrupts a thread blocked in Atomics.wait", async () => {
    const code = "function double() { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); return 4; }";
    const result = await runCodeTests(code, "double", tests, { timeoutMs: 200 });
    expect(result.passed).toBe(0);
    expect(result.error).toBeDefined();
  });

  it("stops a memory bomb", async () => {
    const code = "function double() { const hog = []; for (;;) hog.push(new Array(1e5).fill(1.5)); }";
    const result = await runCodeTests(code, "double", tests, { timeoutMs: 5000, memoryMb: 32 });
    expect(result.passed).toBe(0);
    expect(result.error).toMatch(/out of memory|timed out|exited/);
  });

  it("blocks require('fs'), process, fetch and constructor escapes", async () => {
    const probes: Record<string, string> = {
      require: "function f() { return require('fs').readFileSync('/etc/passwd', 'utf8'); }",
      process: "function f() { return process.env.HOME; }",
      fetch: "function f() { return fetch('http://example.com'); }",
      escape: "function f() { return this.constructor.constructor('return process')().env; }",
      functionCtor: "function f() { return Function('return process')(); }",
      importFs: "async function f() { return (await import('node:fs')).readFileSync('/etc/passwd', 'utf8'); }",
    };
    for (const [name, code] of Object.entries(probes)) {
      const result = await runCodeTests(code, "f", [{ args: [], expected: "unreachable" }], fast);
      expect(result.passed, name).toBe(0);
      const why = result.error ?? result.failures[0];
      expect(why, name).toMatch(/not defined|disallowed|threw|import|→/);
      expect(why, name).not.toContain("root:");
    }
    // What is visible at all: only language built-ins.
    const seen = await runCodeTests(
      "function f() { return [typeof require, typeof process, typeof fetch, typeof setTimeout, typeof Buffer].join(); }",
      "f",
      [{ args: [], expected: "undefined,undefined,undefined,undefined,undefined" }],
      fast,
    );
    expect(seen.passed).toBe(1);
  });

  it("reports syntax errors and a missing function", async () => {
    expect((await runCodeTests("function double(x { return x }", "double", tests, fast)).error).toBeDefined();
    expect((await runCodeTests("function other() {}", "double", tests, fast)).error).toBe("no function named double");
    expect((await runCodeTests("x", "not valid!", tests, fast)).error).toMatch(/invalid entry/);
  });
});

describe("extractCode", () => {
  it("picks the fenced block that defines the entry", () => {
    const answer = "Example:\n```js\nconsole.log(f(1))\n```\nSolution:\n```javascript\nfunction f(x) { return x; }\n```";
    expect(extractCode(answer, "function f")).toContain("function f(x)");
    expect(extractCode("function f() {}", "f")).toBe("function f() {}");
  });
});
