import { Hono } from "hono";
import { toSputnikError } from "../../../core/errors.ts";
import type { ModelRegistry, ModelState } from "../../../pipeline/model-registry.ts";
import { openAIErrorResponse } from "../errors.ts";

/** `GET /models` and `GET /models/{id}` in OpenAI's shape, with Sputnik's details in `meta`. */
export function modelsRoute(deps: { models: ModelRegistry }): Hono {
  const app = new Hono();
  app.get("/models", (c) => c.json({ object: "list", data: deps.models.states().map(toWireModel) }));
  app.get("/models/:id{.+}", (c) => {
    const id = c.req.param("id");
    const state = deps.models.states().find((s) => s.id === id);
    if (!state) {
      try {
        deps.models.get(id);
      } catch (error) {
        return openAIErrorResponse(toSputnikError(error));
      }
    }
    return c.json(toWireModel(state as ModelState));
  });
  return app;
}

function toWireModel(state: ModelState) {
  const info = state.status === "ready" ? state.model.engine.info : undefined;
  return {
    id: state.id,
    object: "model" as const,
    created: info?.createdAt ?? 0,
    owned_by: "sputnik",
    // --- Sputnik extension ---
    meta: {
      status: state.status,
      ...(info
        ? {
            architecture: info.architecture,
            context_length: info.contextSize,
            train_context_length: info.trainContextSize,
            slots: info.slots,
            file_bytes: info.fileBytes,
            thinking: state.status === "ready" ? state.model.renderer.supportsThinking : undefined,
            fill_in_the_middle: info.fim !== undefined,
          }
        : {}),
      ...(state.status === "failed" ? { error: state.error.message } : {}),
    },
  };
}
