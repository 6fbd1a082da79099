/**
 * Data controls: the periodic retention job (conversations, ledger details, audit entries older
 * than the policy file's `retention` days are deleted) and the deletions behind
 * `DELETE /api/me/data`. Conversations are the web app's tables (`0100_conversations`) and ledger
 * rows the platform's (`usage_ledger`); only deletion by age or owner is done here.
 */
import type { Kysely } from "kysely";
import type { DatabaseSchema } from "../platform/store/schema.ts";
import type { RetentionConfig } from "./policy/policy-schema.ts";

const DAY_MS = 86_400_000;

/** Deletes every conversation (and its messages) of one owner — an API key id, or `local`. */
export async function deleteConversationsOf(db: Kysely<DatabaseSchema>, owner: string): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const ids = trx.selectFrom("conversations").select("id").where("owner", "=", owner);
    await trx.deleteFrom("conversation_messages").where("conversation_id", "in", ids).execute();
    const result = await trx.deleteFrom("conversations").where("owner", "=", owner).executeTakeFirst();
    return Number(result.numDeletedRows);
  });
}

/** Deletes conversations not touched since `cutoff` (by `updated_at`), with their messages. */
export async function purgeConversationsBefore(db: Kysely<DatabaseSchema>, cutoff: Date): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const ids = trx.selectFrom("conversations").select("id").where("updated_at", "<", cutoff.getTime());
    await trx.deleteFrom("conversation_messages").where("conversation_id", "in", ids).execute();
    const result = await trx.deleteFrom("conversations").where("updated_at", "<", cutoff.getTime()).executeTakeFirst();
    return Number(result.numDeletedRows);
  });
}

/**
 * Deletes per-request ledger rows created before `cutoff`. Pending rows are left alone (their
 * request may still be running); balances and budgets live on the key and are not touched.
 */
export async function purgeLedgerDetailsBefore(db: Kysely<DatabaseSchema>, cutoff: Date): Promise<number> {
  const result = await db.deleteFrom("usage_ledger").where("created_at", "<", cutoff.getTime()).where("status", "!=", "pending").executeTakeFirst();
  return Number(result.numDeletedRows);
}

export type RetentionTarget = "conversations" | "ledger" | "audit";

export interface RetentionJobDeps {
  /** Deletes rows of one kind older than the cutoff; resolves to how many. Missing kinds are skipped. */
  purge: Partial<Record<RetentionTarget, (cutoff: Date) => Promise<number>>>;
  /** The retention settings in force (read on every run, so a policy reload applies at the next run). */
  settings: () => RetentionConfig;
  /** Clock. Defaults to `() => new Date()`. */
  now?: () => Date;
  /** Timer, injectable so tests drive runs themselves. Defaults to `setTimeout` (unref'd). */
  schedule?: (run: () => void, ms: number) => { cancel(): void };
  /** Defaults to `console.error`. */
  log?: (line: string) => void;
}

const DAYS_SETTING: Record<RetentionTarget, keyof RetentionConfig> = {
  conversations: "conversationDays",
  ledger: "ledgerDays",
  audit: "auditDays",
};

export class RetentionJob {
  readonly #now: () => Date;
  readonly #schedule: NonNullable<RetentionJobDeps["schedule"]>;
  readonly #log: (line: string) => void;
  #timer?: { cancel(): void };
  #disposed = false;

  constructor(private readonly deps: RetentionJobDeps) {
    this.#now = deps.now ?? (() => new Date());
    this.#log = deps.log ?? ((line) => console.error(line));
    this.#schedule =
      deps.schedule ??
      ((run, ms) => {
        const timer = setTimeout(run, ms);
        timer.unref();
        return { cancel: () => clearTimeout(timer) };
      });
  }

  /** One pass: for each kind with a retention period, deletes what is older. Resolves to counts per kind. */
  async runOnce(): Promise<Partial<Record<RetentionTarget, number>>> {
    const settings = this.deps.settings();
    const now = this.#now().getTime();
    const deleted: Partial<Record<RetentionTarget, number>> = {};
    for (const target of Object.keys(DAYS_SETTING) as RetentionTarget[]) {
      const days = settings[DAYS_SETTING[target]];
      const purge = this.deps.purge[target];
      if (days === undefined || !purge) continue;
      try {
        deleted[target] = await purge(new Date(now - days * DAY_MS));
      } catch (error) {
        // One failing kind (a table not there yet) must not stop the others.
        this.#log(`[sputnik] retention: deleting old ${target} failed: ${(error as Error).message}`);
      }
    }
    return deleted;
  }

  /** Runs now and then every `intervalMinutes`. */
  start(): void {
    const tick = () => {
      if (this.#disposed) return;
      void this.runOnce().finally(() => {
        if (!this.#disposed) this.#timer = this.#schedule(tick, this.deps.settings().intervalMinutes * 60_000);
      });
    };
    tick();
  }

  dispose(): void {
    this.#disposed = true;
    this.#timer?.cancel();
  }
}
