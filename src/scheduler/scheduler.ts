/**
 * When and where a request runs. Each model has a fixed set of slots (sequences of one engine
 * context). A request takes the free slot whose cached tokens share the longest prefix with its
 * prompt, so multi-turn chats and shared system prompts skip their prefill. When all slots are
 * busy it waits in a bounded queue served round-robin across clients; when the queue is full it
 * is refused at once (503 + Retry-After) rather than left hanging.
 */
import { overloaded, SputnikError } from "../core/errors.ts";
import type { EngineSlot } from "../engine/engine.ts";

export interface SchedulerOptions {
  /** Requests that may wait for a slot; more are refused with 503. */
  maxQueue: number;
  /** Seconds suggested in `Retry-After` when refusing. Defaults to 1. */
  retryAfterSeconds?: number;
}

export interface SlotLease {
  readonly slot: EngineSlot;
  /** Prompt tokens this slot already holds (before the run trims its cache). */
  readonly sharedPrefix: number;
  /** ms spent waiting in the queue. */
  readonly queuedMs: number;
  release(): void;
}

interface Waiter {
  tokens: readonly number[];
  clientId: string;
  enqueuedAt: number;
  resolve: (lease: SlotLease) => void;
  reject: (error: unknown) => void;
  cleanup: () => void;
}

export interface SchedulerStats {
  slots: number;
  busy: number;
  queued: number;
}

export class Scheduler {
  /** Fires "change" whenever a slot is taken or freed or the queue moves (metrics, tests). */
  readonly events = new EventTarget();
  readonly #free: EngineSlot[];
  readonly #lastUsed = new Map<EngineSlot, number>();
  /** Waiters per client, and the clients in round-robin order. */
  readonly #queues = new Map<string, Waiter[]>();
  #queued = 0;
  #useCounter = 0;
  #closed = false;

  constructor(
    private readonly slots: readonly EngineSlot[],
    private readonly options: SchedulerOptions,
  ) {
    this.#free = [...slots];
  }

  stats(): SchedulerStats {
    return { slots: this.slots.length, busy: this.slots.length - this.#free.length, queued: this.#queued };
  }

  /** Resolves once `predicate(stats)` holds, checking after every change. */
  waitFor(predicate: (stats: SchedulerStats) => boolean): Promise<void> {
    if (predicate(this.stats())) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (!predicate(this.stats())) return;
        this.events.removeEventListener("change", check);
        resolve();
      };
      this.events.addEventListener("change", check);
    });
  }

  #changed(): void {
    this.events.dispatchEvent(new Event("change"));
  }

  /** Throws the 503 `acquire` would give right now, so a refusal costs no prompt rendering. */
  assertAcceptsWork(): void {
    if (this.#closed) throw overloaded("The server is shutting down.", this.options.retryAfterSeconds ?? 1);
    if (this.#free.length === 0 && this.#queued >= this.options.maxQueue) throw this.#queueFull();
  }

  #queueFull() {
    return overloaded(
      `All ${this.slots.length} slots are busy and ${this.#queued} requests are waiting; try again shortly.`,
      this.options.retryAfterSeconds ?? 1,
    );
  }

  /** Waits for a slot. Rejects with 503 at once if the queue is full, or when `signal` aborts. */
  acquire(tokens: readonly number[], clientId: string, signal: AbortSignal): Promise<SlotLease> {
    if (signal.aborted) return Promise.reject(abortError());
    if (this.#closed) return Promise.reject(overloaded("The server is shutting down.", this.options.retryAfterSeconds ?? 1));
    const enqueuedAt = performance.now();
    if (this.#free.length > 0 && this.#queued === 0) return Promise.resolve(this.#lease(tokens, enqueuedAt));
    if (this.#queued >= this.options.maxQueue) return Promise.reject(this.#queueFull());
    return new Promise<SlotLease>((resolve, reject) => {
      const onAbort = () => {
        this.#remove(waiter);
        reject(abortError());
      };
      const waiter: Waiter = {
        tokens,
        clientId,
        enqueuedAt,
        resolve,
        reject,
        cleanup: () => signal.removeEventListener("abort", onAbort),
      };
      signal.addEventListener("abort", onAbort, { once: true });
      let queue = this.#queues.get(clientId);
      if (!queue) this.#queues.set(clientId, (queue = []));
      queue.push(waiter);
      this.#queued++;
      this.#changed();
    });
  }

  /** Refuses new work and fails everything still waiting (shutdown). */
  close(): void {
    this.#closed = true;
    for (const queue of this.#queues.values()) {
      for (const waiter of queue) {
        waiter.cleanup();
        waiter.reject(overloaded("The server is shutting down.", this.options.retryAfterSeconds ?? 1));
      }
    }
    this.#queues.clear();
    this.#queued = 0;
  }

  #lease(tokens: readonly number[], enqueuedAt: number): SlotLease {
    const slot = this.#pickSlot(tokens);
    this.#free.splice(this.#free.indexOf(slot), 1);
    const sharedPrefix = slot.sharedPrefixLength(tokens);
    let released = false;
    queueMicrotask(() => this.#changed());
    return {
      slot,
      sharedPrefix,
      queuedMs: performance.now() - enqueuedAt,
      release: () => {
        if (released) return;
        released = true;
        this.#lastUsed.set(slot, ++this.#useCounter);
        this.#free.push(slot);
        this.#dispatch();
        this.#changed();
      },
    };
  }

  /** Longest shared prefix wins; on a tie, the least recently used slot, to keep hot caches. */
  #pickSlot(tokens: readonly number[]): EngineSlot {
    let best = this.#free[0];
    let bestShared = -1;
    for (const slot of this.#free) {
      const shared = slot.sharedPrefixLength(tokens);
      const older = (this.#lastUsed.get(slot) ?? 0) < (this.#lastUsed.get(best) ?? 0);
      if (shared > bestShared || (shared === bestShared && older)) {
        best = slot;
        bestShared = shared;
      }
    }
    return best;
  }

  #dispatch(): void {
    while (this.#free.length > 0 && this.#queued > 0) {
      // Round-robin: take the first client's oldest waiter, then move that client to the back.
      const [clientId, queue] = this.#queues.entries().next().value as [string, Waiter[]];
      const waiter = queue.shift() as Waiter;
      this.#queues.delete(clientId);
      if (queue.length > 0) this.#queues.set(clientId, queue);
      this.#queued--;
      waiter.cleanup();
      waiter.resolve(this.#lease(waiter.tokens, waiter.enqueuedAt));
    }
  }

  #remove(waiter: Waiter): void {
    const queue = this.#queues.get(waiter.clientId);
    const at = queue?.indexOf(waiter) ?? -1;
    if (!queue || at < 0) return;
    queue.splice(at, 1);
    this.#queued--;
    if (queue.length === 0) this.#queues.delete(waiter.clientId);
    waiter.cleanup();
    this.#changed();
  }
}

function abortError(): SputnikError {
  return new SputnikError("The request was cancelled by the client.", { status: 499, type: "invalid_request_error", code: "cancelled" });
}
