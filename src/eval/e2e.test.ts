/**
 * End to end against real Sputnik servers on the synthetic `tiny` models (random weights: scores
 * near zero, but every step of the pipeline real): every suite, a run killed half-way and resumed,
 * a local `--model` next to a remote `--target`, a judge, prices and the three reports.
 */
import { mkdtemp, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startTestServer } from "../../test/helpers/test-server.ts";
import type { RunningServer } from "../server.ts";
import { runEvalCommand } from "./eval-command.ts";
import { loadRun } from "./store.ts";

function sink(): NodeJS.WritableStream & { text: string } {
  const stream = { text: "", write: (chunk: string) => ((stream.text += chunk), true) };
  return stream as unknown as NodeJS.WritableStream & { text: string };
}

/** Wraps fetch to record every chat request: which model was asked which prompt. */
function recordingFetch() {
  const asked: string[] = [];
  const fn = (async (input: string | URL | Request, init?: RequestInit) => {
    if (String(input).endsWith("/chat/completions") && typeof init?.body === "string") {
      const body = JSON.parse(init.body) as { model: string; messages: Array<{ content: string }> };
      asked.push(`${body.model}: ${body.messages.at(-1)?.content}`);
    }
    return fetch(input, init);
  }) as typeof fetch;
  return { fetch: fn, asked };
}

describe("sputnik eval end to end (tiny models)", () => {
  let server: RunningServer;
  beforeAll(async () => {
    // One model on the server keeps start-up short; the second test loads its own local copy.
    server = await startTestServer({ models: ["chatml"], parallel: 2 });
  });
  afterAll(async () => {
    await server?.close(0);
  });

  it("runs every suite, is killed half-way, and resumes without asking any item twice", async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "sputnik-e2e-"));
    const recorder = recordingFetch();
    const controller = new AbortController();
    let answered = 0;
    const first = await runEvalCommand(
      { suite: "all", target: [`tiny=${server.url}/v1,chatml`], limit: 2, maxTokens: 8, concurrency: 1 },
      { SPUTNIK_HOME: dataDir },
      { signal: controller.signal, fetch: recorder.fetch, stdout: sink(), stderr: sink(), onProgress: (p) => p.result && ++answered === 4 && controller.abort() },
    );
    expect(first?.status).toBe("interrupted");
    expect(first?.outcome).toMatchObject({ total: 10, asked: 4, aborted: true });
    expect(recorder.asked).toHaveLength(4);

    const out = sink();
    const second = await runEvalCommand({ resume: first!.runId }, { SPUTNIK_HOME: dataDir }, { fetch: recorder.fetch, stdout: out, stderr: sink() });
    expect(second?.status).toBe("complete");
    expect(second?.outcome).toMatchObject({ total: 10, asked: 6, skipped: 4 });
    // Ten items, each asked exactly once over both processes.
    expect(recorder.asked).toHaveLength(10);
    expect(new Set(recorder.asked).size).toBe(10);

    const { meta, results } = await loadRun(dataDir, first!.runId);
    expect(meta.status).toBe("complete");
    expect(results).toHaveLength(10);
    for (const suite of ["math", "instruct", "code", "knowledge", "refusal"]) {
      const own = results.filter((r) => r.suite === suite);
      expect(own, suite).toHaveLength(2);
      for (const r of own) {
        expect(r.error, `${suite} ${r.itemId}`).toBeUndefined();
        expect(r.usage.completionTokens).toBeGreaterThan(0);
        expect(r.usage.estimated).toBe(false);
        expect(r.finishReason).not.toBeNull();
      }
    }
    // Random weights: nothing should be right except by accident.
    expect(results.filter((r) => r.suite !== "refusal" && r.correct).length).toBeLessThanOrEqual(1);
    expect(results.filter((r) => r.suite === "refusal").every((r) => r.audit && ["answered", "refused", "deflected"].includes(r.audit.label))).toBe(true);
    expect(out.text).toContain("Report:");
    const md = await readFile(second!.reports.markdown, "utf8");
    for (const heading of ["## Accuracy", "## Refusal audit", "## Latency, tokens and cost"]) expect(md).toContain(heading);
  });

  it("audits a local --model against a remote --target with a judge, prices and all three reports", async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "sputnik-e2e-"));
    const outDir = path.join(dataDir, "out");
    const stdout = sink();
    const result = await runEvalCommand(
      {
        suite: "math,refusal",
        model: [`local-tiny=${inject("tinyModels").chatml}`],
        target: [`remote-tiny=${server.url}/v1,chatml`],
        judge: "local-tiny",
        price: ["remote-tiny=0.27,1.10,USD"],
        limit: 2,
        maxTokens: 12,
        concurrency: 2,
        threads: 1,
        gpu: "cpu",
        dataDir,
        out: outDir,
      },
      {},
      { stdout, stderr: sink() },
    );
    expect(result?.status).toBe("complete");
    expect(result?.reports.html).toBe(path.join(outDir, "report.html"));
    const { results } = await loadRun(dataDir, result!.runId);
    expect(results).toHaveLength(8);
    expect(new Set(results.map((r) => r.model))).toEqual(new Set(["local-tiny", "chatml"]));
    const audited = results.filter((r) => r.suite === "refusal");
    expect(audited.every((r) => r.audit?.heuristic !== undefined)).toBe(true);

    const md = await readFile(path.join(outDir, "report.md"), "utf8");
    expect(md).toContain("## Is A really better than B?");
    expect(md).toMatch(/On math, .*(local-tiny|remote-tiny)/);
    expect(md).toMatch(/On refusal, .*(local-tiny|remote-tiny)/);
    expect(md).toMatch(/remote-tiny \(chatml\) \| http:\/\/127\.0\.0\.1:\d+\/v1 \| 4 \|/);
    expect(md).toMatch(/\d\.\d+ USD/);
    const html = await readFile(path.join(outDir, "report.html"), "utf8");
    expect(html).toContain("Chart.js v4");
    expect(html).toContain('<section id="refusal">');
    const json = JSON.parse(await readFile(path.join(outDir, "report.json"), "utf8")) as { comparisons: unknown[]; run: { judge: string } };
    expect(json.comparisons).toHaveLength(2);
    expect(json.run.judge).toBe("local-tiny");
    // The run folder has its own copy too.
    expect(await readFile(path.join(result!.runDir, "report.html"), "utf8")).toBe(html);
  });
});
