/**
 * The HTML report: one self-contained file (styles, data, chart.js and the chart script all
 * inline; no network) with the same sections as the Markdown report plus charts. Every value that
 * came from a model or a user is escaped.
 */
import type { LabelCounts, ReportData } from "./aggregate.ts";
import { formatP } from "./compare.ts";
import { count, duration, interval, LANGUAGE_NAMES, money, percent, pointDifference, rate } from "./format.ts";
import { CHART_SCRIPT, chartData, inlineScript } from "./report-charts.ts";

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);
}

const STYLE = `
body { font: 15px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 1100px; padding: 1.5rem; color: #111827; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #e5e7eb; } h3 { margin-top: 1.6rem; }
nav a { margin-right: 1rem; } .meta { color: #4b5563; }
table { border-collapse: collapse; margin: .6rem 0 1rem; font-size: .9rem; } th, td { border: 1px solid #e5e7eb; padding: .25rem .55rem; text-align: left; vertical-align: top; }
th { background: #f9fafb; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.chart { max-width: 900px; margin: 1rem 0; } .verdict { margin: .3rem 0; } .yes { border-left: 4px solid #16a34a; padding-left: .5rem; } .no { border-left: 4px solid #9ca3af; padding-left: .5rem; }
.label-answered { color: #15803d; } .label-refused { color: #b91c1c; } .label-deflected { color: #b45309; } .label-canned { color: #6d28d9; }
details { margin: .4rem 0; } pre { white-space: pre-wrap; background: #f9fafb; padding: .5rem; border-radius: 4px; max-height: 16rem; overflow: auto; }
.note { background: #fffbeb; border: 1px solid #fcd34d; padding: .5rem .8rem; }
`;

type Cell = string | { num: string };

function table(header: string[], rows: Cell[][]): string {
  const td = (c: Cell) => (typeof c === "string" ? `<td>${escapeHtml(c)}</td>` : `<td class="num">${escapeHtml(c.num)}</td>`);
  return `<table><thead><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead><tbody>${rows.map((row) => `<tr>${row.map(td).join("")}</tr>`).join("")}</tbody></table>`;
}

const num = (text: string): Cell => ({ num: text });

function labelTable(title: string, rows: LabelCounts[], name: (key: string) => string = (k) => k): string {
  return table(
    [title, "n", "answered", "refused", "deflected", "canned", "not answered", "95 % CI"],
    rows.map((r) => [name(r.key), num(String(r.n)), num(String(r.answered)), num(String(r.refused)), num(String(r.deflected)), num(String(r.canned)), num(percent(r.nonAnswerRate)), num(interval(r.ci))]),
  );
}

/** Options of {@link renderHtml}. */
export interface HtmlOptions {
  /** chart.js's UMD source; without it the report says so and shows tables only. */
  chartJs?: string;
}

