/**
 * Context caching on disk, DeepSeek-style: the KV state of long prompts is saved under the data
 * dir, so a prefix evicted from every slot — or lost in a restart — is loaded instead of
 * recomputed. Entries are whole slot states (node-llama-cpp's sequence state files, which carry
 * their tokens); the index keeps each entry's tokens to find the longest shared prefix.
 * Total size is capped; the least recently used entries go first.
 */
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import type { EngineSlot } from "../engine/engine.ts";

export interface PrefixDiskCacheOptions {
  /** Directory for this model's entries (one per model file: states are model-specific). */
  dir: string;
  /** Total bytes of state files kept; least recently used entries are deleted beyond it. */
  maxBytes: number;
  /** Prompts shorter than this are not worth a disk round trip. Defaults to 256 tokens. */
  minTokens?: number;
}

interface Entry {
  id: string;
  tokens: Uint32Array;
  bytes: number;
  lastUsed: number;
}

export const DEFAULT_CACHE_MIN_TOKENS = 256;

export class PrefixDiskCache {
  readonly #entries = new Map<string, Entry>();
  readonly #saving = new Set<string>();
  readonly #minTokens: number;

  private constructor(private readonly options: PrefixDiskCacheOptions) {
    this.#minTokens = options.minTokens ?? DEFAULT_CACHE_MIN_TOKENS;
  }

  /** Opens (and indexes) the cache directory; entries from earlier runs are found again. */
  static async open(options: PrefixDiskCacheOptions): Promise<PrefixDiskCache> {
    const cache = new PrefixDiskCache(options);
    await mkdir(options.dir, { recursive: true });
    for (const name of await readdir(options.dir)) {
      if (!name.endsWith(".tokens")) continue;
      const id = name.slice(0, -".tokens".length);
      try {
        const tokens = new Uint32Array(new Uint8Array(await readFile(path.join(options.dir, name))).buffer);
        const info = await stat(cache.#statePath(id));
        cache.#entries.set(id, { id, tokens, bytes: info.size, lastUsed: info.mtimeMs });
      } catch {
        // A half-written entry (crash during save): drop it.
        await cache.#delete(id);
      }
    }
    return cache;
  }

  get entryCount(): number {
    return this.#entries.size;
  }

  /** The entry sharing the longest prefix with `tokens`, if it shares at least `minTokens`. */
  bestMatch(tokens: readonly number[]): { id: string; shared: number } | undefined {
    let best: { id: string; shared: number } | undefined;
    for (const entry of this.#entries.values()) {
      const shared = sharedPrefix(entry.tokens, tokens);
      if (shared >= this.#minTokens && shared > (best?.shared ?? 0)) best = { id: entry.id, shared };
    }
    return best;
  }

  /** Loads entry `id` into `slot`. Returns false (and forgets the entry) if it cannot be read. */
  async restore(slot: EngineSlot, id: string): Promise<boolean> {
    const entry = this.#entries.get(id);
    if (!entry) return false;
    try {
      await slot.loadState(this.#statePath(id));
      entry.lastUsed = Date.now();
      const now = new Date();
      await utimes(this.#statePath(id), now, now).catch(() => undefined);
      return true;
    } catch {
      await this.#delete(id);
      return false;
    }
  }

  /**
   * Saves `slot`'s state if its prompt (the first `promptLength` tokens it holds) is long enough
   * and not already covered by an entry.
   */
  async store(slot: EngineSlot, promptLength: number): Promise<void> {
    if (promptLength < this.#minTokens) return;
    const tokens = slot.cachedTokens;
    const covered = this.bestMatch(tokens.slice(0, promptLength));
    if (covered && covered.shared >= promptLength) return;
    const id = createHash("sha256").update(Uint32Array.from(tokens.slice(0, promptLength))).digest("hex").slice(0, 32);
    if (this.#saving.has(id) || this.#entries.has(id)) return;
    this.#saving.add(id);
    try {
      const snapshot = Uint32Array.from(tokens);
      const partial = `${this.#statePath(id)}.partial`;
      const bytes = await slot.saveState(partial);
      await rename(partial, this.#statePath(id));
      // The token index is written last: an entry without it is not an entry.
      await writeFile(path.join(this.options.dir, `${id}.tokens`), Buffer.from(snapshot.buffer));
      this.#entries.set(id, { id, tokens: snapshot, bytes, lastUsed: Date.now() });
      await this.#evict();
    } catch (error) {
      await this.#delete(id);
      console.error(`[sputnik] prefix cache: could not save state: ${(error as Error).message}`);
    } finally {
      this.#saving.delete(id);
    }
  }

  async #evict(): Promise<void> {
    let total = [...this.#entries.values()].reduce((sum, entry) => sum + entry.bytes, 0);
    const byAge = [...this.#entries.values()].sort((a, b) => a.lastUsed - b.lastUsed);
    for (const entry of byAge) {
      if (total <= this.options.maxBytes) break;
      total -= entry.bytes;
      await this.#delete(entry.id);
    }
  }

  async #delete(id: string): Promise<void> {
    this.#entries.delete(id);
    await rm(this.#statePath(id), { force: true });
    await rm(`${this.#statePath(id)}.partial`, { force: true });
    await rm(path.join(this.options.dir, `${id}.tokens`), { force: true });
  }

  #statePath(id: string): string {
    return path.join(this.options.dir, `${id}.state`);
  }
}

function sharedPrefix(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const limit = Math.min(a.length, b.length);
  let i = 0;
  while (i < limit && a[i] === b[i]) i++;
  return i;
}

/** One cache directory per model file: its path, size and modification time identify it. */
export async function modelCacheKey(modelPath: string): Promise<string> {
  const info = await stat(modelPath);
  return createHash("sha256").update(`${path.resolve(modelPath)}:${info.size}:${info.mtimeMs}`).digest("hex").slice(0, 16);
}
