/**
 * What `POST /admin/keys` and `sputnik keys create` accept, validated into a `CreateKeyInput`
 * (one schema for both, so the CLI and the API cannot drift apart), and how a key is shown.
 */
import { z } from "zod";
import { invalidRequest } from "../../core/errors.ts";
import { fromZodError } from "../../protocol/openai/zod-error.ts";
import { CURRENCIES, formatAmount, parseAmount } from "../money.ts";
import type { ApiKeyRecord, CreateKeyInput } from "./key-store.ts";

const limit = z.number().int().min(1).max(1_000_000_000).nullable().optional();
const amount = z.union([z.string(), z.number()]).nullable().optional();

export const createKeyBodySchema = z.strictObject({
  // Printable text only: names end up in terminals, CSV files and logs.
  name: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[^\p{Cc}\p{Cf}]*$/u, "must not contain control characters"),
  scopes: z.array(z.enum(["chat", "admin"])).min(1).optional(),
  /** Shorthand for `scopes: ["chat", "admin"]`. */
  admin: z.boolean().optional(),
  rpm: limit,
  tpm: limit,
  max_concurrent: limit,
  currency: z.enum(CURRENCIES).optional(),
  balance: amount,
  daily_budget: amount,
  monthly_budget: amount,
  /** ISO date or date-time; a date means the start of that day, UTC. */
  expires_at: z.string().max(40).nullable().optional(),
});

export type CreateKeyBody = z.input<typeof createKeyBodySchema>;

export function parseCreateKey(body: unknown, now: number): CreateKeyInput {
  const parsed = createKeyBodySchema.safeParse(body);
  if (!parsed.success) throw fromZodError(parsed.error);
  const input = parsed.data;
  const money = (value: string | number | null | undefined, param: string) => (value === undefined || value === null ? null : parseAmount(value, param));
  let expiresAt: number | null = null;
  if (input.expires_at) {
    const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(input.expires_at);
    expiresAt = /^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(input.expires_at)
      ? Date.parse(dateOnly ? `${input.expires_at}T00:00:00Z` : input.expires_at)
      : Number.NaN;
    if (!Number.isFinite(expiresAt)) throw invalidRequest("expires_at must be an ISO date (2026-12-31) or date-time.", "expires_at");
    if (expiresAt <= now) throw invalidRequest("expires_at is in the past.", "expires_at");
  }
  return {
    name: input.name,
    scopes: input.admin ? ["chat", "admin"] : (input.scopes ?? ["chat"]),
    rpm: input.rpm ?? null,
    tpm: input.tpm ?? null,
    maxConcurrent: input.max_concurrent ?? null,
    currency: input.currency ?? "USD",
    balanceMicros: money(input.balance, "balance"),
    dailyBudgetMicros: money(input.daily_budget, "daily_budget"),
    monthlyBudgetMicros: money(input.monthly_budget, "monthly_budget"),
    expiresAt,
  };
}

export interface KeyJson {
  id: string;
  object: "api_key";
  name: string;
  /** The key's first characters; the key itself is only in the creation response. */
  prefix: string;
  scopes: string[];
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  rpm: number | null;
  tpm: number | null;
  max_concurrent: number | null;
  currency: string;
  balance: string | null;
  reserved: string;
  daily_budget: string | null;
  monthly_budget: string | null;
}

export function toKeyJson(key: ApiKeyRecord): KeyJson {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const money = (micros: number | null) => (micros === null ? null : formatAmount(micros));
  return {
    id: key.id,
    object: "api_key",
    name: key.name,
    prefix: key.prefix,
    scopes: key.scopes,
    created_at: new Date(key.createdAt).toISOString(),
    expires_at: iso(key.expiresAt),
    revoked_at: iso(key.revokedAt),
    rpm: key.rpm,
    tpm: key.tpm,
    max_concurrent: key.maxConcurrent,
    currency: key.currency,
    balance: money(key.balanceMicros),
    reserved: formatAmount(key.reservedMicros),
    daily_budget: money(key.dailyBudgetMicros),
    monthly_budget: money(key.monthlyBudgetMicros),
  };
}
