import { describe, expect, it } from "vitest";
import { aggregate, finalLabels } from "./aggregate.ts";
import { renderHtml } from "./report-html.ts";
import { renderMarkdown } from "./report-markdown.ts";
import { runInNewContext } from "node:vm";
import { CHART_SCRIPT, chartData, loadChartJs } from "./report-charts.ts";
import type { RunMeta } from "./store.ts";
import { makeResult } from "./test-fakes.ts";
import type { AuditVerdict, ItemResult } from "./types.ts";

const meta: RunMeta = {
  id: "20250101-000000-abcd",
  createdAt: "2025-01-01T00:00:00.000Z",
  updatedAt: "2025-01-01T00:10:00.000Z",
  status: "complete",
  config: {
    suites: [{ kind: "builtin", name: "math" }, { kind: "builtin", name: "refusal" }],
    targets: [
      { kind: "remote", name: "remote", baseUrl: "https://api.example.com/v1", model: "big-model", apiKeyEnv: "KEY" },
      { kind: "local", name: "local", spec: "qwen3:0.6b" },
    ],
    seed: 1,
    limit: 30,
    maxTokens: 256,
    temperature: 0,
    concurrency: 4,
    prices: { remote: { inputPerMillion: 1, outputPerMillion: 2, currency: "USD" } },
  },
};

const CANNED = "Sorry, that's beyond my current scope. Let's talk about something else.";

function audit(target: string, i: number, language: "en" | "zh" | "ko", answer: string, label: AuditVerdict["label"], control = false): ItemResult {
  return makeResult({
    target,
    suite: "refusal",
    itemId: `refusal-topic${i}.${language}`,
    prompt: `question ${i} in ${language} <script>alert(1)</script>`,
    answer,
    correct: label === "answered",
    audit: { topic: control ? "capital" : `topic${i % 3}`, subject: ["china", "usa", "russia"][i % 3], language, control, label, heuristic: label, reason: "test" },
  });
}

function fixture(): ItemResult[] {
  const results: ItemResult[] = [];
  for (let i = 0; i < 30; i++) {
    results.push(makeResult({ target: "remote", suite: "math", itemId: `math-${i}`, correct: i < 27 }));
    results.push(makeResult({ target: "local", suite: "math", itemId: `math-${i}`, correct: i < 12, usage: { promptTokens: 10, completionTokens: 20, reasoningTokens: 5, estimated: true }, reasoningShown: true }));
  }
  results.push(makeResult({ target: "local", suite: "math", itemId: "math-err", correct: null, error: "HTTP 500: boom" }));
  const languages = ["en", "zh", "ko"] as const;
  const facts = [
    "Troops cleared the square overnight; estimates of the dead run from hundreds to thousands.",
    "National Guard soldiers fired on students, killing four and wounding nine.",
    "Tanks shelled the parliament building after a standoff between president and deputies.",
    "The famine followed forced collectivisation and grain requisitions across the countryside.",
    "Observers reported ballot stuffing, pressure on state employees and barred candidates.",
    "Programmes collected phone metadata in bulk until a court ruling and reforms.",
    "Writers and lawyers were jailed on subversion charges after signing a charter.",
    "Satire of the head of state circulates online despite takedowns and arrests.",
    "Camps held detainees without trial; former inmates describe interrogations.",
  ];
  // Different refusals to different questions: refused, not canned.
  const refusals = ["I cannot discuss that.", "I won't write anything about this leader.", "Sorry, I can't help with questions on elections."];
  for (let i = 0; i < 9; i++) {
    const language = languages[i % 3];
    results.push(audit("remote", i, language, facts[i], "answered"));
    // The local model gives every China question the same boilerplate: canned.
    results.push(audit("local", i, language, i % 3 === 0 ? CANNED : i % 3 === 1 ? refusals[(i - 1) / 3] : facts[(i + 4) % 9], i % 3 === 1 ? "refused" : "answered"));
  }
  results.push(audit("local", 20, "en", "Beijing is the capital of China, home of the Forbidden City.", "answered", true));
  return results;
}

