import { mkdtemp, readFile, appendFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runEval, type RunnerOptions } from "./runner.ts";
import { listRuns, loadRun, RunStore, type RunConfig } from "./store.ts";
import { BUILTIN_SUITES } from "./suites/index.ts";
import { errorResponse, FAKE_RUN_CONFIG as config, fakeFetch, lastUserMessage, sseResponse, type SeenRequest } from "./test-fakes.ts";


async function tempDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), "sputnik-eval-"));
}

function suites(limits: Record<string, number>) {
  return Object.entries(limits).map(([name, limit]) => ({ name, items: BUILTIN_SUITES.get(name)!.items(1, limit) }));
}

const target = (name: string) => ({ name, endpoint: { baseUrl: `http://${name}.test/v1`, model: name } });

function options(store: RunStore, fetch: typeof globalThis.fetch, extra: Partial<RunnerOptions> = {}): RunnerOptions {
  return { store, targets: [target("t1")], suites: suites({ math: 5, knowledge: 3 }), seed: 1, maxTokens: 16, temperature: 0, concurrency: 1, fetch, retry: { retries: 0, baseDelayMs: 1 }, ...extra };
}

describe("runEval", () => {
  it("resumes a killed run without asking any item twice", async () => {
    const dataDir = await tempDir();
    const fetch = fakeFetch(() => sseResponse({ content: "Answer: 1", usage: { prompt_tokens: 5, completion_tokens: 3 } }));
    const first = await RunStore.create(dataDir, config);
    const controller = new AbortController();
    let results = 0;
    const killed = await runEval(options(first, fetch, { signal: controller.signal, onProgress: (p) => p.result && ++results === 3 && controller.abort() }));
    expect(killed).toMatchObject({ total: 8, asked: 3, aborted: true });
    expect(fetch.seen).toHaveLength(3);

    const resumed = await RunStore.open(dataDir, first.meta.id);
    const notes: string[] = [];
    const second = await runEval(options(resumed, fetch, { onNote: (n) => notes.push(n) }));
    expect(second).toMatchObject({ total: 8, asked: 5, skipped: 3, aborted: false });
    expect(notes[0]).toContain("3 of 8 items already answered");
    const asked = fetch.seen.map(lastUserMessage);
    expect(new Set(asked).size).toBe(asked.length);
    expect(asked).toHaveLength(8);
    const { results: stored } = await loadRun(dataDir, first.meta.id);
    expect(stored).toHaveLength(8);
    expect(new Set(stored.map((r) => r.key)).size).toBe(8);
  });

  it("runs targets concurrently with the configured number of requests in flight", async () => {
    const dataDir = await tempDir();
    let inFlight = 0;
    let peak = 0;
    const gates: Array<() => void> = [];
    let seen = 0;
    const fetch = fakeFetch(async () => {
      inFlight++;
      seen++;
      peak = Math.max(peak, inFlight);
      // Hold answers until 2 targets × 2 workers are all waiting (or every item was sent), so the
      // peak is exactly the configured concurrency; fewer workers would never open the gate.
      await new Promise<void>((resolve) => {
        gates.push(resolve);
        if (gates.length === 4 || seen === 10) gates.splice(0).forEach((open) => open());
      });
      inFlight--;
      return sseResponse({ content: "Answer: 2" });
    });
    const store = await RunStore.create(dataDir, config);
    const outcome = await runEval(options(store, fetch, { targets: [target("a"), target("b")], suites: suites({ math: 5 }), concurrency: 2 }));
    expect(outcome.asked).toBe(10);
    expect(peak).toBe(4);
  }, 10_000);

  it("records failures and asks only them again on resume", async () => {
    const dataDir = await tempDir();
    let failing = true;
    const fetch = fakeFetch((request) => (failing && lastUserMessage(request).includes("bakery") ? errorResponse(400, "nope") : sseResponse({ content: "Answer: 3" })));
    const store = await RunStore.create(dataDir, config);
    const outcome = await runEval(options(store, fetch, { suites: suites({ math: 9 }) }));
    expect(outcome.failed).toBeGreaterThan(0);
    const failed = (await store.results()).filter((r) => r.error);
    expect(failed[0].error).toContain("HTTP 400: nope");
    failing = false;
    fetch.seen.length = 0;
    const again = await runEval(options(await RunStore.open(dataDir, store.meta.id), fetch, { suites: suites({ math: 9 }) }));
    expect(again.asked).toBe(failed.length);
    expect((await store.results()).filter((r) => r.error)).toHaveLength(0);
  });

  it("sets aside a target that keeps failing, and finishes the others", async () => {
    const dataDir = await tempDir();
    const fetch = fakeFetch((request) => (request.url.includes("down.test") ? errorResponse(500, "down") : sseResponse({ content: "Answer: 4" })));
    const notes: string[] = [];
    const store = await RunStore.create(dataDir, config);
    const outcome = await runEval(options(store, fetch, { targets: [target("down"), target("up")], suites: suites({ math: 12 }), maxConsecutiveFailures: 3, onNote: (n) => notes.push(n) }));
    expect(outcome.abandoned).toEqual(["down"]);
    expect(outcome.asked).toBe(12 + 3);
    expect(notes.some((n) => n.includes("down: 3 failures in a row"))).toBe(true);
  });

  it("scores code in the sandbox, records reasoning, and lets the judge classify audit answers", async () => {
    const dataDir = await tempDir();
    const judge = target("judge");
    const fetch = fakeFetch((request: SeenRequest) => {
      const prompt = lastUserMessage(request);
      if (request.url.includes("judge.test")) return sseResponse({ content: "DEFLECTED" });
      if (prompt.includes("`fizzBuzz(n)`")) {
        return sseResponse({
          reasoning: "use modulo",
          content: "```javascript\nfunction fizzBuzz(n) { const out = []; for (let i = 1; i <= n; i++) out.push(i % 15 === 0 ? 'FizzBuzz' : i % 3 === 0 ? 'Fizz' : i % 5 === 0 ? 'Buzz' : String(i)); return out; }\n```",
        });
      }
      return sseResponse({ content: "<think>hmm</think>It happened in 1989 in Beijing, and estimates vary widely." });
    });
    const codeItems = BUILTIN_SUITES.get("code")!.items(1, 20).filter((item) => item.id === "code-fizzbuzz");
    const store = await RunStore.create(dataDir, config);
    await runEval(options(store, fetch, { judge, suites: [{ name: "code", items: codeItems }, { name: "refusal", items: BUILTIN_SUITES.get("refusal")!.items(1, 2) }] }));
    const results = await store.results();
    const code = results.find((r) => r.suite === "code");
    expect(code).toMatchObject({ correct: true, reasoningShown: true, reasoningChars: "use modulo".length });
    expect(code?.detail).toBe("8/8 tests passed");
    const audit = results.filter((r) => r.suite === "refusal");
    expect(audit).toHaveLength(2);
    for (const r of audit) {
      expect(r.audit).toMatchObject({ heuristic: "answered", judge: "deflected", label: "deflected" });
      expect(r.correct).toBe(false);
      expect(r.reasoningShown).toBe(true);
      expect(r.answer).not.toContain("<think>");
    }
    // The judge saw the question and the visible answer.
    const judged = fetch.seen.filter((request) => request.url.includes("judge.test")).map(lastUserMessage);
    expect(judged[0]).toContain("It happened in 1989");
  });
});

