/**
 * API keys in the database: create (the key is returned once), list, revoke, and resolve a
 * presented key into its record. Limits and balances live on the key's row, so every instance
 * sharing the database sees the same ones.
 */
import type { Kysely, Selectable } from "kysely";
import type { Scope } from "../auth/principal.ts";
import type { Currency } from "../money.ts";
import type { ApiKeyTable, DatabaseSchema } from "../store/schema.ts";
import { generateKeyId, generateKeyToken, hashKeyToken, isWellFormedKey, keyPrefix } from "./key-token.ts";

export interface ApiKeyRecord {
  id: string;
  name: string;
  /** `sk-3f9…`: the first characters of the key. */
  prefix: string;
  scopes: Scope[];
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
  rpm: number | null;
  tpm: number | null;
  maxConcurrent: number | null;
  currency: Currency;
  /** Prepaid balance left (micro-units); null = none. */
  balanceMicros: number | null;
  /** Held by requests in flight (micro-units). */
  reservedMicros: number;
  dailyBudgetMicros: number | null;
  monthlyBudgetMicros: number | null;
}

export interface CreateKeyInput {
  name: string;
  /** Defaults to `["chat"]`. */
  scopes?: Scope[];
  rpm?: number | null;
  tpm?: number | null;
  maxConcurrent?: number | null;
  /** Defaults to `USD`. */
  currency?: Currency;
  balanceMicros?: number | null;
  dailyBudgetMicros?: number | null;
  monthlyBudgetMicros?: number | null;
  /** Epoch ms; null = never. */
  expiresAt?: number | null;
}

export interface KeyStoreDeps {
  db: Kysely<DatabaseSchema>;
  /** Clock in epoch ms. Defaults to `Date.now`. */
  now?: () => number;
}

/** Why a presented key was refused; never tells an attacker more than "invalid". */
export type KeyLookup = { ok: true; key: ApiKeyRecord } | { ok: false; reason: "malformed" | "unknown" | "revoked" | "expired" };

export class KeyStore {
  readonly #db: Kysely<DatabaseSchema>;
  readonly #now: () => number;

  constructor(deps: KeyStoreDeps) {
    this.#db = deps.db;
    this.#now = deps.now ?? Date.now;
  }

  /** Creates a key; the returned `token` is the only time the key itself exists outside the caller. */
  async create(input: CreateKeyInput): Promise<{ token: string; key: ApiKeyRecord }> {
    const token = generateKeyToken();
    const row: Selectable<ApiKeyTable> = {
      id: generateKeyId(),
      name: input.name,
      hash: hashKeyToken(token),
      prefix: keyPrefix(token),
      scopes: [...new Set(input.scopes ?? ["chat"])].join(","),
      created_at: this.#now(),
      expires_at: input.expiresAt ?? null,
      revoked_at: null,
      rpm: input.rpm ?? null,
      tpm: input.tpm ?? null,
      max_concurrent: input.maxConcurrent ?? null,
      currency: input.currency ?? "USD",
      balance_micros: input.balanceMicros ?? null,
      reserved_micros: 0,
      daily_budget_micros: input.dailyBudgetMicros ?? null,
      monthly_budget_micros: input.monthlyBudgetMicros ?? null,
      day_start: 0,
      day_spent_micros: 0,
      month_start: 0,
      month_spent_micros: 0,
    };
    await this.#db.insertInto("api_keys").values(row).execute();
    return { token, key: toRecord(row) };
  }

  async list(): Promise<ApiKeyRecord[]> {
    const rows = await this.#db.selectFrom("api_keys").selectAll().orderBy("created_at").orderBy("id").execute();
    return rows.map(toRecord);
  }

  async get(id: string): Promise<ApiKeyRecord | undefined> {
    const row = await this.#db.selectFrom("api_keys").selectAll().where("id", "=", id).executeTakeFirst();
    return row && toRecord(row);
  }

  /** Revokes a key at once for every instance. Returns false when there is no such (unrevoked) key. */
  async revoke(id: string): Promise<boolean> {
    const result = await this.#db.updateTable("api_keys").set({ revoked_at: this.#now() }).where("id", "=", id).where("revoked_at", "is", null).executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /**
   * Whether any key was ever created. Revoked keys count: revoking the last key must not turn a
   * server back into a key-free one.
   */
  async anyExist(): Promise<boolean> {
    const row = await this.#db.selectFrom("api_keys").select("id").limit(1).executeTakeFirst();
    return row !== undefined;
  }

  async lookup(token: string): Promise<KeyLookup> {
    if (!isWellFormedKey(token)) return { ok: false, reason: "malformed" };
    const row = await this.#db.selectFrom("api_keys").selectAll().where("hash", "=", hashKeyToken(token)).executeTakeFirst();
    if (!row) return { ok: false, reason: "unknown" };
    if (row.revoked_at !== null) return { ok: false, reason: "revoked" };
    if (row.expires_at !== null && row.expires_at <= this.#now()) return { ok: false, reason: "expired" };
    return { ok: true, key: toRecord(row) };
  }
}

export function toRecord(row: Selectable<ApiKeyTable>): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes.split(",").filter(Boolean) as Scope[],
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    rpm: row.rpm,
    tpm: row.tpm,
    maxConcurrent: row.max_concurrent,
    currency: row.currency as Currency,
    balanceMicros: row.balance_micros,
    reservedMicros: row.reserved_micros,
    dailyBudgetMicros: row.daily_budget_micros,
    monthlyBudgetMicros: row.monthly_budget_micros,
  };
}
