import { describe, expect, it } from "vitest";
import { renderLineChart } from "./svg-chart.ts";

describe("bench chart", () => {
  it("renders a standalone SVG with both series, their labels and escaped text", () => {
    const svg = renderLineChart({
      title: "a <b> & c",
      xLabel: "concurrency",
      categories: [1, 2, 4],
      leftLabel: "tok/s",
      rightLabel: "ms",
      series: [
        { label: "aggregate tok/s", values: [10, 20, 35], color: "#1f77b4", axis: "left" },
        { label: "TTFT p50", values: [5, null, 9], color: "#d62728", axis: "right", dashed: true },
      ],
    });
    expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain("aggregate tok/s");
    expect(svg).toContain("TTFT p50");
    expect(svg).toContain("a &lt;b&gt; &amp; c");
    expect(svg).toContain("#1f77b4");
    expect(svg).toContain("#d62728");
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
  });
});
