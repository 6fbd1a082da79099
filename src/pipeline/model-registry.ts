/**
 * The models this server serves, by id, with their load state. Requests for a model still loading
 * get 503 (retry), for an unknown id 404.
 */
import { modelNotFound, SputnikError } from "../core/errors.ts";
import type { ServedModel } from "./served-model.ts";

export type ModelState =
  | { status: "loading"; id: string }
  | { status: "ready"; id: string; model: ServedModel }
  | { status: "failed"; id: string; error: Error };

export class ModelRegistry {
  readonly #states = new Map<string, ModelState>();

  /** Registers `id` and loads it in the background; the returned promise settles with the load. */
  load(id: string, loader: () => Promise<ServedModel>): Promise<ServedModel> {
    if (this.#states.has(id)) throw new Error(`Two models were given the id "${id}"; give each --model a distinct NAME=.`);
    this.#states.set(id, { status: "loading", id });
    const loading = loader();
    loading.then(
      (model) => this.#states.set(id, { status: "ready", id, model }),
      (error: Error) => this.#states.set(id, { status: "failed", id, error }),
    );
    return loading;
  }

  /** The ready model, or a 404 / 503 error. */
  get(id: string): ServedModel {
    const state = this.#states.get(id);
    if (!state) throw modelNotFound(id);
    if (state.status === "ready") return state.model;
    if (state.status === "loading") {
      throw new SputnikError(`The model \`${id}\` is still loading; try again shortly.`, {
        status: 503,
        type: "overloaded_error",
        code: "model_loading",
        retryable: true,
        headers: { "Retry-After": "2" },
      });
    }
    throw new SputnikError(`The model \`${id}\` failed to load: ${state.error.message}`, { status: 503, type: "server_error", code: "model_unavailable" });
  }

  states(): ModelState[] {
    return [...this.#states.values()];
  }

  ready(): ServedModel[] {
    return this.states().flatMap((state) => (state.status === "ready" ? [state.model] : []));
  }

  /** True once every model has finished loading (successfully or not). */
  get settled(): boolean {
    return this.states().every((state) => state.status !== "loading");
  }

  async dispose(): Promise<void> {
    const models = this.ready();
    this.#states.clear();
    for (const model of models) {
      model.scheduler.close();
      await model.engine.dispose();
    }
  }
}