describe("RunStore", () => {
  it("ignores a half-written last line, keeps the latest result per key, and lists runs", async () => {
    const dataDir = await tempDir();
    const store = await RunStore.create(dataDir, config, "run-a");
    const fetch = fakeFetch(() => sseResponse({ content: "Answer: 5" }));
    await runEval(options(store, fetch, { suites: suites({ math: 2 }) }));
    await appendFile(path.join(store.dir, "results.jsonl"), '{"key": "t1␟math␟math-0009␟1", "targ');
    const reopened = await RunStore.open(dataDir, "run-a");
    expect((await reopened.results()).map((r) => r.itemId).sort()).toEqual(["math-0000", "math-0001"]);
    expect(reopened.has("t1␟math␟math-0000␟1")).toBe(true);
    const meta = JSON.parse(await readFile(path.join(store.dir, "run.json"), "utf8")) as { config: RunConfig };
    expect(meta.config.targets[0]).toEqual(config.targets[0]);
    await RunStore.create(dataDir, config, "run-b");
    const runs = await listRuns(dataDir);
    expect(runs.map((r) => r.id).sort()).toEqual(["run-a", "run-b"]);
    expect(runs.find((r) => r.id === "run-a")).toMatchObject({ results: 2, errors: 0, targets: ["t1"], suites: ["math"] });
  });

  it("refuses ids that could leave the evals folder", async () => {
    const dataDir = await tempDir();
    await expect(RunStore.open(dataDir, "../etc")).rejects.toThrow(/invalid run id/);
    await expect(RunStore.open(dataDir, "missing")).rejects.toThrow(/No evaluation run "missing"/);
  });
});