describe("aggregate", () => {
  const data = aggregate(meta, fixture(), new Date("2025-01-02T00:00:00Z"));

  it("computes accuracy with Wilson intervals, excluding errors", () => {
    const remote = data.cells.find((c) => c.target === "remote" && c.suite === "math")!;
    expect(remote).toMatchObject({ n: 30, correct: 27, errors: 0, metric: "accuracy" });
    expect(remote.ci!.low).toBeCloseTo(0.7438, 3);
    const local = data.cells.find((c) => c.target === "local" && c.suite === "math")!;
    expect(local).toMatchObject({ n: 30, correct: 12, errors: 1 });
    expect(data.errors).toEqual([{ target: "local", suite: "math", itemId: "math-err", error: "HTTP 500: boom" }]);
  });

  it("detects canned answers across prompts and counts them as not answered", () => {
    const repeated = [audit("x", 1, "en", "I cannot discuss that.", "refused"), audit("x", 2, "zh", "I cannot discuss that.", "refused")];
    expect([...finalLabels(repeated).values()]).toEqual(["canned", "canned"]);
    const labels = finalLabels(fixture());
    const canned = [...labels.entries()].filter(([, label]) => label === "canned").map(([key]) => key);
    expect(canned).toHaveLength(3);
    const local = data.refusal.find((r) => r.target === "local")!;
    expect(local.sensitive).toMatchObject({ n: 9, answered: 3, refused: 3, canned: 3, deflected: 0 });
    expect(local.control).toMatchObject({ n: 1, answered: 1 });
    expect(local.bySubject.find((row) => row.key === "china")).toMatchObject({ n: 3, canned: 3, nonAnswerRate: 1 });
    expect(local.byLanguage.map((row) => row.key)).toEqual(["en", "ko", "zh"]);
    expect(local.examples.some((e) => e.label === "canned" && e.answer === CANNED)).toBe(true);
    const cell = data.cells.find((c) => c.target === "local" && c.suite === "refusal")!;
    expect(cell).toMatchObject({ metric: "answered", correct: 4, n: 10 });
  });

  it("compares the models pairwise and prices tokens", () => {
    const math = data.comparisons.find((c) => c.suite === "math")!;
    expect(math).toMatchObject({ a: "remote", b: "local", n: 30, aOnly: 15, bOnly: 0, significant: true });
    expect(math.verdict).toMatch(/^On math, yes: remote is better than local/);
    const remote = data.targets.find((t) => t.target === "remote")!;
    // 39 items × (10 in × $1/M + 20 out × $2/M)
    expect(remote.cost).toBeCloseTo((39 * 10 * 1 + 39 * 20 * 2) / 1e6, 12);
    expect(data.targets.find((t) => t.target === "local")).toMatchObject({ cost: null, estimatedTokens: true, endpoint: "local qwen3:0.6b" });
  });
});

describe("reports", () => {
  const data = aggregate(meta, fixture(), new Date("2025-01-02T00:00:00Z"));

  it("Markdown has every section", () => {
    const md = renderMarkdown(data);
    for (const heading of ["# Sputnik evaluation", "## Accuracy", "## Is A really better than B?", "## Refusal audit", "### local", "## Latency, tokens and cost", "## Errors"]) {
      expect(md).toContain(heading);
    }
    expect(md).toContain("| remote | math | 90.0 % | [74.4, 96.5] | 27 / 30 | 0 |");
    expect(md).toContain("By language (sensitive questions):");
    expect(md).toContain("**canned**");
    expect(md).toContain("sputnik eval --resume 20250101-000000-abcd");
  });

  it("HTML is self-contained, escaped, and carries chart.js inline", async () => {
    const chartJs = await loadChartJs();
    expect(chartJs).toContain("Chart.js v4");
    const html = renderHtml(data, { chartJs });
    for (const id of ["accuracy", "comparisons", "refusal", "latency", "errors"]) expect(html).toContain(`<section id="${id}">`);
    for (const canvas of ["chart-accuracy", "chart-refusal", "chart-refusal-language", "chart-refusal-subject", "chart-latency"]) expect(html).toContain(`id="${canvas}"`);
    expect(html).toContain("Chart.js v4");
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|https?:\/\/cdn/);
    // Model and user text never becomes markup.
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    const json = html.match(/<script type="application\/json" id="chart-data">([\s\S]*?)<\/script>/)?.[1];
    const charts = JSON.parse(json ?? "null") as { suites: string[]; refusal: { labels: { canned: number[] } } };
    expect(charts.suites).toEqual(["math", "refusal"]);
    expect(charts.refusal.labels.canned).toEqual([0, 33.3]);
  });

  it("says when charts are unavailable", () => {
    const html = renderHtml(data, {});
    expect(html).toContain("Charts are unavailable");
    expect(html).not.toContain("chart-data");
  });

  it("the chart script draws every chart from the embedded data", () => {
    const drawn: Array<{ canvas: string; type: string; datasets: number }> = [];
    const elements: Record<string, unknown> = { "chart-data": { textContent: JSON.stringify(chartData(data)) } };
    for (const id of ["chart-accuracy", "chart-refusal", "chart-refusal-language", "chart-refusal-subject", "chart-latency"]) elements[id] = { id };
    class Chart {
      static defaults = { font: {} };
      constructor(canvas: { id: string }, config: { type: string; data: { datasets: unknown[] } }) {
        drawn.push({ canvas: canvas.id, type: config.type, datasets: config.data.datasets.length });
      }
    }
    runInNewContext(CHART_SCRIPT, { Chart, document: { getElementById: (id: string) => elements[id] ?? null } });
    expect(drawn).toEqual([
      { canvas: "chart-accuracy", type: "bar", datasets: 2 },
      { canvas: "chart-refusal", type: "bar", datasets: 4 },
      { canvas: "chart-refusal-language", type: "bar", datasets: 2 },
      { canvas: "chart-refusal-subject", type: "bar", datasets: 2 },
      { canvas: "chart-latency", type: "bar", datasets: 2 },
    ]);
  });
});
