/**
 * The Markdown report: the same sections as the HTML report, without charts, for pasting into an
 * issue or reading in a terminal.
 */
import type { LabelCounts, ReportData } from "./aggregate.ts";
import { formatP } from "./compare.ts";
import { count, duration, interval, LANGUAGE_NAMES, money, percent, pointDifference, rate } from "./format.ts";

/** Escapes a table cell: pipes and line breaks would break the row. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map(cell).join(" | ")} |`;
  return [line(header), `|${header.map(() => "---").join("|")}|`, ...rows.map(line)].join("\n");
}

function labelRows(rows: LabelCounts[], name: (key: string) => string = (key) => key): string[][] {
  return rows.map((row) => [name(row.key), String(row.n), String(row.answered), String(row.refused), String(row.deflected), String(row.canned), `${percent(row.nonAnswerRate)} ${interval(row.ci)}`]);
}

const LABEL_HEADER = ["answered", "refused", "deflected", "canned", "not answered [95 % CI]"];

/** Renders the report as Markdown. */
export function renderMarkdown(data: ReportData): string {
  const out: string[] = [];
  const { run } = data;
  out.push(`# Sputnik evaluation ${run.id}`, "");
  out.push(
    `Run ${run.id} (${run.status}), created ${run.createdAt}; suites ${run.suites.join(", ")}; seed ${run.seed}, ` +
      `${run.limit === null ? "default item counts" : `limit ${run.limit} per suite`}, max tokens ${run.maxTokens}, temperature ${run.temperature}` +
      `${run.judge ? `, judge ${run.judge}` : ""}. Report generated ${data.generatedAt}.`,
    "",
  );

  out.push("## Accuracy", "");
  out.push("Share of items right, with 95 % Wilson intervals. For audit suites (refusal) the score is the share of questions answered.", "");
  out.push(
    table(
      ["model", "suite", "score", "95 % CI", "right / n", "errors"],
      data.cells.map((c) => [c.target, c.suite + (c.metric === "answered" ? " (answered)" : ""), percent(c.accuracy), interval(c.ci), `${c.correct} / ${c.n}`, String(c.errors)]),
    ),
    "",
  );

  out.push("## Is A really better than B?", "");
  if (data.comparisons.length === 0) out.push("Only one model, or no items answered by two models: nothing to compare.", "");
  else {
    for (const c of data.comparisons) out.push(`- ${c.verdict}`);
    out.push(
      "",
      table(
        ["suite", "A", "B", "paired n", "A wins", "A losses", "both right", "both wrong", "McNemar", "A − B [95 % bootstrap CI]"],
        data.comparisons.map((c) => [c.suite, c.a, c.b, String(c.n), String(c.aOnly), String(c.bOnly), String(c.bothRight), String(c.bothWrong), formatP(c.pValue), pointDifference(c.difference)]),
      ),
      "",
    );
  }

  out.push("## Refusal audit", "");
  if (data.refusal.length === 0) out.push("No audit suite in this run (add `--suite refusal`).", "");
  for (const r of data.refusal) {
    out.push(`### ${r.target}`, "");
    out.push(
      `Sensitive questions: ${r.sensitive.n}, not answered ${percent(r.sensitive.nonAnswerRate)} ${interval(r.sensitive.ci)} ` +
        `(refused ${r.sensitive.refused}, deflected ${r.sensitive.deflected}, canned ${r.sensitive.canned}). ` +
        `Controls: ${r.control.n}, not answered ${percent(r.control.nonAnswerRate)}. Reasoning shown on ${percent(r.reasoningShownRate)} of audit answers.` +
        (r.judged > 0 ? ` Judge verdicts: ${r.judged}, agreeing with the heuristics on ${percent(r.judgeAgreement)}.` : ""),
      "",
    );
    out.push("By topic:", "", table(["topic", "n", ...LABEL_HEADER], labelRows(r.byTopic)), "");
    out.push("By language (sensitive questions):", "", table(["language", "n", ...LABEL_HEADER], labelRows(r.byLanguage, (k) => LANGUAGE_NAMES[k] ?? k)), "");
    out.push("By government asked about (sensitive questions):", "", table(["government", "n", ...LABEL_HEADER], labelRows(r.bySubject)), "");
    if (r.examples.length > 0) {
      out.push("Example answers:", "");
      for (const e of r.examples) {
        const answer = e.answer.trim() === "" ? "(empty)" : e.answer.replace(/\s+/g, " ");
        out.push(`- **${e.label}** — ${LANGUAGE_NAMES[e.language] ?? e.language}, ${e.topic} / ${e.subject}${e.control ? " (control)" : ""} — ${e.reason}`);
        out.push(`  - Q: ${e.prompt.replace(/\s+/g, " ")}`, `  - A: ${answer}`);
      }
      out.push("");
    }
  }

  out.push("## Latency, tokens and cost", "");
  out.push(
    table(
      ["model", "endpoint", "items", "TTFT median", "TTFT p90", "tok/s median", "prompt tokens", "completion tokens", "reasoning tokens", "reasoning shown", "cost"],
      data.targets.map((t) => [
        t.target + (t.model !== t.target ? ` (${t.model})` : ""),
        t.endpoint,
        String(t.items),
        duration(t.ttftMedianMs),
        duration(t.ttftP90Ms),
        rate(t.tokensPerSecondMedian),
        count(t.promptTokens) + (t.estimatedTokens ? " (est.)" : ""),
        count(t.completionTokens),
        count(t.reasoningTokens),
        percent(t.reasoningShownRate),
        money(t.cost, t.currency),
      ]),
    ),
    "",
  );
  out.push(
    "Per suite:",
    "",
    table(
      ["model", "suite", "TTFT median", "tok/s median", "prompt tokens", "completion tokens", "cost"],
      data.cells.map((c) => [c.target, c.suite, duration(c.ttftMedianMs), rate(c.tokensPerSecondMedian), count(c.promptTokens), count(c.completionTokens), money(c.cost, data.targets.find((t) => t.target === c.target)?.currency)]),
    ),
    "",
  );

  if (data.errors.length > 0) {
    out.push("## Errors", "", "Failed items are asked again by `sputnik eval --resume " + run.id + "`.", "");
    out.push(table(["model", "suite", "item", "error"], data.errors.map((e) => [e.target, e.suite, e.itemId, e.error])), "");
  }
  return out.join("\n");
}
