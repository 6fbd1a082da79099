/**
 * Database faults as client-facing errors. A request that cannot be authorised or recorded is
 * refused (503, retryable) rather than served unbilled; the log gets the real cause. Anything
 * that is not a database fault passes through untouched — a bug stays a 500.
 */
import { SputnikError } from "../../core/errors.ts";
import { faultKind } from "./database.ts";

/** Turns a database failure into a 503 `store_unavailable`; returns anything else as it is. */
export function storeUnavailable(error: unknown): unknown {
  if (error instanceof SputnikError || !isStoreError(error)) return error;
  const code = (error as { code?: unknown }).code;
  console.error(`[sputnik] database error${typeof code === "string" ? ` [${code}]` : ""}:`, (error as Error).message);
  const kind = faultKind(code);
  return new SputnikError(
    kind === "full"
      ? "The server cannot record usage: its disk is full. Try again later."
      : kind === "readonly"
        ? "The server cannot record usage: its database is read-only. Try again later."
        : "The server cannot reach its key and usage store. Try again later.",
    { status: 503, type: "overloaded_error", code: "store_unavailable", retryable: true, headers: { "Retry-After": "5" }, cause: error },
  );
}

/**
 * SQLite errors (`SQLITE_*`), PostgreSQL errors (a 5-character SQLSTATE, or the driver's
 * `DatabaseError`), socket errors (`ECONNREFUSED`…) and the pg pool's connection failures.
 */
function isStoreError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && (/^SQLITE_/.test(code) || /^E[A-Z]+$/.test(code) || /^[0-9A-Z]{5}$/.test(code))) return true;
  return error.name === "DatabaseError" || /Connection terminated|timeout exceeded when trying to connect|connect ECONNREFUSED/i.test(error.message);
}
