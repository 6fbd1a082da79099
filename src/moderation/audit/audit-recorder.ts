/**
 * Writes decisions to the audit store without holding up the stream: appends are queued and
 * chained, a failing write is logged (never fails the request), and `idle()` lets the admin API
 * and tests wait until everything recorded so far is stored.
 */
import type { AuditEntry, AuditStore } from "./audit-store.ts";

export interface AuditRecorderOptions {
  /** Defaults to `console.error`. */
  log?: (line: string) => void;
}

export class AuditRecorder {
  #tail: Promise<void> = Promise.resolve();
  readonly #log: (line: string) => void;

  constructor(
    readonly store: AuditStore,
    options: AuditRecorderOptions = {},
  ) {
    this.#log = options.log ?? ((line) => console.error(line));
  }

  record(entries: readonly AuditEntry[]): void {
    if (entries.length === 0) return;
    this.#tail = this.#tail.then(() =>
      this.store.append(entries).catch((error: unknown) => this.#log(`[sputnik] audit log write failed: ${(error as Error).message}`)),
    );
  }

  /** Resolves once every entry recorded before the call is stored (or its failure logged). */
  idle(): Promise<void> {
    return this.#tail;
  }
}
