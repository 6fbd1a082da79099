/**
 * The results store: one folder per run under `<dataDir>/evals/<runId>/` with `run.json` (the
 * configuration, so `--resume` needs nothing else) and `results.jsonl` (one line per answered
 * item, appended as soon as it is scored). A run killed at any moment loses at most the items in
 * flight; a half-written last line is ignored when the file is read back.
 */
import { randomBytes } from "node:crypto";
import { appendFile, mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Price, TargetSpec } from "./targets.ts";
import type { SuiteRef } from "./suites/index.ts";
import type { ItemResult } from "./types.ts";

/** What `--resume` needs to continue a run exactly. */
export interface RunConfig {
  suites: SuiteRef[];
  targets: TargetSpec[];
  /** Name of a target, or a separate remote spec, that classifies refusal answers. */
  judge?: TargetSpec;
  seed: number;
  /** Items per suite; undefined = each suite's default size. */
  limit?: number;
  maxTokens: number;
  temperature: number;
  concurrency: number;
  prices: Record<string, Price>;
}

/** `run.json`. */
export interface RunMeta {
  id: string;
  createdAt: string;
  updatedAt: string;
  status: "running" | "interrupted" | "complete";
  config: RunConfig;
}

const RUN_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** Whether a string is a safe run id (no path separators, no dot-dot). */
export function isValidRunId(id: string): boolean {
  return RUN_ID_RE.test(id) && !id.includes("..");
}

/** `20250131-142530-a1b2`: sortable by time, unique enough for one machine. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return `${stamp}-${randomBytes(2).toString("hex")}`;
}

/** `<dataDir>/evals`. */
export function evalsDir(dataDir: string): string {
  return path.join(dataDir, "evals");
}

/** A run's folder. @throws Error for an id that could escape the evals folder. */
export function runDir(dataDir: string, runId: string): string {
  if (!isValidRunId(runId)) throw new Error(`invalid run id "${runId}"`);
  return path.join(evalsDir(dataDir), runId);
}

/** Parses results.jsonl text; the last result per key wins, unreadable lines are skipped. */
export function parseResults(text: string): ItemResult[] {
  const byKey = new Map<string, ItemResult>();
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      const result = JSON.parse(line) as ItemResult;
      if (typeof result.key === "string") byKey.set(result.key, result);
    } catch {
      // A line cut short by a kill: the item will simply be asked again.
    }
  }
  return [...byKey.values()];
}

/** An open run: appends results and rewrites run.json. */
export class RunStore {
  private appending: Promise<void> = Promise.resolve();
  private readonly done = new Set<string>();

  /** The run's folder. */
  readonly dir: string;

  private constructor(
    readonly dataDir: string,
    public meta: RunMeta,
    results: ItemResult[],
  ) {
    this.dir = runDir(dataDir, meta.id);
    for (const result of results) if (!result.error) this.done.add(result.key);
  }

  /** Creates a new run folder with its run.json. */
  static async create(dataDir: string, config: RunConfig, id = newRunId()): Promise<RunStore> {
    await mkdir(runDir(dataDir, id), { recursive: true });
    const now = new Date().toISOString();
    const store = new RunStore(dataDir, { id, createdAt: now, updatedAt: now, status: "running", config }, []);
    await store.writeMeta();
    return store;
  }

  /** Opens an existing run to resume it. @throws RunNotFoundError when the run does not exist. */
  static async open(dataDir: string, id: string): Promise<RunStore> {
    const { meta, results } = await loadRun(dataDir, id);
    return new RunStore(dataDir, meta, results);
  }

  /** Whether an item already has a successful result (so resume skips it). */
  has(key: string): boolean {
    return this.done.has(key);
  }

  /** Appends one result. Appends are serialized so concurrent items never interleave lines. */
  append(result: ItemResult): Promise<void> {
    const line = `${JSON.stringify(result)}\n`;
    this.appending = this.appending.then(() => appendFile(path.join(this.dir, "results.jsonl"), line, "utf8"));
    if (!result.error) this.done.add(result.key);
    return this.appending;
  }

  /** Updates the status and rewrites run.json atomically (write then rename). */
  async setStatus(status: RunMeta["status"]): Promise<void> {
    this.meta = { ...this.meta, status };
    await this.writeMeta();
  }

  /** Every result so far (latest per key). */
  async results(): Promise<ItemResult[]> {
    await this.appending;
    return (await loadRun(this.dataDir, this.meta.id)).results;
  }

  private async writeMeta(): Promise<void> {
    this.meta = { ...this.meta, updatedAt: new Date().toISOString() };
    const file = path.join(this.dir, "run.json");
    await writeFile(`${file}.tmp`, `${JSON.stringify(this.meta, null, 2)}\n`, "utf8");
    await rename(`${file}.tmp`, file);
  }
}

/** No run with that id in the data dir. */
export class RunNotFoundError extends Error {
  override name = "RunNotFoundError";
}

/** Reads a run's meta and results. @throws RunNotFoundError when run.json is missing. */
export async function loadRun(dataDir: string, id: string): Promise<{ meta: RunMeta; results: ItemResult[] }> {
  const dir = runDir(dataDir, id);
  let meta: RunMeta;
  try {
    meta = JSON.parse(await readFile(path.join(dir, "run.json"), "utf8")) as RunMeta;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new RunNotFoundError(`No evaluation run "${id}" in ${evalsDir(dataDir)}`);
    throw error;
  }
  const text = await readFile(path.join(dir, "results.jsonl"), "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return "";
    throw error;
  });
  return { meta, results: parseResults(text) };
}

/** One line of the run list. */
export interface RunSummary {
  id: string;
  createdAt: string;
  updatedAt: string;
  status: RunMeta["status"];
  targets: string[];
  suites: string[];
  results: number;
  errors: number;
}

/** Every run in the data dir, newest first; folders without a readable run.json are skipped. */
export async function listRuns(dataDir: string): Promise<RunSummary[]> {
  const entries = await readdir(evalsDir(dataDir), { withFileTypes: true }).catch(() => []);
  const runs: RunSummary[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || !isValidRunId(entry.name)) continue;
    try {
      const { meta, results } = await loadRun(dataDir, entry.name);
      runs.push({
        id: meta.id,
        createdAt: meta.createdAt,
        updatedAt: meta.updatedAt,
        status: meta.status,
        targets: meta.config.targets.map((target) => target.name),
        suites: meta.config.suites.map((suite) => suite.name),
        results: results.filter((result) => !result.error).length,
        errors: results.filter((result) => result.error).length,
      });
    } catch {
      // Not a run folder (or one being created right now).
    }
  }
  return runs.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}
