/**
 * Which servers are alive, so pending ledger rows whose server died (SIGKILL, power loss) are
 * finalized — at start-up by the restarted server, or later by any live peer sharing the database.
 *
 * A server is dead when its heartbeat is older than `staleMs`, or at once when it ran on this host
 * and its process id no longer exists (a restart after a crash recovers immediately). The pid test
 * assumes one hostname per process namespace, as on a plain host or a container with its own name.
 */
import { randomUUID } from "node:crypto";
import os from "node:os";
import type { Kysely } from "kysely";
import type { DatabaseSchema } from "../store/schema.ts";
import { sweepOrphans } from "./settlement.ts";

/** How often a server proves it is alive (and looks for dead peers), ms. */
export const HEARTBEAT_MS = 10_000;
/** A heartbeat older than this marks a server on another host dead, ms. */
export const STALE_AFTER_MS = 60_000;

export interface InstanceRegistryOptions {
  db: Kysely<DatabaseSchema>;
  /** Clock in epoch ms. Defaults to `Date.now`. */
  now?: () => number;
  /** Defaults to `HEARTBEAT_MS`; 0 disables the timer (tests call `heartbeat()`). */
  heartbeatMs?: number;
  /** Defaults to `STALE_AFTER_MS`. */
  staleAfterMs?: number;
}

export class InstanceRegistry {
  readonly id = randomUUID();
  readonly #db: Kysely<DatabaseSchema>;
  readonly #now: () => number;
  readonly #heartbeatMs: number;
  readonly #staleAfterMs: number;
  readonly #hostname = os.hostname();
  #timer: NodeJS.Timeout | undefined;
  #beating: Promise<unknown> = Promise.resolve();

  constructor(options: InstanceRegistryOptions) {
    this.#db = options.db;
    this.#now = options.now ?? Date.now;
    this.#heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
    this.#staleAfterMs = options.staleAfterMs ?? STALE_AFTER_MS;
  }

  /** Registers this server and finalizes the rows of dead ones. Returns how many rows were swept. */
  async start(): Promise<number> {
    const now = this.#now();
    await this.#db.insertInto("instances").values({ id: this.id, hostname: this.#hostname, pid: process.pid, started_at: now, heartbeat_at: now }).execute();
    const swept = await this.recover();
    if (this.#heartbeatMs > 0) {
      this.#timer = setInterval(() => {
        this.#beating = this.heartbeat().catch((error: unknown) => console.error("[sputnik] heartbeat failed:", (error as Error).message));
      }, this.#heartbeatMs);
      this.#timer.unref();
    }
    return swept;
  }

  async heartbeat(): Promise<number> {
    await this.#db.updateTable("instances").set({ heartbeat_at: this.#now() }).where("id", "=", this.id).execute();
    return this.recover();
  }

  /** Finalizes pending rows owned by dead servers as `interrupted`; forgets those servers. */
  async recover(): Promise<number> {
    const now = this.#now();
    const owners = await this.#db
      .selectFrom("usage_ledger")
      .select("instance_id")
      .distinct()
      .where("status", "=", "pending")
      .where("instance_id", "!=", this.id)
      .execute();
    const instances = await this.#db.selectFrom("instances").selectAll().where("id", "!=", this.id).execute();
    const known = new Map(instances.map((instance) => [instance.id, instance]));
    const dead = new Set<string>();
    for (const { instance_id } of owners) {
      const instance = known.get(instance_id);
      if (!instance || this.#isDead(instance, now)) dead.add(instance_id);
    }
    for (const instance of instances) if (this.#isDead(instance, now)) dead.add(instance.id);
    const swept = await sweepOrphans(this.#db, [...dead], now);
    if (dead.size > 0) await this.#db.deleteFrom("instances").where("id", "in", [...dead]).execute();
    if (swept > 0) console.error(`[sputnik] finalized ${swept} ledger row(s) left pending by stopped servers as interrupted (charged nothing)`);
    return swept;
  }

  /** Stops the heartbeat and removes this server's row. Idempotent. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#beating;
    await this.#db.deleteFrom("instances").where("id", "=", this.id).execute();
  }

  #isDead(instance: { hostname: string; pid: number; heartbeat_at: number }, now: number): boolean {
    if (now - instance.heartbeat_at > this.#staleAfterMs) return true;
    return instance.hostname === this.#hostname && !processExists(instance.pid);
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
