/**
 * A small, dependency-free SVG line chart: one x axis of categories (the concurrency levels, evenly
 * spaced, which for 1,2,4,8 is a log scale), a left and a right y axis each with its own series.
 * Enough for the bench report; anything richer should use a charting library.
 */

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
  width?: number;
  height?: number;
}

const escapeXml = (text: string) => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
const fmt = (v: number) => (Number.isInteger(v) ? String(v) : Number(v.toPrecision(3)).toString());

/** Round numbers for an axis from 0 to at least `max`: 1, 2 or 5 times a power of ten per step. */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let v = 0; v < max + step * 0.999; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

export function renderLineChart(options: LineChartOptions): string {
  const width = options.width ?? 720;
  const height = options.height ?? 400;
  const margin = { top: 48, right: 72, bottom: 84, left: 72 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const n = options.categories.length;
  const x = (i: number) => margin.left + (n <= 1 ? plotW / 2 : (i * plotW) / (n - 1));
  const axes = { left: [] as number[], right: [] as number[] };
  for (const side of ["left", "right"] as const) {
    const values = options.series.filter((s) => s.axis === side).flatMap((s) => s.values.filter((v): v is number => v != null && Number.isFinite(v)));
    axes[side] = niceTicks(Math.max(0, ...values));
  }
  const y = (side: "left" | "right", v: number) => margin.top + plotH - (v / axes[side][axes[side].length - 1]) * plotH;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${width}" height="${height}" fill="#fff"/>`);
  out.push(`<text x="${width / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(options.title)}</text>`);
  // Grid and tick labels; grid lines follow the left axis.
  for (const tick of axes.left) {
    const ty = y("left", tick);
    out.push(`<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${ty}" y2="${ty}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${margin.left - 8}" y="${ty + 4}" text-anchor="end">${fmt(tick)}</text>`);
  }
  for (const tick of axes.right) {
    out.push(`<text x="${margin.left + plotW + 8}" y="${y("right", tick) + 4}">${fmt(tick)}</text>`);
  }
  options.categories.forEach((category, i) => {
    out.push(`<line x1="${x(i)}" x2="${x(i)}" y1="${margin.top + plotH}" y2="${margin.top + plotH + 5}" stroke="#333"/>`);
    out.push(`<text x="${x(i)}" y="${margin.top + plotH + 20}" text-anchor="middle">${escapeXml(String(category))}</text>`);
  });
  out.push(`<rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`);
  out.push(`<text x="${margin.left + plotW / 2}" y="${margin.top + plotH + 40}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`);
  const midY = margin.top + plotH / 2;
  out.push(`<text transform="translate(20 ${midY}) rotate(-90)" text-anchor="middle">${escapeXml(options.leftLabel)}</text>`);
  out.push(`<text transform="translate(${width - 16} ${midY}) rotate(90)" text-anchor="middle">${escapeXml(options.rightLabel)}</text>`);
  // Series: a polyline through the known points, a dot on each.
  for (const series of options.series) {
    const points = series.values.flatMap((v, i) => (v != null && Number.isFinite(v) ? [[x(i), y(series.axis, v)] as const] : []));
    const dash = series.dashed ? ` stroke-dasharray="6 4"` : "";
    out.push(`<polyline fill="none" stroke="${series.color}" stroke-width="2"${dash} points="${points.map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`).join(" ")}"/>`);
    for (const [px, py] of points) out.push(`<circle cx="${px.toFixed(1)}" cy="${py.toFixed(1)}" r="3.5" fill="${series.color}"/>`);
  }
  // Legend under the x axis label.
  let lx = margin.left;
  const ly = height - 16;
  for (const series of options.series) {
    const dash = series.dashed ? ` stroke-dasharray="6 4"` : "";
    out.push(`<line x1="${lx}" x2="${lx + 24}" y1="${ly - 4}" y2="${ly - 4}" stroke="${series.color}" stroke-width="2"${dash}/>`);
    out.push(`<text x="${lx + 30}" y="${ly}">${escapeXml(series.label)}</text>`);
    lx += 48 + series.label.length * 6.5;
  }
  out.push(`</svg>`);
  return out.join("\n") + "\n";
}
