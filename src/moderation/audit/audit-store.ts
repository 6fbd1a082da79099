/**
 * The moderation audit trail: one row per decision (every rule match, every refused input, every
 * masked outbound request). Rows carry exactly the fields of the admin API and the web page:
 * `{time, requestId, keyId, model, policy, rule, action, excerpt}`.
 */

export interface AuditEntry {
  /** ISO 8601, UTC. */
  time: string;
  requestId: string;
  /** The API key id; null for key-free (local) use. */
  keyId: string | null;
  model: string;
  policy: string;
  rule: string;
  /** `allow` | `annotate` | `redact` | `block` | `mask` (privacy shield). */
  action: string;
  /** The matched text — kept, hashed (`sha256:…`) or dropped (null) per `audit.excerpt`. */
  excerpt: string | null;
}

export interface AuditQuery {
  /** Inclusive lower bound. */
  from?: Date;
  /** Exclusive upper bound. */
  to?: Date;
  /** Most rows returned, newest first. Defaults to all. */
  limit?: number;
  keyId?: string;
}

export interface AuditStore {
  append(entries: readonly AuditEntry[]): Promise<void>;
  /** Rows in the time range, newest first. */
  list(query?: AuditQuery): Promise<AuditEntry[]>;
  /** Deletes rows older than `time`; resolves to how many. */
  deleteBefore(time: Date): Promise<number>;
  /** Deletes every row of one key — null: the key-free (local) rows (`DELETE /api/me/data`); resolves to how many. */
  deleteForKey(keyId: string | null): Promise<number>;
}

/** Keeps the trail in memory: for servers without a database, and for tests. */
export class MemoryAuditStore implements AuditStore {
  readonly #rows: AuditEntry[] = [];

  async append(entries: readonly AuditEntry[]): Promise<void> {
    this.#rows.push(...entries.map((e) => ({ ...e })));
  }

  async list(query: AuditQuery = {}): Promise<AuditEntry[]> {
    const rows = this.#rows
      .filter((row) => inRange(row, query) && (query.keyId === undefined || row.keyId === query.keyId))
      .map((row) => ({ ...row }))
      .reverse();
    return query.limit === undefined ? rows : rows.slice(0, query.limit);
  }

  async deleteBefore(time: Date): Promise<number> {
    return this.#removeWhere((row) => Date.parse(row.time) < time.getTime());
  }

  async deleteForKey(keyId: string | null): Promise<number> {
    return this.#removeWhere((row) => row.keyId === keyId);
  }

  #removeWhere(predicate: (row: AuditEntry) => boolean): number {
    const before = this.#rows.length;
    const kept = this.#rows.filter((row) => !predicate(row));
    this.#rows.splice(0, this.#rows.length, ...kept);
    return before - kept.length;
  }
}

function inRange(row: AuditEntry, query: AuditQuery): boolean {
  const t = Date.parse(row.time);
  return (!query.from || t >= query.from.getTime()) && (!query.to || t < query.to.getTime());
}
