/**
 * Every table Sputnik keeps, as Kysely table interfaces: the one typed view of the database that
 * both dialects (SQLite, PostgreSQL) share.
 *
 * Conventions (portable across both dialects, so no dialect-specific types leak into queries):
 * - Timestamps are epoch milliseconds in BIGINT columns (`…_at`), always UTC. Integers sort,
 *   compare and bucket (`floor(at / 86400000)`) the same in SQLite and PostgreSQL, where ISO
 *   strings or `timestamptz` would not.
 * - Money is an integer number of micro-units (1e-6 of a yuan or dollar) in BIGINT columns
 *   (`…_micros`), never floats. BIGINT comes back as a JS number (the PostgreSQL pool is told to
 *   parse int8); 2^53 micro-units is 9 billion currency units, far beyond any balance here.
 * - Booleans are 0/1 integers; lists are comma-separated text (`scopes`).
 *
 * To add a table: write its interface here (or in your own module) and add it to
 * `DatabaseSchema` — or merge it in from elsewhere:
 *
 * ```ts
 * declare module "../platform/store/schema.ts" {
 *   interface DatabaseSchema { conversations: ConversationTable }
 * }
 * ```
 *
 * and add a migration to `migrations/index.ts` under your own prefix (`0100_…`, `0200_…`).
 */
import type { Generated } from "kysely";

/** API keys. Only the SHA-256 of a key is stored; the key itself is shown once at creation. */
export interface ApiKeyTable {
  /** Public id (`key_…`), safe to show and log. */
  id: string;
  name: string;
  /** Hex SHA-256 of the full key (`sk-…`). */
  hash: string;
  /** The first characters of the key, to recognise it in lists (`sk-3f9a…`). */
  prefix: string;
  /** Comma-separated scopes: `chat`, `admin`. */
  scopes: string;
  created_at: number;
  /** Null: never expires. */
  expires_at: number | null;
  revoked_at: number | null;
  /** Requests per minute; null = unlimited. */
  rpm: number | null;
  /** Tokens per minute (prompt + completion); null = unlimited. */
  tpm: number | null;
  /** Requests in flight at once; null = unlimited. */
  max_concurrent: number | null;
  /** `USD` or `CNY`: the currency of the balance and budgets. */
  currency: string;
  /** Prepaid balance left; null = no prepaid balance (pay-as-you-go, or free). */
  balance_micros: number | null;
  /** Sum of the reservations of this key's requests in flight. */
  reserved_micros: number;
  /** Most the key may spend per UTC day / month; null = no budget. */
  daily_budget_micros: number | null;
  monthly_budget_micros: number | null;
  /** Spend in the UTC day / month that starts at `day_start` / `month_start` (epoch ms). */
  day_start: number;
  day_spent_micros: number;
  month_start: number;
  month_spent_micros: number;
}

/**
 * One row per request. Written as `pending` (with its reservation) before the request queues,
 * and finalized exactly once — by the request itself, or by the start-up sweep as `interrupted`.
 */
export interface UsageLedgerTable {
  /** The response id (`chatcmpl-…`, `cmpl-…`). */
  id: string;
  /** Null: a key-free (local) request. */
  key_id: string | null;
  model: string;
  /** `pending` | `completed` | `cancelled` | `failed` | `rejected` | `interrupted`. */
  status: string;
  finish_reason: string | null;
  prompt_cache_hit_tokens: number;
  prompt_cache_miss_tokens: number;
  completion_tokens: number;
  reasoning_tokens: number;
  /** Prompt + max_tokens estimate used for the reservation and for tokens-per-minute while pending. */
  estimated_tokens: number;
  /** What was held against the key's balance while the request ran. */
  reserved_micros: number;
  cost_micros: number;
  /** Currency of `cost_micros` (the model's price currency). */
  currency: string;
  /** ms from begin to settle. */
  latency_ms: number | null;
  created_at: number;
  settled_at: number | null;
  /** The server process that owns the row while it is pending. */
  instance_id: string;
}

/** Live server processes, so a restart (or a peer) can tell which pending rows are orphans. */
export interface InstanceTable {
  id: string;
  hostname: string;
  pid: number;
  started_at: number;
  heartbeat_at: number;
}

/** Web app: one chat per row, owned by an API key id (or `local` when auth is off). */
export interface ConversationTable {
  id: string;
  /** The owning key's id, or `local` for key-free (auth off) use. */
  owner: string;
  title: string;
  /** The model last chosen in this conversation; null = the server's first model. */
  model: string | null;
  system_prompt: string;
  /** JSON: the conversation's sampling settings (`SamplingSettings` in src/webapp/conversations/wire.ts). */
  settings: string;
  /** The last message of the branch shown; null for an empty conversation. */
  current_leaf_id: string | null;
  created_at: number;
  updated_at: number;
}

/** Web app: the messages of a conversation as a tree (an edit or a regeneration adds a sibling). */
export interface ConversationMessageTable {
  id: string;
  conversation_id: string;
  /** Null for a first message; siblings (same parent) are branches. */
  parent_id: string | null;
  /** `user` | `assistant`. */
  role: string;
  content: string;
  reasoning_content: string | null;
  model: string | null;
  /** JSON: usage, timings, cost and how the answer ended (`AnswerDetails`). */
  details: string | null;
  created_at: number;
}

/** The whole database. Extend it (see the comment at the top) when you add a table. */
export interface DatabaseSchema {
  api_keys: ApiKeyTable;
  usage_ledger: UsageLedgerTable;
  instances: InstanceTable;
  conversations: ConversationTable;
  conversation_messages: ConversationMessageTable;
}

/** Marks a column the database fills in (serial ids); re-exported so other tables need not import kysely. */
export type { Generated };
