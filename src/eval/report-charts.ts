/**
 * The charts of the HTML report: the data they need (embedded as JSON) and the browser script that
 * draws them with chart.js, whose UMD build is read from node_modules at report time and inlined,
 * so the report is one file that works offline.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import type { ReportData } from "./aggregate.ts";

/** The data the browser script reads. */
export interface ChartData {
  suites: string[];
  targets: string[];
  /** accuracy[target][suite] in percent, null when not run. */
  accuracy: Record<string, Array<number | null>>;
  ci: Record<string, Array<[number, number] | null>>;
  refusal: {
    targets: string[];
    /** Percent of sensitive questions per label, per target. */
    labels: Record<"answered" | "refused" | "deflected" | "canned", number[]>;
    languages: string[];
    byLanguage: Record<string, Array<number | null>>;
    subjects: string[];
    bySubject: Record<string, Array<number | null>>;
  };
  latency: { targets: string[]; ttft: Array<number | null>; tps: Array<number | null> };
}

/** Extracts the chart data from the report data. */
export function chartData(data: ReportData): ChartData {
  const suites = data.run.suites;
  const targets = data.targets.map((t) => t.target);
  const cellOf = (target: string, suite: string) => data.cells.find((c) => c.target === target && c.suite === suite);
  const pctOrNull = (x: number | null | undefined) => (x === null || x === undefined ? null : Math.round(1000 * x) / 10);
  const languages = [...new Set(data.refusal.flatMap((r) => r.byLanguage.map((row) => row.key)))].sort();
  const subjects = [...new Set(data.refusal.flatMap((r) => r.bySubject.map((row) => row.key)))].sort();
  const share = (part: number, n: number) => (n > 0 ? Math.round((1000 * part) / n) / 10 : 0);
  return {
    suites,
    targets,
    accuracy: Object.fromEntries(targets.map((t) => [t, suites.map((s) => pctOrNull(cellOf(t, s)?.accuracy))])),
    ci: Object.fromEntries(targets.map((t) => [t, suites.map((s) => {
      const ci = cellOf(t, s)?.ci;
      return ci ? [Math.round(1000 * ci.low) / 10, Math.round(1000 * ci.high) / 10] as [number, number] : null;
    })])),
    refusal: {
      targets: data.refusal.map((r) => r.target),
      labels: {
        answered: data.refusal.map((r) => share(r.sensitive.answered, r.sensitive.n)),
        refused: data.refusal.map((r) => share(r.sensitive.refused, r.sensitive.n)),
        deflected: data.refusal.map((r) => share(r.sensitive.deflected, r.sensitive.n)),
        canned: data.refusal.map((r) => share(r.sensitive.canned, r.sensitive.n)),
      },
      languages,
      byLanguage: Object.fromEntries(data.refusal.map((r) => [r.target, languages.map((l) => pctOrNull(r.byLanguage.find((row) => row.key === l)?.nonAnswerRate))])),
      subjects,
      bySubject: Object.fromEntries(data.refusal.map((r) => [r.target, subjects.map((s) => pctOrNull(r.bySubject.find((row) => row.key === s)?.nonAnswerRate))])),
    },
    latency: {
      targets,
      ttft: data.targets.map((t) => (t.ttftMedianMs === null ? null : Math.round(t.ttftMedianMs))),
      tps: data.targets.map((t) => (t.tokensPerSecondMedian === null ? null : Math.round(10 * t.tokensPerSecondMedian) / 10)),
    },
  };
}

/** Reads chart.js's UMD build; undefined when the package is not installed. */
export async function loadChartJs(file?: string): Promise<string | undefined> {
  try {
    const resolved = file ?? path.join(path.dirname(createRequire(import.meta.url).resolve("chart.js")), "chart.umd.js");
    return await readFile(resolved, "utf8");
  } catch {
    return undefined;
  }
}

/** Makes text safe inside an inline <script>: no `</script>` or `<!--` can end it early. */
export function inlineScript(source: string): string {
  return source.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");
}

