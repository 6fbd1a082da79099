/**
 * Admission: everything decided before a request queues, in one transaction per request with the
 * key's row locked — so concurrent requests of one key (in this process or in another instance
 * sharing PostgreSQL) are checked one after another and limits are exact:
 *
 * 1. the key is still valid (not revoked or expired since authentication);
 * 2. max concurrent requests (pending ledger rows), requests and tokens per minute (ledger rows in
 *    the last 60 s; a pending row counts its estimate, a settled one its real tokens);
 * 3. balance and daily/monthly budgets can hold the reservation — prompt estimate at the
 *    cache-miss price plus max_tokens at the output price — which is then held on the key;
 * 4. a `pending` ledger row records the reservation, so a crash can never lose track of it.
 *
 * The lock is a no-op `UPDATE` of the key's row (portable: a row lock in PostgreSQL, the write lock
 * in SQLite), taken before any read so no two admissions read the same state.
 */
import { sql, type Kysely, type Transaction } from "kysely";
import { SputnikError } from "../../core/errors.ts";
import type { ApiKeyRecord } from "../keys/key-store.ts";
import { costMicros, formatAmount, type ModelPrice } from "../money.ts";
import type { DatabaseSchema } from "../store/schema.ts";
import { dayStart, monthStart, WINDOW_MS } from "./periods.ts";

export interface AdmissionRequest {
  /** The response id; becomes the ledger row's id. */
  id: string;
  /** Null for key-free (local) requests: recorded, never limited. */
  key: ApiKeyRecord | null;
  model: string;
  price: ModelPrice;
  /** Upper-bound-ish estimates used for the reservation and the token window. */
  estimatedPromptTokens: number;
  maxOutputTokens: number;
  instanceId: string;
  now: number;
}

export interface Reservation {
  id: string;
  keyId: string | null;
  price: ModelPrice;
  reservedMicros: number;
  startedAt: number;
  /** `x-ratelimit-*` headers for the response (empty without limits). */
  rateLimitHeaders: Record<string, string>;
}

export async function admit(db: Kysely<DatabaseSchema>, request: AdmissionRequest): Promise<Reservation> {
  const estimatedTokens = request.estimatedPromptTokens + request.maxOutputTokens;
  const reservedMicros = costMicros(request.price, { cacheHitTokens: 0, cacheMissTokens: request.estimatedPromptTokens, outputTokens: request.maxOutputTokens });
  const { key } = request;
  const headers = await db.transaction().execute(async (trx) => {
    let rateLimitHeaders: Record<string, string> = {};
    if (key) {
      await trx.updateTable("api_keys").set({ id: sql`id` }).where("id", "=", key.id).execute();
      rateLimitHeaders = await checkAndReserve(trx, key.id, request, estimatedTokens, reservedMicros);
    }
    await trx
      .insertInto("usage_ledger")
      .values({
        id: request.id,
        key_id: key?.id ?? null,
        model: request.model,
        status: "pending",
        finish_reason: null,
        prompt_cache_hit_tokens: 0,
        prompt_cache_miss_tokens: 0,
        completion_tokens: 0,
        reasoning_tokens: 0,
        latency_ms: null,
        settled_at: null,
        estimated_tokens: estimatedTokens,
        reserved_micros: key ? reservedMicros : 0,
        cost_micros: 0,
        currency: request.price.currency,
        created_at: request.now,
        instance_id: request.instanceId,
      })
      .execute();
    return rateLimitHeaders;
  });
  return { id: request.id, keyId: key?.id ?? null, price: request.price, reservedMicros: key ? reservedMicros : 0, startedAt: request.now, rateLimitHeaders: headers };
}

