/** Markdown helpers shared by the report's sections: number formatting, tables and tallies. */

/** Numbers for tables: "–" for missing, 3 significant digits, whole numbers from 1000. */
export function fmt(value: number | null | undefined, digits = 3): string {
  if (value == null || !Number.isFinite(value)) return "–";
  if (Math.abs(value) >= 10 ** digits) return Math.round(value).toString();
  return Number(value.toPrecision(digits)).toString();
}

/** `{200: 3, 503: 1}` → "200×3 503×1". */
export const codes = (counts: Record<string, number>): string =>
  Object.entries(counts)
    .map(([code, n]) => `${code}×${n}`)
    .join(" ");

export function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}