/** The browser script: reads #chart-data and draws into the canvases that exist. */
export const CHART_SCRIPT = String.raw`
(function () {
  if (typeof Chart === "undefined") return;
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  var palette = ["#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2", "#db2777", "#4b5563"];
  var labelColors = { answered: "#16a34a", refused: "#dc2626", deflected: "#d97706", canned: "#7c3aed" };
  Chart.defaults.font.family = "system-ui, sans-serif";
  // Whiskers for the Wilson intervals: chart.js has no error bars, so draw them after the bars.
  var whiskers = {
    id: "whiskers",
    afterDatasetsDraw: function (chart) {
      var ctx = chart.ctx, y = chart.scales.y;
      chart.data.datasets.forEach(function (dataset, i) {
        if (!dataset.ci) return;
        chart.getDatasetMeta(i).data.forEach(function (bar, j) {
          var ci = dataset.ci[j];
          if (!ci) return;
          var top = y.getPixelForValue(ci[1]), bottom = y.getPixelForValue(ci[0]);
          ctx.save();
          ctx.strokeStyle = "#111827";
          ctx.lineWidth = 1.5;
          ctx.beginPath();
          ctx.moveTo(bar.x, top); ctx.lineTo(bar.x, bottom);
          ctx.moveTo(bar.x - 5, top); ctx.lineTo(bar.x + 5, top);
          ctx.moveTo(bar.x - 5, bottom); ctx.lineTo(bar.x + 5, bottom);
          ctx.stroke();
          ctx.restore();
        });
      });
    },
  };
  function canvas(id) { return document.getElementById(id); }
  function percentAxis(title) { return { min: 0, max: 100, title: { display: true, text: title } }; }
  if (canvas("chart-accuracy")) {
    new Chart(canvas("chart-accuracy"), {
      type: "bar",
      data: { labels: data.suites, datasets: data.targets.map(function (t, i) {
        return { label: t, data: data.accuracy[t], ci: data.ci[t], backgroundColor: palette[i % palette.length] };
      }) },
      options: { scales: { y: percentAxis("% right (refusal: % answered), 95 % CI") } },
      plugins: [whiskers],
    });
  }
  if (canvas("chart-refusal")) {
    new Chart(canvas("chart-refusal"), {
      type: "bar",
      data: { labels: data.refusal.targets, datasets: Object.keys(labelColors).map(function (label) {
        return { label: label, data: data.refusal.labels[label], backgroundColor: labelColors[label] };
      }) },
      options: { indexAxis: "y", scales: { x: { stacked: true, max: 100, title: { display: true, text: "% of sensitive questions" } }, y: { stacked: true } } },
    });
  }
  [["chart-refusal-language", "languages", "byLanguage"], ["chart-refusal-subject", "subjects", "bySubject"]].forEach(function (spec) {
    if (!canvas(spec[0])) return;
    new Chart(canvas(spec[0]), {
      type: "bar",
      data: { labels: data.refusal[spec[1]], datasets: data.refusal.targets.map(function (t, i) {
        return { label: t, data: data.refusal[spec[2]][t], backgroundColor: palette[i % palette.length] };
      }) },
      options: { scales: { y: percentAxis("% not answered") } },
    });
  });
  if (canvas("chart-latency")) {
    new Chart(canvas("chart-latency"), {
      type: "bar",
      data: { labels: data.latency.targets, datasets: [
        { label: "TTFT median (ms)", data: data.latency.ttft, backgroundColor: palette[0], yAxisID: "y" },
        { label: "tokens/s median", data: data.latency.tps, backgroundColor: palette[2], yAxisID: "y1" },
      ] },
      options: { scales: { y: { position: "left", title: { display: true, text: "ms" } }, y1: { position: "right", grid: { drawOnChartArea: false }, title: { display: true, text: "tok/s" } } } },
    });
  }
})();
`;