async function checkAndReserve(
  trx: Transaction<DatabaseSchema>,
  keyId: string,
  request: AdmissionRequest,
  estimatedTokens: number,
  reservedMicros: number,
): Promise<Record<string, string>> {
  const { now } = request;
  const row = await trx.selectFrom("api_keys").selectAll().where("id", "=", keyId).executeTakeFirst();
  if (!row || row.revoked_at !== null || (row.expires_at !== null && row.expires_at <= now)) {
    throw new SputnikError("This API key is no longer valid.", { status: 401, type: "authentication_error", code: "invalid_api_key" });
  }

  if (row.max_concurrent !== null) {
    const inFlight = await trx
      .selectFrom("usage_ledger")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("key_id", "=", keyId)
      .where("status", "=", "pending")
      .executeTakeFirstOrThrow();
    if (Number(inFlight.n) >= row.max_concurrent) {
      throw rateLimited(`This key already has ${row.max_concurrent} requests in flight (its max_concurrent limit).`, "concurrency_limit_exceeded", 1, {});
    }
  }

  const headers: Record<string, string> = {};
  if (row.rpm !== null || row.tpm !== null) {
    const windowStart = now - WINDOW_MS;
    const recent = await trx
      .selectFrom("usage_ledger")
      .select((eb) => [
        eb.fn.countAll<number>().as("requests"),
        sql<number>`cast(coalesce(sum(case when status = 'pending' then estimated_tokens else prompt_cache_hit_tokens + prompt_cache_miss_tokens + completion_tokens end), 0) as bigint)`.as(
          "tokens",
        ),
        eb.fn.min<number>("created_at").as("oldest"),
      ])
      .where("key_id", "=", keyId)
      .where("created_at", ">", windowStart)
      .executeTakeFirstOrThrow();
    const requests = Number(recent.requests);
    const tokens = Number(recent.tokens);
    // The window frees capacity when its oldest row leaves it.
    const resetMs = recent.oldest === null ? WINDOW_MS : Number(recent.oldest) + WINDOW_MS - now;
    const retryAfter = Math.max(1, Math.ceil(resetMs / 1000));
    if (row.rpm !== null) {
      Object.assign(headers, {
        "x-ratelimit-limit-requests": String(row.rpm),
        "x-ratelimit-remaining-requests": String(Math.max(0, row.rpm - requests - 1)),
        "x-ratelimit-reset-requests": `${retryAfter}s`,
      });
      if (requests >= row.rpm) {
        throw rateLimited(`Rate limit reached: ${row.rpm} requests per minute for this key.`, "rate_limit_exceeded", retryAfter, headers);
      }
    }
    if (row.tpm !== null) {
      Object.assign(headers, {
        "x-ratelimit-limit-tokens": String(row.tpm),
        "x-ratelimit-remaining-tokens": String(Math.max(0, row.tpm - tokens - estimatedTokens)),
        "x-ratelimit-reset-tokens": `${retryAfter}s`,
      });
      if (estimatedTokens > row.tpm) {
        // Waiting would never help: say so rather than send the client into a retry loop.
        throw rateLimited(
          `This request may use ${estimatedTokens} tokens (prompt + max_tokens), more than this key's ${row.tpm} tokens per minute. Lower max_tokens.`,
          "tokens_exceed_limit",
          retryAfter,
          headers,
        );
      }
      if (tokens + estimatedTokens > row.tpm) {
        throw rateLimited(`Rate limit reached: ${row.tpm} tokens per minute for this key (${tokens} used in the last minute).`, "rate_limit_exceeded", retryAfter, headers);
      }
    }
  }

  const priced = reservedMicros > 0;
  const limitedMoney = row.balance_micros !== null || row.daily_budget_micros !== null || row.monthly_budget_micros !== null;
  if (priced && limitedMoney && row.currency !== request.price.currency) {
    throw insufficient(
      `Model ${request.model} is priced in ${request.price.currency}, but this key's balance and budgets are in ${row.currency}.`,
      "currency_mismatch",
    );
  }
  const today = dayStart(now);
  const month = monthStart(now);
  const daySpent = row.day_start === today ? row.day_spent_micros : 0;
  const monthSpent = row.month_start === month ? row.month_spent_micros : 0;
  if (row.balance_micros !== null && row.balance_micros - row.reserved_micros < reservedMicros) {
    throw insufficient(
      `Insufficient balance: this request may cost up to ${formatAmount(reservedMicros)} ${row.currency} (prompt + max_tokens), ` +
        `and ${formatAmount(Math.max(0, row.balance_micros - row.reserved_micros))} ${row.currency} is available.`,
      "insufficient_balance",
    );
  }
  if (row.daily_budget_micros !== null && daySpent + row.reserved_micros + reservedMicros > row.daily_budget_micros) {
    throw insufficient(`Daily budget of ${formatAmount(row.daily_budget_micros)} ${row.currency} reached for this key.`, "daily_budget_exceeded");
  }
  if (row.monthly_budget_micros !== null && monthSpent + row.reserved_micros + reservedMicros > row.monthly_budget_micros) {
    throw insufficient(`Monthly budget of ${formatAmount(row.monthly_budget_micros)} ${row.currency} reached for this key.`, "monthly_budget_exceeded");
  }
  // The balance condition is repeated in the UPDATE itself: even without the row lock, the
  // reservation could not take the balance below zero.
  const updated = await trx
    .updateTable("api_keys")
    .set((eb) => ({ reserved_micros: eb("reserved_micros", "+", reservedMicros) }))
    .where("id", "=", keyId)
    .where((eb) => eb.or([eb("balance_micros", "is", null), eb(eb("balance_micros", "-", eb.ref("reserved_micros")), ">=", reservedMicros)]))
    .executeTakeFirst();
  if (updated.numUpdatedRows === 0n) throw insufficient("Insufficient balance.", "insufficient_balance");
  return headers;
}

function rateLimited(message: string, code: string, retryAfterSeconds: number, headers: Record<string, string>): SputnikError {
  return new SputnikError(message, {
    status: 429,
    type: "rate_limit_error",
    code,
    retryable: true,
    headers: { ...headers, "Retry-After": String(retryAfterSeconds) },
  });
}

/** DeepSeek answers 402 "Insufficient Balance"; budgets use the same status with their own code. */
function insufficient(message: string, code: string): SputnikError {
  return new SputnikError(message, { status: 402, type: "insufficient_balance", code });
}
