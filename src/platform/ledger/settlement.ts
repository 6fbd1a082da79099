/**
 * Settlement: a pending ledger row becomes final exactly once, and the key's reservation turns
 * into the real charge in the same transaction. Both the request's own settle and the orphan
 * sweep update the row only `WHERE status = 'pending'`, so whichever comes second changes nothing
 * — no request is charged twice.
 */
import type { Kysely, Transaction } from "kysely";
import type { FinishReason, GenerationOutcome } from "../../core/events.ts";
import { costMicros } from "../money.ts";
import type { DatabaseSchema } from "../store/schema.ts";
import type { Reservation } from "./admission.ts";
import { dayStart, monthStart } from "./periods.ts";

export type LedgerStatus = "pending" | "completed" | "cancelled" | "failed" | "rejected" | "interrupted";

export interface SettledRow {
  costMicros: number;
  /** False when the row had already been finalized (by the sweep); nothing was changed. */
  applied: boolean;
}

/**
 * Finalizes a request: real tokens (also for cancelled and failed ones — what was generated is
 * billed), real cost, latency, status and finish reason.
 */
export async function settle(db: Kysely<DatabaseSchema>, reservation: Reservation, outcome: GenerationOutcome, now: number): Promise<SettledRow> {
  const { usage } = outcome;
  const hit = Math.min(usage.cachedPromptTokens, usage.promptTokens);
  const miss = usage.promptTokens - hit;
  const cost = costMicros(reservation.price, { cacheHitTokens: hit, cacheMissTokens: miss, outputTokens: usage.completionTokens });
  const applied = await db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable("usage_ledger")
      .set({
        status: outcome.status,
        finish_reason: outcome.finishReason ?? (null as FinishReason | null),
        prompt_cache_hit_tokens: hit,
        prompt_cache_miss_tokens: miss,
        completion_tokens: usage.completionTokens,
        reasoning_tokens: usage.reasoningTokens,
        cost_micros: cost,
        latency_ms: Math.max(0, Math.round(now - reservation.startedAt)),
        settled_at: now,
      })
      .where("id", "=", reservation.id)
      .where("status", "=", "pending")
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) return false;
    if (reservation.keyId) await charge(trx, reservation.keyId, reservation.reservedMicros, cost, now);
    return true;
  });
  return { costMicros: cost, applied };
}

/**
 * Releases a reservation and charges `cost`: from the balance (which may go below zero by as much
 * as the estimate was short — the overshoot is bounded by the requests in flight), and into the
 * day and month spend, starting a new period when the stored one is over.
 */
async function charge(trx: Transaction<DatabaseSchema>, keyId: string, reserved: number, cost: number, now: number): Promise<void> {
  const today = dayStart(now);
  const month = monthStart(now);
  await trx
    .updateTable("api_keys")
    .set((eb) => ({
      reserved_micros: eb("reserved_micros", "-", reserved),
      balance_micros: eb.case().when("balance_micros", "is", null).then(null).else(eb("balance_micros", "-", cost)).end(),
      day_spent_micros: eb.case().when("day_start", "=", today).then(eb("day_spent_micros", "+", cost)).else(cost).end(),
      day_start: today,
      month_spent_micros: eb.case().when("month_start", "=", month).then(eb("month_spent_micros", "+", cost)).else(cost).end(),
      month_start: month,
    }))
    .where("id", "=", keyId)
    .execute();
}

/**
 * Finalizes orphaned pending rows (their server died) as `interrupted`, charging nothing and
 * releasing their reservations. Why zero: how many tokens were generated before the crash is
 * unknown, the client got no complete answer, and the crash was the server's fault; the reserved
 * estimate stays in the row for audit. Returns how many rows were finalized.
 */
export async function sweepOrphans(db: Kysely<DatabaseSchema>, deadInstanceIds: readonly string[], now: number): Promise<number> {
  if (deadInstanceIds.length === 0) return 0;
  const orphans = await db
    .selectFrom("usage_ledger")
    .select(["id", "key_id", "reserved_micros"])
    .where("status", "=", "pending")
    .where("instance_id", "in", deadInstanceIds)
    .execute();
  let swept = 0;
  for (const orphan of orphans) {
    const applied = await db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable("usage_ledger")
        .set({ status: "interrupted", cost_micros: 0, settled_at: now })
        .where("id", "=", orphan.id)
        .where("status", "=", "pending")
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) return false;
      if (orphan.key_id) {
        await trx
          .updateTable("api_keys")
          .set((eb) => ({ reserved_micros: eb("reserved_micros", "-", orphan.reserved_micros) }))
          .where("id", "=", orphan.key_id)
          .execute();
      }
      return true;
    });
    if (applied) swept++;
  }
  return swept;
}
