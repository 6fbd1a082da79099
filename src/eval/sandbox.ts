/**
 * Runs model-written JavaScript against unit tests, isolated twice over:
 *
 * - a `worker_threads` Worker with V8 heap limits, an empty environment and no inherited
 *   `execArgv` (so no loader hooks), terminated from outside when a wall-clock deadline passes;
 * - inside it, `node:vm` with a fresh context: only the language built-ins, no `require`,
 *   `process`, `fetch` or timers, string code generation and WebAssembly disabled, and a vm timeout
 *   that also covers microtask loops (`microtaskMode: "afterEvaluate"`).
 *
 * Only strings cross into and out of the context (the tests as a JSON literal, the verdict as a JSON
 * string), so no host object is reachable from the candidate code.
 */
import { Worker } from "node:worker_threads";
import type { CodeTest } from "./types.ts";

/** Limits of one sandboxed run. */
export interface SandboxOptions {
  /** Budget for the candidate's top-level code and for the tests, each (vm timeout). Default 2,000 ms. */
  timeoutMs?: number;
  /** Old-generation heap limit of the worker. Default 64 MB. */
  memoryMb?: number;
}

/** What the tests found. */
export interface SandboxResult {
  passed: number;
  total: number;
  /** A failure of the whole run: syntax error, no such function, timeout, out of memory. */
  error?: string;
  /** Up to three failing tests, for the report. */
  failures: string[];
}

// Plain JavaScript run with `eval: true`: a Worker cannot load TypeScript here (no loader in the
// worker under tsx or vitest), and this code needs nothing from the host module.
const WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require("node:worker_threads");
const vm = require("node:vm");
const { code, harness, timeoutMs } = workerData;
let verdict;
try {
  const context = vm.createContext(Object.create(null), {
    name: "candidate",
    codeGeneration: { strings: false, wasm: false },
    microtaskMode: "afterEvaluate",
  });
  vm.runInContext("globalThis.module = { exports: {} }; globalThis.exports = module.exports;", context);
  vm.runInContext(code, context, { filename: "candidate.js", timeout: timeoutMs });
  verdict = vm.runInContext(harness, context, { filename: "tests.js", timeout: timeoutMs });
} catch (error) {
  verdict = JSON.stringify({ error: String((error && error.message) || error) });
}
parentPort.postMessage(typeof verdict === "string" ? verdict : JSON.stringify({ error: "the tests returned no verdict" }));
`;

/** Builds the test harness run inside the context; `entry` is validated as an identifier. */
function buildHarness(entry: string, tests: CodeTest[]): string {
  return String.raw`(() => {
  const tests = ${JSON.stringify(tests)};
  let fn;
  try { fn = typeof ${entry} === "function" ? ${entry} : undefined; } catch (error) { fn = undefined; }
  if (!fn && module.exports) fn = typeof module.exports === "function" ? module.exports : module.exports[${JSON.stringify(entry)}];
  if (typeof fn !== "function") return JSON.stringify({ error: "no function named ${entry}" });
  const canon = (value) => {
    if (value === undefined) return "undefined";
    if (typeof value === "number" && !Number.isFinite(value)) return String(value);
    if (Array.isArray(value)) return "[" + value.map(canon).join(",") + "]";
    if (value && typeof value === "object") return "{" + Object.keys(value).sort().map((k) => JSON.stringify(k) + ":" + canon(value[k])).join(",") + "}";
    return JSON.stringify(value);
  };
  const results = tests.map((test) => {
    try {
      const got = canon(fn(...test.args));
      return { ok: got === canon(test.expected), got };
    } catch (error) {
      return { ok: false, got: "threw " + String((error && error.message) || error) };
    }
  });
  return JSON.stringify({ results });
})()`;
}

/** Removes ES module syntax the script context cannot run (`export function f` → `function f`). */
export function prepareCandidate(code: string): string {
  return code
    .replace(/^\s*export\s+default\s+(?=(?:async\s+)?function|class)/gm, "")
    .replace(/^\s*export\s+(?=(?:async\s+)?function|const|let|var|class)/gm, "")
    .replace(/^\s*export\s*\{[^}]*\};?\s*$/gm, "");
}

/**
 * Pulls the code out of an answer: the fenced block that defines `entry` (or the first fenced
 * block), else the whole answer.
 */
export function extractCode(answer: string, entry: string): string {
  const blocks = [...answer.matchAll(/```[a-zA-Z]*\s*\n([\s\S]*?)```/g)].map((m) => m[1]);
  return blocks.find((block) => block.includes(entry)) ?? blocks[0] ?? answer;
}

/**
 * Runs `code` and calls `entry` on each test's arguments in the sandbox.
 *
 * @throws never: every failure (syntax, timeout, memory) comes back as `error`.
 */
export async function runCodeTests(code: string, entry: string, tests: CodeTest[], options: SandboxOptions = {}): Promise<SandboxResult> {
  if (!/^[A-Za-z_$][\w$]*$/.test(entry)) return { passed: 0, total: tests.length, error: `invalid entry name ${entry}`, failures: [] };
  const timeoutMs = options.timeoutMs ?? 2000;
  const memoryMb = options.memoryMb ?? 64;
  const failAll = (error: string): SandboxResult => ({ passed: 0, total: tests.length, error, failures: [] });
  const raw = await new Promise<string>((resolve) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { code: prepareCandidate(code), harness: buildHarness(entry, tests), timeoutMs },
      env: {},
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: 16, codeRangeSizeMb: 16, stackSizeMb: 4 },
    });
    let settled = false;
    const settle = (value: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      void worker.terminate();
      resolve(value);
    };
    // Code + tests each get `timeoutMs` inside; the margin covers worker start-up on a busy machine.
    const deadline = setTimeout(() => settle(JSON.stringify({ error: `killed after ${2 * timeoutMs + 3000} ms` })), 2 * timeoutMs + 3000);
    worker.on("message", (message: unknown) => settle(String(message)));
    worker.on("error", (error: Error & { code?: string }) =>
      settle(JSON.stringify({ error: error.code === "ERR_WORKER_OUT_OF_MEMORY" ? `out of memory (${memoryMb} MB)` : error.message })),
    );
    worker.on("exit", (exitCode) => settle(JSON.stringify({ error: `worker exited with code ${exitCode}` })));
  });
  let verdict: { error?: string; results?: Array<{ ok: boolean; got: string }> };
  try {
    verdict = JSON.parse(raw) as typeof verdict;
  } catch {
    return failAll("unreadable verdict");
  }
  if (verdict.error !== undefined || !verdict.results) return failAll(verdict.error ?? "no results");
  const failures = verdict.results
    .map((result, index) => ({ result, test: tests[index] }))
    .filter(({ result }) => !result.ok)
    .slice(0, 3)
    .map(({ result, test }) => `${entry}(${test.args.map((arg) => JSON.stringify(arg)).join(", ")}) → ${result.got}, expected ${JSON.stringify(test.expected)}`);
  return { passed: verdict.results.filter((result) => result.ok).length, total: tests.length, failures };
}
