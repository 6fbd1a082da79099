/**
 * Everything moderation needs, built once at start-up from `--policy FILE`: the live policy
 * (with reload), the audit trail (in the database when there is one), the generation hook, the
 * admin routes and the retention job. `startServer` creates one and hands it to `createApp`.
 */
import type { Hono } from "hono";
import type { Kysely } from "kysely";
import type { GenerationHook } from "../pipeline/generation-hooks.ts";
import type { ModelRegistry } from "../pipeline/model-registry.ts";
import type { ServedModel } from "../pipeline/served-model.ts";
import type { DatabaseSchema } from "../platform/store/schema.ts";
import { AuditRecorder } from "./audit/audit-recorder.ts";
import { MemoryAuditStore, type AuditStore } from "./audit/audit-store.ts";
import { SqlAuditStore } from "./audit/sql-audit-store.ts";
import { deleteConversationsOf, purgeConversationsBefore, purgeLedgerDetailsBefore, RetentionJob, type RetentionJobDeps } from "./data-controls.ts";
import { moderationHook } from "./moderation-hook.ts";
import { moderationRoutes } from "./moderation-routes.ts";
import type { CompiledPolicySet } from "./policy/compile-policy.ts";
import { PolicySource } from "./policy/policy-source.ts";
import { textForStorage } from "./stored-text.ts";

export interface ModerationServiceOptions {
  /** The policy file (`--policy`). Undefined: no policy, nothing is checked or recorded. */
  policyFile?: string;
  /** Reload the policy when its file changes. Defaults to true when a file is given. */
  watch?: boolean;
  /** Served models, for judges. */
  models: ModelRegistry;
  /** Sputnik's database. Without one the audit trail lives in memory and retention covers only it. */
  db?: Kysely<DatabaseSchema>;
  /** Whether a model's requests leave the machine (see `ModerationHookDeps.isRemote`). */
  isRemote?: (model: ServedModel) => boolean;
  /** Wall clock. Defaults to `() => new Date()`. */
  now?: () => Date;
  /** Timer of the retention job; tests inject one. Defaults to `setTimeout`. */
  schedule?: RetentionJobDeps["schedule"];
  /** Defaults to `console.error`. */
  log?: (line: string) => void;
}

export class ModerationService {
  readonly hook: GenerationHook;
  readonly recorder: AuditRecorder;
  readonly retention: RetentionJob;
  #disposed = false;

  private constructor(
    readonly policies: PolicySource,
    store: AuditStore,
    private readonly options: ModerationServiceOptions,
  ) {
    this.recorder = new AuditRecorder(store, { log: options.log });
    this.hook = moderationHook({ policies, recorder: this.recorder, models: options.models, isRemote: options.isRemote, now: options.now });
    const db = options.db;
    this.retention = new RetentionJob({
      settings: () => this.policies.current.retention,
      now: options.now,
      schedule: options.schedule,
      log: options.log,
      purge: {
        audit: (cutoff) => store.deleteBefore(cutoff),
        ...(db && { conversations: (cutoff: Date) => purgeConversationsBefore(db, cutoff), ledger: (cutoff: Date) => purgeLedgerDetailsBefore(db, cutoff) }),
      },
    });
  }

  /**
   * Loads the policy file (a bad file is an error here: the server must not start with a policy
   * other than the one asked for) and starts the retention job.
   */
  static async create(options: ModerationServiceOptions): Promise<ModerationService> {
    const policies = await PolicySource.open(options.policyFile, { watch: options.watch ?? options.policyFile !== undefined, log: options.log });
    const store = options.db ? new SqlAuditStore(options.db) : new MemoryAuditStore();
    const service = new ModerationService(policies, store, options);
    service.retention.start();
    return service;
  }

  /** A service over a fixed, already compiled policy set (tests, embedding). */
  static fixed(policy: CompiledPolicySet, options: Omit<ModerationServiceOptions, "policyFile" | "watch">): ModerationService {
    const store = options.db ? new SqlAuditStore(options.db) : new MemoryAuditStore();
    return new ModerationService(PolicySource.fixed(policy), store, options);
  }

  /** `/admin/audit`, `/admin/policies[/reload]`, `DELETE /api/me/data`. */
  routes(): Hono {
    const db = this.options.db;
    return moderationRoutes({
      policies: this.policies,
      recorder: this.recorder,
      deleteConversations: db && ((owner) => deleteConversationsOf(db, owner)),
    });
  }

  /**
   * The text to store for a conversation message: private data masked by kind (`[EMAIL]`) when
   * the policy file says `privacy.conversations: mask`, else the text unchanged. For the web app.
   */
  textForStorage(text: string): string {
    return textForStorage(text, this.policies.current);
  }

  /** Stops the file watch and the retention job; waits for pending audit writes. Idempotent. */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    this.policies.dispose();
    this.retention.dispose();
    await this.recorder.idle();
  }
}
