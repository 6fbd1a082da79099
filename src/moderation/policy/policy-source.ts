/**
 * The live policy: loaded from `--policy FILE` at start-up and reloaded without a restart (file
 * watch, SIGHUP, `POST /admin/policies/reload`). A reload validates the new file completely before
 * swapping; a bad file keeps the old policy in force and says why.
 */
import { watch, type FSWatcher } from "node:fs";
import path from "node:path";
import { compilePolicySet, type CompiledPolicySet } from "./compile-policy.ts";
import { loadPolicyFile } from "./load-policy-file.ts";
import { policyFileSchema } from "./policy-schema.ts";

/** Quiet period after the last change event before a watched file is reloaded (editors write in bursts). */
export const WATCH_DEBOUNCE_MS = 200;

export type ReloadResult = { ok: true; policies: readonly string[] } | { ok: false; error: string };

export interface PolicySourceOptions {
  /** Reload when the file changes on disk. Defaults to false. */
  watch?: boolean;
  /** Where reload outcomes are reported. Defaults to `console.error`. */
  log?: (line: string) => void;
}

/** The policy set in force when no file is configured: nothing is checked, nothing is recorded. */
export function emptyPolicySet(): CompiledPolicySet {
  return compilePolicySet(policyFileSchema.parse({}));
}

export class PolicySource {
  #current: CompiledPolicySet;
  #watcher?: FSWatcher;
  #timer?: NodeJS.Timeout;
  #reloading: Promise<ReloadResult> = Promise.resolve({ ok: true, policies: [] });
  readonly #listeners = new Set<(result: ReloadResult) => void>();
  readonly #log: (line: string) => void;

  private constructor(
    /** The policy file, or undefined when none is configured. */
    readonly file: string | undefined,
    initial: CompiledPolicySet,
    options: PolicySourceOptions,
  ) {
    this.#current = initial;
    this.#log = options.log ?? ((line) => console.error(line));
    if (file && options.watch) this.#watch(file);
  }

  /** Loads `file` (which must be valid: a bad file at start-up is a start-up error) or the empty policy. */
  static async open(file: string | undefined, options: PolicySourceOptions = {}): Promise<PolicySource> {
    const initial = file ? await loadPolicyFile(file) : emptyPolicySet();
    return new PolicySource(file ? path.resolve(file) : undefined, initial, options);
  }

  /** A fixed policy set (tests, embedding). */
  static fixed(policy: CompiledPolicySet): PolicySource {
    return new PolicySource(undefined, policy, {});
  }

  get current(): CompiledPolicySet {
    return this.#current;
  }

  /** Called after every reload attempt, successful or not. */
  onReload(listener: (result: ReloadResult) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Re-reads the file; swaps only if it is valid. Concurrent calls run one after another. */
  reload(): Promise<ReloadResult> {
    this.#reloading = this.#reloading.then(() => this.#reloadNow());
    return this.#reloading;
  }

  async #reloadNow(): Promise<ReloadResult> {
    let result: ReloadResult;
    if (!this.file) {
      result = { ok: false, error: "No policy file is configured (start the server with --policy FILE)." };
    } else {
      try {
        this.#current = await loadPolicyFile(this.file);
        result = { ok: true, policies: this.#current.policies };
        this.#log(`[sputnik] policy reloaded from ${this.file}: ${result.policies.join(", ") || "(no policies)"}`);
      } catch (error) {
        result = { ok: false, error: (error as Error).message };
        this.#log(`[sputnik] policy reload failed; the previous policy stays in force. ${result.error}`);
      }
    }
    for (const listener of this.#listeners) listener(result);
    return result;
  }

  #watch(file: string): void {
    // Watch the directory, not the file: editors save by writing a new file and renaming it over the old one.
    this.#watcher = watch(path.dirname(file), (_event, name) => {
      if (name !== path.basename(file)) return;
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => void this.reload(), WATCH_DEBOUNCE_MS);
      this.#timer.unref();
    });
    this.#watcher.unref();
  }

  /** Stops watching. Idempotent. */
  dispose(): void {
    clearTimeout(this.#timer);
    this.#watcher?.close();
    this.#watcher = undefined;
  }
}
