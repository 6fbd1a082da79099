/**
 * Writing a run's reports: `report.html` (self-contained, with charts), `report.md` and
 * `report.json` (the aggregated numbers), into the run folder and optionally a second folder.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { aggregate, type ReportData } from "./aggregate.ts";
import { loadChartJs } from "./report-charts.ts";
import { renderHtml } from "./report-html.ts";
import { renderMarkdown } from "./report-markdown.ts";
import { loadRun, runDir, type RunMeta } from "./store.ts";
import type { ItemResult } from "./types.ts";

/** The three renderings of a run. */
export interface RenderedReports {
  data: ReportData;
  html: string;
  markdown: string;
  json: string;
}

/** Renders a run's reports in memory. `chartJs` overrides reading chart.js from node_modules. */
export async function renderReports(meta: RunMeta, results: readonly ItemResult[], options: { chartJs?: string } = {}): Promise<RenderedReports> {
  const data = aggregate(meta, results);
  const chartJs = options.chartJs ?? (await loadChartJs());
  return { data, html: renderHtml(data, { chartJs }), markdown: renderMarkdown(data), json: `${JSON.stringify(data, null, 2)}\n` };
}

/** Paths of the written reports. */
export interface ReportFiles {
  html: string;
  markdown: string;
  json: string;
}

/**
 * Writes `report.html`, `report.md` and `report.json` for a stored run into its folder and, when
 * given, into `outDir` too (the returned paths are those in `outDir` then).
 */
export async function writeReports(dataDir: string, runId: string, outDir?: string): Promise<ReportFiles & { reports: RenderedReports }> {
  const { meta, results } = await loadRun(dataDir, runId);
  const reports = await renderReports(meta, results);
  const dirs = [runDir(dataDir, runId), ...(outDir ? [path.resolve(outDir)] : [])];
  for (const dir of dirs) {
    await mkdir(dir, { recursive: true });
    await Promise.all([
      writeFile(path.join(dir, "report.html"), reports.html, "utf8"),
      writeFile(path.join(dir, "report.md"), reports.markdown, "utf8"),
      writeFile(path.join(dir, "report.json"), reports.json, "utf8"),
    ]);
  }
  const last = dirs[dirs.length - 1];
  return { html: path.join(last, "report.html"), markdown: path.join(last, "report.md"), json: path.join(last, "report.json"), reports };
}
