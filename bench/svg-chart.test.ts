import { describe, expect, it } from "vitest";
import { niceTicks, renderLineChart } from "./svg-chart.ts";

describe("svg chart", () => {
  it("picks round ticks from 0 past the maximum", () => {
    expect(niceTicks(47)).toEqual([0, 10, 20, 30, 40, 50]);
    expect(niceTicks(0.3)).toEqual([0, 0.1, 0.2, 0.3]);
    expect(niceTicks(1234)).toEqual([0, 500, 1000, 1500]);
    expect(niceTicks(0)).toEqual([0, 1]);
  });

  it("draws one line per series, skips missing points and escapes text", () => {
    const svg = renderLineChart({
      title: "a <b> & c",
      xLabel: "concurrency",
      categories: [1, 2, 4],
      leftLabel: "tok/s",
      rightLabel: "ms",
      series: [
        { label: "agg", values: [10, 20, 35], color: "#00f", axis: "left" },
        { label: "ttft", values: [5, null, 9], color: "#f00", axis: "right", dashed: true },
      ],
    });
    expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain("a &#60;b&#62; &#38; c");
    expect(svg.match(/<polyline /g)).toHaveLength(2);
    expect(svg.match(/<circle /g)).toHaveLength(5);
    expect(svg).toContain('stroke-dasharray="6 4"');
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
  });
});
