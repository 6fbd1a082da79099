/**
 * The platform suite runs against both stores: a real SQLite file in a temp dir, and a real
 * PostgreSQL server (a fresh database per use, dropped afterwards) when
 * `SPUTNIK_TEST_DATABASE_URL` points at one — `.ci/run` always sets it. Without it, the
 * PostgreSQL variants are skipped with a loud message, never silently.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { openDatabase, type OpenDatabaseOptions, type SputnikDatabase } from "../../../src/platform/store/database.ts";

export type DialectName = "sqlite" | "postgres";

/** Test-only: the server the CI starts. Read here, not in `src/`, which never reads the environment. */
const adminUrl = process.env.SPUTNIK_TEST_DATABASE_URL;

if (!adminUrl) {
  console.warn(
    "\n" +
      "!!! SPUTNIK_TEST_DATABASE_URL is not set: the PostgreSQL variants of the platform tests are SKIPPED.\n" +
      "!!! Run .ci/run, or start PostgreSQL and export SPUTNIK_TEST_DATABASE_URL=postgres://user:pass@127.0.0.1:5432/db\n",
  );
}

/** The dialects to run: both when PostgreSQL is available. */
export const DIALECTS: readonly DialectName[] = adminUrl ? ["sqlite", "postgres"] : ["sqlite"];

/** Where a test's data lives: a temp data dir, plus a fresh PostgreSQL database for `postgres`. */
export interface TestStore extends AsyncDisposable {
  readonly dialect: DialectName;
  readonly dataDir: string;
  /** Set for `postgres`. */
  readonly databaseUrl?: string;
  /** Options for `openDatabase` / `startServer` pointing at this store. */
  readonly options: OpenDatabaseOptions;
  open(): Promise<SputnikDatabase>;
  /** Drops the PostgreSQL database and removes the data dir. Idempotent. */
  dispose(): Promise<void>;
}

export async function createTestStore(dialect: DialectName): Promise<TestStore> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "sputnik-platform-"));
  let databaseUrl: string | undefined;
  let dbName: string | undefined;
  if (dialect === "postgres") {
    if (!adminUrl) throw new Error("PostgreSQL variant requested without SPUTNIK_TEST_DATABASE_URL");
    dbName = `sputnik_t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    await adminQuery(`CREATE DATABASE ${dbName}`);
    const url = new URL(adminUrl);
    url.pathname = `/${dbName}`;
    databaseUrl = url.toString();
  }
  const options: OpenDatabaseOptions = { dataDir, databaseUrl };
  let disposing: Promise<void> | undefined;
  const dispose = () =>
    (disposing ??= (async () => {
      if (dbName) await adminQuery(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      rmSync(dataDir, { recursive: true, force: true });
    })());
  return { dialect, dataDir, databaseUrl, options, open: () => openDatabase(options), dispose, [Symbol.asyncDispose]: dispose };
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