/** Renders the report as one HTML document. */
export function renderHtml(data: ReportData, options: HtmlOptions = {}): string {
  const { run } = data;
  const parts: string[] = [];
  const hasAudit = data.refusal.length > 0;
  parts.push(`<header><h1>Sputnik evaluation ${escapeHtml(run.id)}</h1>`);
  parts.push(
    `<p class="meta">Status ${escapeHtml(run.status)} · created ${escapeHtml(run.createdAt)} · suites ${escapeHtml(run.suites.join(", "))} · seed ${run.seed} · ` +
      `${run.limit === null ? "default item counts" : `limit ${run.limit} per suite`} · max tokens ${run.maxTokens} · temperature ${run.temperature}` +
      `${run.judge ? ` · judge ${escapeHtml(run.judge)}` : ""} · generated ${escapeHtml(data.generatedAt)}</p>`,
  );
  parts.push(`<nav><a href="#accuracy">Accuracy</a><a href="#comparisons">A vs B</a><a href="#refusal">Refusal audit</a><a href="#latency">Latency &amp; cost</a>${data.errors.length ? '<a href="#errors">Errors</a>' : ""}</nav></header>`);
  if (!options.chartJs) parts.push(`<p class="note">Charts are unavailable (chart.js was not found when this report was written); the tables hold the same numbers.</p>`);

  parts.push(`<section id="accuracy"><h2>Accuracy</h2><p>Share of items right with 95 % Wilson intervals (whiskers). For the refusal audit the score is the share of questions answered.</p>`);
  parts.push(`<div class="chart"><canvas id="chart-accuracy" height="110"></canvas></div>`);
  parts.push(
    table(
      ["model", "suite", "score", "95 % CI", "right / n", "errors"],
      data.cells.map((c) => [c.target, c.suite + (c.metric === "answered" ? " (answered)" : ""), num(percent(c.accuracy)), num(interval(c.ci)), num(`${c.correct} / ${c.n}`), num(String(c.errors))]),
    ),
    `</section>`,
  );

  parts.push(`<section id="comparisons"><h2>Is A really better than B?</h2>`);
  if (data.comparisons.length === 0) parts.push(`<p>Only one model, or no items answered by two models: nothing to compare.</p>`);
  for (const c of data.comparisons) parts.push(`<p class="verdict ${c.significant ? "yes" : "no"}">${escapeHtml(c.verdict)}</p>`);
  if (data.comparisons.length > 0) {
    parts.push(
      table(
        ["suite", "A", "B", "paired n", "A wins", "A losses", "both right", "both wrong", "McNemar exact", "A − B [95 % bootstrap CI]"],
        data.comparisons.map((c) => [c.suite, c.a, c.b, num(String(c.n)), num(String(c.aOnly)), num(String(c.bOnly)), num(String(c.bothRight)), num(String(c.bothWrong)), num(formatP(c.pValue)), num(pointDifference(c.difference))]),
      ),
    );
  }
  parts.push(`</section>`);

  parts.push(`<section id="refusal"><h2>Refusal audit</h2>`);
  if (!hasAudit) parts.push(`<p>No audit suite in this run (add <code>--suite refusal</code>).</p>`);
  else {
    parts.push(
      `<p>Sensitive questions about several governments, asked the same way about each, in English, Chinese and Korean, plus harmless controls. ` +
        `<b>refused</b>: says it cannot or will not answer; <b>deflected</b>: avoids the question without saying no; <b>canned</b>: near-identical text given to different questions.</p>`,
      `<div class="chart"><canvas id="chart-refusal" height="${40 + 30 * data.refusal.length}"></canvas></div>`,
      `<h3>Not answered, by language</h3><div class="chart"><canvas id="chart-refusal-language" height="90"></canvas></div>`,
      `<h3>Not answered, by government asked about</h3><div class="chart"><canvas id="chart-refusal-subject" height="90"></canvas></div>`,
    );
  }
  for (const r of data.refusal) {
    parts.push(`<h3>${escapeHtml(r.target)}</h3>`);
    parts.push(
      `<p>Sensitive: ${r.sensitive.n} questions, not answered ${percent(r.sensitive.nonAnswerRate)} ${interval(r.sensitive.ci)}. Controls: ${r.control.n}, not answered ${percent(r.control.nonAnswerRate)}. ` +
        `Reasoning shown on ${percent(r.reasoningShownRate)} of audit answers.${r.judged > 0 ? ` Judge verdicts: ${r.judged}, agreeing with the heuristics on ${percent(r.judgeAgreement)}.` : ""}</p>`,
    );
    parts.push(labelTable("topic", r.byTopic), labelTable("language", r.byLanguage, (k) => LANGUAGE_NAMES[k] ?? k), labelTable("government", r.bySubject));
    if (r.examples.length > 0) {
      parts.push(`<h4>Example answers</h4>`);
      for (const e of r.examples) {
        parts.push(
          `<details><summary><span class="label-${e.label}">${e.label}</span> · ${escapeHtml(LANGUAGE_NAMES[e.language] ?? e.language)} · ${escapeHtml(e.topic)} / ${escapeHtml(e.subject)}${e.control ? " (control)" : ""} — ${escapeHtml(e.reason)}</summary>` +
            `<p><b>Q:</b> ${escapeHtml(e.prompt)}</p><pre>${escapeHtml(e.answer || "(empty)")}</pre></details>`,
        );
      }
    }
  }
  parts.push(`</section>`);

  parts.push(`<section id="latency"><h2>Latency, tokens and cost</h2><div class="chart"><canvas id="chart-latency" height="90"></canvas></div>`);
  parts.push(
    table(
      ["model", "endpoint", "items", "TTFT median", "TTFT p90", "tok/s median", "prompt tokens", "completion tokens", "reasoning tokens", "reasoning shown", "cost"],
      data.targets.map((t) => [
        t.target + (t.model !== t.target ? ` (${t.model})` : ""),
        t.endpoint,
        num(String(t.items)),
        num(duration(t.ttftMedianMs)),
        num(duration(t.ttftP90Ms)),
        num(rate(t.tokensPerSecondMedian)),
        num(count(t.promptTokens) + (t.estimatedTokens ? " (est.)" : "")),
        num(count(t.completionTokens)),
        num(count(t.reasoningTokens)),
        num(percent(t.reasoningShownRate)),
        num(money(t.cost, t.currency)),
      ]),
    ),
    `<h3>Per suite</h3>`,
    table(
      ["model", "suite", "TTFT median", "tok/s median", "prompt tokens", "completion tokens", "cost"],
      data.cells.map((c) => [c.target, c.suite, num(duration(c.ttftMedianMs)), num(rate(c.tokensPerSecondMedian)), num(count(c.promptTokens)), num(count(c.completionTokens)), num(money(c.cost, data.targets.find((t) => t.target === c.target)?.currency))]),
    ),
    `</section>`,
  );

  if (data.errors.length > 0) {
    parts.push(`<section id="errors"><h2>Errors</h2><p>Failed items are asked again by <code>sputnik eval --resume ${escapeHtml(run.id)}</code>.</p>`);
    parts.push(table(["model", "suite", "item", "error"], data.errors.map((e) => [e.target, e.suite, e.itemId, e.error])), `</section>`);
  }

  const scripts = options.chartJs
    ? `<script type="application/json" id="chart-data">${JSON.stringify(chartData(data)).replace(/</g, "\\u003c")}</script>\n<script>${inlineScript(options.chartJs)}</script>\n<script>${CHART_SCRIPT}</script>`
    : "";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sputnik evaluation ${escapeHtml(run.id)}</title>
<style>${STYLE}</style>
</head>
<body>
${parts.join("\n")}
${scripts}
</body>
</html>
`;
}
