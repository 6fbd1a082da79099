/**
 * The platform assembled: keys, limits, prices and the usage ledger over one database. `app.ts`
 * mounts its `authenticate` middleware before every route, its `hook` first among the generation
 * hooks, and its `routes` (`/admin/*`, `/user/balance`).
 */
import type { Hono, MiddlewareHandler } from "hono";
import type { GenerationHook } from "../pipeline/generation-hooks.ts";
import { authenticate, type AuthMode } from "./auth/authenticate.ts";
import { platformRoutes } from "./http/platform-routes.ts";
import { KeyStore } from "./keys/key-store.ts";
import { InstanceRegistry } from "./ledger/instance-registry.ts";
import { SettlementQueue } from "./ledger/settlement-queue.ts";
import { platformHook } from "./platform-hook.ts";
import { PriceTable } from "./prices/price-table.ts";
import { openDatabase, type SputnikDatabase } from "./store/database.ts";

export interface PlatformOptions {
  /** Data directory (the SQLite file lives here). */
  dataDir: string;
  /** PostgreSQL URL; SQLite in `dataDir` when absent. */
  databaseUrl?: string;
  /** See `AuthMode`. Defaults to `auto`. */
  auth?: AuthMode;
  /** Defaults to an empty table (every model free). */
  prices?: PriceTable;
  /** Clock in epoch ms. Defaults to `Date.now`. */
  now?: () => number;
  /** Heartbeat period, ms; 0 disables the timer. Defaults to `HEARTBEAT_MS`. */
  heartbeatMs?: number;
  /** Retry delays for failed settlements, ms. */
  settleRetryDelaysMs?: readonly number[];
}

export interface Platform extends AsyncDisposable {
  readonly database: SputnikDatabase;
  readonly keys: KeyStore;
  readonly prices: PriceTable;
  readonly settlements: SettlementQueue;
  readonly instance: InstanceRegistry;
  readonly auth: AuthMode;
  /** Sets `c.get("principal")`; answers 401/403 itself. Mount before every route. */
  readonly authenticate: MiddlewareHandler;
  readonly hook: GenerationHook;
  readonly routes: Hono;
  /** Flushes settlements, stops the heartbeat, closes the database. Idempotent; call after the HTTP server closed. */
  dispose(): Promise<void>;
}

export async function createPlatform(options: PlatformOptions): Promise<Platform> {
  const database = await openDatabase({ dataDir: options.dataDir, databaseUrl: options.databaseUrl });
  const { db } = database;
  const now = options.now ?? Date.now;
  const instance = new InstanceRegistry({ db, now, heartbeatMs: options.heartbeatMs });
  try {
    await instance.start();
  } catch (error) {
    await database.destroy();
    throw error;
  }
  const keys = new KeyStore({ db, now });
  const prices = options.prices ?? new PriceTable();
  const settlements = new SettlementQueue({ db, now, retryDelaysMs: options.settleRetryDelaysMs });
  const auth = options.auth ?? "auto";
  let disposing: Promise<void> | undefined;
  const dispose = () =>
    (disposing ??= (async () => {
      await settlements.flush();
      await instance.stop().catch((error: unknown) => console.error("[sputnik] could not unregister this server:", (error as Error).message));
      await database.destroy();
    })());
  return {
    database,
    keys,
    prices,
    settlements,
    instance,
    auth,
    authenticate: authenticate({ keys, mode: auth }),
    hook: platformHook({ db, prices, settlements, instanceId: instance.id, now }),
    routes: platformRoutes({ db, keys, now }),
    dispose,
    [Symbol.asyncDispose]: dispose,
  };
}
