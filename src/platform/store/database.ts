/**
 * Opens Sputnik's database — embedded SQLite in the data dir by default, PostgreSQL when several
 * instances must share keys, balances and the ledger — and brings its schema up to date.
 *
 * One typed query layer (Kysely) serves both: the same queries, the same migrations. SQLite runs
 * in WAL mode (readers never block the writer, a crash never leaves half a transaction) with
 * `synchronous = NORMAL`: a committed row survives a killed process (SIGKILL, OOM); a power cut
 * may lose the last moments' transactions whole, never half of one. FULL would fsync on every
 * commit — measured 6 ms here — and better-sqlite3 is synchronous, so that would stall every
 * stream in the process twice per request.
 */
import Database from "better-sqlite3";
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type Migration, type MigrationProvider, type SqliteDatabase } from "kysely";
import { mkdirSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { migrations as allMigrations } from "./migrations/index.ts";
import type { DatabaseSchema } from "./schema.ts";

/** The SQLite file's name inside the data dir. */
export const SQLITE_FILE_NAME = "sputnik.db";
/** How long a SQLite writer waits for another process's lock (the CLI while the server runs), ms. */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;
/** Connections per PostgreSQL pool. */
export const POSTGRES_POOL_SIZE = 10;

export interface OpenDatabaseOptions {
  /** Data directory; the SQLite file is `<dataDir>/sputnik.db`. Created if missing. */
  dataDir: string;
  /** `postgres://user:pass@host:port/db` (or `postgresql://…`): use PostgreSQL instead of SQLite. */
  databaseUrl?: string;
  /** Migrations to apply. Defaults to every migration in `migrations/index.ts`. */
  migrations?: Readonly<Record<string, Migration>>;
}

export interface SputnikDatabase {
  readonly db: Kysely<DatabaseSchema>;
  readonly dialect: "sqlite" | "postgres";
  /** Where the data lives, for messages: the SQLite path or the URL without its password. */
  readonly location: string;
  /** Closes the connection(s). Idempotent. */
  destroy(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** The database could not be opened or migrated; the message says where and why. */
export class DatabaseOpenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DatabaseOpenError";
  }
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<SputnikDatabase> {
  const url = options.databaseUrl;
  if (url !== undefined && !/^postgres(ql)?:\/\//i.test(url)) {
    throw new DatabaseOpenError(`--database-url must be a postgres:// URL, got ${redact(url)}`);
  }
  const dialect = url ? "postgres" : "sqlite";
  const location = url ? redact(url) : path.join(options.dataDir, SQLITE_FILE_NAME);
  let db: Kysely<DatabaseSchema> | undefined;
  try {
    db = url ? openPostgres(url) : openSqlite(options.dataDir, location);
    await migrate(db, options.migrations ?? allMigrations);
  } catch (error) {
    await db?.destroy().catch(() => undefined);
    throw new DatabaseOpenError(`Cannot open the ${dialect === "sqlite" ? "SQLite database" : "PostgreSQL database"} at ${location}: ${describe(error)}`, {
      cause: error,
    });
  }
  const opened = db;
  let destroying: Promise<void> | undefined;
  const destroy = () => (destroying ??= opened.destroy());
  return { db: opened, dialect, location, destroy, [Symbol.asyncDispose]: destroy };
}

function openSqlite(dataDir: string, file: string): Kysely<DatabaseSchema> {
  mkdirSync(dataDir, { recursive: true });
  const sqlite = new Database(file, { timeout: SQLITE_BUSY_TIMEOUT_MS });
  try {
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("synchronous = NORMAL");
    sqlite.pragma("foreign_keys = ON");
    // Fail now, with a clear message, if the file cannot be written (read-only file or mount),
    // rather than on the first request's ledger row.
    sqlite.exec("BEGIN IMMEDIATE; ROLLBACK;");
  } catch (error) {
    sqlite.close();
    throw error;
  }
  return new Kysely<DatabaseSchema>({ dialect: new SqliteDialect({ database: withSafeRollback(sqlite) }) });
}

/**
 * SQLite rolls a transaction back by itself on some errors (SQLITE_FULL, SQLITE_IOERR); Kysely
 * then sends its own ROLLBACK, which fails with "no transaction is active" and hides the real
 * error. A ROLLBACK outside a transaction becomes a no-op so the original error (a full disk)
 * is what the caller sees.
 */
function withSafeRollback(sqlite: Database.Database): SqliteDatabase {
  return {
    close: () => sqlite.close(),
    prepare: (text: string) => (/^\s*rollback\s*$/i.test(text) && !sqlite.inTransaction ? sqlite.prepare("select 1 where 0") : sqlite.prepare(text)),
  };
}

function openPostgres(url: string): Kysely<DatabaseSchema> {
  const pool = new pg.Pool({
    connectionString: url,
    max: POSTGRES_POOL_SIZE,
    connectionTimeoutMillis: 10_000,
    // BIGINT (int8) columns hold epoch ms and micro-units, all below 2^53: numbers, not strings.
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        oid === pg.types.builtins.INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on("error", (error) => console.error("[sputnik] PostgreSQL pool error:", error.message));
  return new Kysely<DatabaseSchema>({ dialect: new PostgresDialect({ pool }) });
}

async function migrate(db: Kysely<DatabaseSchema>, migrations: Readonly<Record<string, Migration>>): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => ({ ...migrations }) };
  // Teams add migrations under their own prefixes, possibly after a later prefix has shipped.
  const migrator = new Migrator({ db, provider, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === "Error");
    throw new Error(`migration ${failed?.migrationName ?? "?"} failed: ${describe(error)}`, { cause: error });
  }
}

/** The URL without its password, for messages and logs. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable URL)";
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  const kind = faultKind(code);
  const hint =
    kind === "readonly"
      ? " (check that the data dir and the database file are writable by this user)"
      : kind === "full"
        ? " (the disk is full)"
        : code === "ECONNREFUSED"
          ? " (is the PostgreSQL server running?)"
          : "";
  return `${error.message}${typeof code === "string" ? ` [${code}]` : ""}${hint}`;
}

/** Storage faults by SQLite's (extended) result codes and the OS's errno codes. */
export function faultKind(code: unknown): "readonly" | "full" | undefined {
  if (typeof code !== "string") return undefined;
  if (/^SQLITE_(READONLY|CANTOPEN|PERM)/.test(code) || code === "EACCES" || code === "EROFS" || code === "EPERM") return "readonly";
  if (/^SQLITE_FULL/.test(code) || code === "ENOSPC") return "full";
  return undefined;
}
