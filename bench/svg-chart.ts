/**
 * The bench chart: throughput and TTFT against concurrency, as a standalone SVG. Drawn by Apache
 * ECharts' server-side SVG renderer (no DOM needed), which gives two y axes, a legend and proper
 * tick choice without hand-written plotting code.
 */
import * as echarts from "echarts";

export interface ChartSeries {
  label: string;
  values: ReadonlyArray<number | null>;
  color: string;
  axis: "left" | "right";
  dashed?: boolean;
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  categories: readonly (string | number)[];
  leftLabel: string;
  rightLabel: string;
  series: readonly ChartSeries[];
  /** Pixels. Defaults to 720 × 400. */
  width?: number;
  height?: number;
}

export function renderLineChart(options: LineChartOptions): string {
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width: options.width ?? 720, height: options.height ?? 400 });
  try {
    chart.setOption({
      animation: false,
      backgroundColor: "#ffffff",
      title: { text: options.title, left: "center", textStyle: { fontSize: 14 } },
      legend: { bottom: 0 },
      grid: { left: 64, right: 64, top: 48, bottom: 64 },
      xAxis: { type: "category", name: options.xLabel, nameLocation: "middle", nameGap: 28, data: options.categories.map(String) },
      yAxis: [
        { type: "value", name: options.leftLabel, min: 0 },
        { type: "value", name: options.rightLabel, min: 0, splitLine: { show: false } },
      ],
      series: options.series.map((series) => ({
        name: series.label,
        type: "line",
        yAxisIndex: series.axis === "left" ? 0 : 1,
        data: [...series.values],
        connectNulls: false,
        color: series.color,
        lineStyle: { type: series.dashed ? "dashed" : "solid", width: 2 },
        symbolSize: 6,
      })),
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
