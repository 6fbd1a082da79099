/**
 * Runs settlements and never loses one: a settle that fails (disk full, database unreachable) is
 * retried with backoff until it succeeds or the server stops, when one last attempt is made. The
 * row stays `pending` meanwhile, owned by this live server, so no peer sweeps it.
 */
import type { Kysely } from "kysely";
import type { GenerationOutcome } from "../../core/events.ts";
import type { DatabaseSchema } from "../store/schema.ts";
import type { Reservation } from "./admission.ts";
import { settle, type SettledRow } from "./settlement.ts";

/** Delays between retries of a failed settle, ms; the last one repeats. */
export const SETTLE_RETRY_DELAYS_MS: readonly number[] = [100, 500, 2000, 5000];
/** Settled ids remembered for `whenSettled` callers that ask late. */
const REMEMBERED = 1000;

export interface SettlementQueueOptions {
  db: Kysely<DatabaseSchema>;
  /** Clock in epoch ms. Defaults to `Date.now`. */
  now?: () => number;
  /** Defaults to `SETTLE_RETRY_DELAYS_MS`. */
  retryDelaysMs?: readonly number[];
}

interface Waiting {
  resolve: (row: SettledRow) => void;
}

export class SettlementQueue {
  readonly #db: Kysely<DatabaseSchema>;
  readonly #now: () => number;
  readonly #delays: readonly number[];
  readonly #inFlight = new Set<Promise<boolean>>();
  readonly #retrying = new Map<string, { reservation: Reservation; outcome: GenerationOutcome; settledAt: number; timer: NodeJS.Timeout }>();
  readonly #settled = new Map<string, SettledRow>();
  readonly #waiting = new Map<string, Waiting[]>();

  constructor(options: SettlementQueueOptions) {
    this.#db = options.db;
    this.#now = options.now ?? Date.now;
    this.#delays = options.retryDelaysMs ?? SETTLE_RETRY_DELAYS_MS;
  }

  /** Settles now; on failure keeps retrying in the background. Never rejects. */
  settle(reservation: Reservation, outcome: GenerationOutcome): Promise<boolean> {
    return this.#attempt(reservation, outcome, this.#now(), 0, true);
  }

  /** Resolves once the row `id` is settled by this server (for tests and observers; no polling). */
  whenSettled(id: string): Promise<SettledRow> {
    const done = this.#settled.get(id);
    if (done) return Promise.resolve(done);
    return new Promise((resolve) => this.#waiting.set(id, [...(this.#waiting.get(id) ?? []), { resolve }]));
  }

  /**
   * Resolves when every settlement started so far has finished its current attempt. A hook's
   * settle starts before the response is sent, so after a response this waits for its row.
   */
  async drain(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all(this.#inFlight);
  }

  /** Settlements still waiting for a retry. */
  get backlog(): number {
    return this.#retrying.size;
  }

  /** Waits for running settlements and tries every retrying one once more (at shutdown). */
  async flush(): Promise<void> {
    await Promise.all(this.#inFlight);
    const pending = [...this.#retrying.entries()];
    for (const [id, entry] of pending) {
      clearTimeout(entry.timer);
      this.#retrying.delete(id);
    }
    const results = await Promise.all(pending.map(([, entry]) => this.#attempt(entry.reservation, entry.outcome, entry.settledAt, 0, false)));
    const lost = results.filter((ok) => !ok).length;
    if (lost > 0) {
      console.error(`[sputnik] ${lost} ledger row(s) could not be settled before stopping; they stay pending and are finalized as interrupted at the next start`);
    }
  }

  /** Resolves true when settled; on failure schedules a retry when `retry`, and resolves false. */
  #attempt(reservation: Reservation, outcome: GenerationOutcome, settledAt: number, attempt: number, retry: boolean): Promise<boolean> {
    const run = (async () => {
      try {
        const row = await settle(this.#db, reservation, outcome, settledAt);
        this.#remember(reservation.id, row);
        return true;
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        console.error(
          `[sputnik] settling ledger row ${reservation.id} failed${typeof code === "string" ? ` [${code}]` : ""}: ${(error as Error).message}${retry ? "; will retry" : ""}`,
        );
        if (!retry) return false;
        const delay = this.#delays[Math.min(attempt, this.#delays.length - 1)];
        const timer = setTimeout(() => {
          this.#retrying.delete(reservation.id);
          void this.#attempt(reservation, outcome, settledAt, attempt + 1, true);
        }, delay);
        this.#retrying.set(reservation.id, { reservation, outcome, settledAt, timer });
        return false;
      }
    })();
    this.#inFlight.add(run);
    void run.finally(() => this.#inFlight.delete(run));
    return run;
  }

  #remember(id: string, row: SettledRow): void {
    this.#settled.set(id, row);
    if (this.#settled.size > REMEMBERED) this.#settled.delete(this.#settled.keys().next().value as string);
    for (const waiter of this.#waiting.get(id) ?? []) waiter.resolve(row);
    this.#waiting.delete(id);
  }
}
