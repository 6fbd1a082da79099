/** The audit trail as CSV (RFC 4180), for `GET /admin/audit?format=csv` and exports. */
import type { AuditEntry } from "./audit-store.ts";

export const AUDIT_COLUMNS = ["time", "requestId", "keyId", "model", "policy", "rule", "action", "excerpt"] as const satisfies ReadonlyArray<keyof AuditEntry>;

export function toAuditCsv(rows: readonly AuditEntry[]): string {
  const lines = [AUDIT_COLUMNS.join(",")];
  for (const row of rows) lines.push(AUDIT_COLUMNS.map((column) => csvCell(row[column])).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

function csvCell(value: string | null): string {
  if (value === null) return "";
  // A leading = + - @ makes spreadsheets evaluate the cell as a formula: matched text is untrusted.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
