/**
 * `sputnik keys create|list|revoke`: key administration straight on the store (SQLite file or
 * PostgreSQL), so it works with the server stopped, running, or on another machine.
 */
import { SputnikError } from "../../core/errors.ts";
import type { SputnikEnv } from "../../core/config.ts";
import { parseCreateKey, toKeyJson, type CreateKeyBody } from "../keys/key-input.ts";
import { KeyStore } from "../keys/key-store.ts";
import { openStore, renderTable, type StoreFlags } from "./store-flags.ts";

export interface KeysCreateFlags extends StoreFlags {
  name: string;
  admin?: boolean;
  rpm?: number;
  tpm?: number;
  maxConcurrent?: number;
  balance?: string;
  currency?: string;
  dailyBudget?: string;
  monthlyBudget?: string;
  /** ISO date or date-time. */
  expires?: string;
  json?: boolean;
}

export interface KeysOutput {
  out: (text: string) => void;
  err: (text: string) => void;
}

const stdio: KeysOutput = { out: (t) => process.stdout.write(`${t}\n`), err: (t) => process.stderr.write(`${t}\n`) };

export async function keysCreateCommand(flags: KeysCreateFlags, env: SputnikEnv = process.env, io: KeysOutput = stdio): Promise<void> {
  const body: CreateKeyBody = {
    name: flags.name,
    admin: flags.admin,
    rpm: flags.rpm,
    tpm: flags.tpm,
    max_concurrent: flags.maxConcurrent,
    balance: flags.balance,
    currency: flags.currency as CreateKeyBody["currency"],
    daily_budget: flags.dailyBudget,
    monthly_budget: flags.monthlyBudget,
    expires_at: flags.expires,
  };
  const input = withFlagNames(() => parseCreateKey(body, Date.now()));
  await using database = await openStore(flags, env);
  const { token, key } = await new KeyStore({ db: database.db }).create(input);
  if (flags.json) {
    io.out(JSON.stringify({ ...toKeyJson(key), key: token }, null, 2));
    return;
  }
  // The key alone on stdout (so `KEY=$(sputnik keys create …)` works); the rest on stderr.
  io.err(`Created ${key.id} "${key.name}" (${key.scopes.join(", ")}) in ${database.location}.`);
  io.err("This is the only time the key is shown; it is stored as a hash:");
  io.out(token);
}

export async function keysListCommand(flags: StoreFlags & { json?: boolean }, env: SputnikEnv = process.env, io: KeysOutput = stdio): Promise<void> {
  await using database = await openStore(flags, env);
  const keys = (await new KeyStore({ db: database.db }).list()).map(toKeyJson);
  if (flags.json) {
    io.out(JSON.stringify(keys, null, 2));
    return;
  }
  if (keys.length === 0) {
    io.err(`No API keys in ${database.location}: the server is key-free on loopback. Create one with \`sputnik keys create --name NAME\`.`);
    return;
  }
  const status = (k: (typeof keys)[number]) => (k.revoked_at ? "revoked" : k.expires_at && Date.parse(k.expires_at) <= Date.now() ? "expired" : "active");
  io.out(
    renderTable(
      ["id", "name", "prefix", "scopes", "status", "balance", "rpm", "tpm", "concurrent", "created"],
      keys.map((k) => [
        k.id,
        k.name,
        `${k.prefix}…`,
        k.scopes.join(","),
        status(k),
        k.balance === null ? "-" : `${k.balance} ${k.currency}`,
        k.rpm === null ? "-" : String(k.rpm),
        k.tpm === null ? "-" : String(k.tpm),
        k.max_concurrent === null ? "-" : String(k.max_concurrent),
        k.created_at.slice(0, 10),
      ]),
    ),
  );
}

export async function keysRevokeCommand(id: string, flags: StoreFlags, env: SputnikEnv = process.env, io: KeysOutput = stdio): Promise<void> {
  await using database = await openStore(flags, env);
  if (!(await new KeyStore({ db: database.db }).revoke(id))) throw new Error(`no active API key with id ${id}`);
  io.err(`Revoked ${id}; every server using ${database.location} refuses it from now on.`);
}

/** Validation errors name API fields (`max_concurrent`); say the flag instead. */
function withFlagNames<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof SputnikError) || !error.param) throw error;
    const flag = `--${error.param.split(".")[0].replaceAll("_", "-").replace("expires-at", "expires")}`;
    throw new Error(`${flag}: ${error.message}`, { cause: error });
  }
}
