/**
 * Builds the web app before the browser tests when `web/dist` is missing or older than any source
 * file (`npm install` builds it too, through `prepare`), so tests never drive a stale build.
 * Test runs started at the same time (several terminals) take turns through a lock directory.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";

const WEB_DIR = path.resolve("web");
const LOCK_DIR = path.join(WEB_DIR, ".build-lock");
/** A lock older than this is left over from a killed run. */
const STALE_LOCK_MS = 120_000;

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function isStale(): boolean {
  const index = path.join(WEB_DIR, "dist", "index.html");
  if (!existsSync(index)) return true;
  const sources = Math.max(
    newestMtime(path.join(WEB_DIR, "src")),
    newestMtime(path.join(WEB_DIR, "public")),
    statSync(path.join(WEB_DIR, "index.html")).mtimeMs,
    statSync(path.join(WEB_DIR, "vite.config.ts")).mtimeMs,
  );
  return statSync(index).mtimeMs < sources;
}

async function acquireLock(): Promise<void> {
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      return;
    } catch {
      const lock = statSync(LOCK_DIR, { throwIfNoEntry: false });
      if (lock && Date.now() - lock.mtimeMs > STALE_LOCK_MS) rmSync(LOCK_DIR, { recursive: true, force: true });
      // Another run is building: wait for its lock to go (a build takes seconds).
      else await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

export default async function setup(): Promise<void> {
  if (!isStale()) return;
  await acquireLock();
  try {
    if (!isStale()) return;
    // In a child process: vitest sets NODE_ENV=test, which would give React's development build.
    execFileSync("npm", ["run", "--silent", "build:web", "--", "--logLevel", "warn"], { stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
  } finally {
    rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}
