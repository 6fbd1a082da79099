/** Where the CLI finds the store: the same flags and environment as `sputnik serve`. */
import { resolveDataDir, type SputnikEnv } from "../../core/config.ts";
import { openDatabase, type SputnikDatabase } from "../store/database.ts";

export interface StoreFlags {
  /** Data directory (env SPUTNIK_HOME, default ~/.sputnik). */
  dataDir?: string;
  /** PostgreSQL URL (env SPUTNIK_DATABASE_URL). */
  databaseUrl?: string;
}

export function openStore(flags: StoreFlags, env: SputnikEnv): Promise<SputnikDatabase> {
  return openDatabase({ dataDir: resolveDataDir(flags.dataDir, env), databaseUrl: flags.databaseUrl ?? (env.SPUTNIK_DATABASE_URL || undefined) });
}

/** Plain aligned columns for the terminal; numbers right-aligned. */
export function renderTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((row) => /^-?[\d.,]+$/.test(row[i]) || row[i] === "-"));
  const line = (cells: string[]) => cells.map((cell, i) => (numeric[i] ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "─".repeat(w))), ...rows.map(line)].join("\n");
}
