/**
 * Extension points around every generation, so platform concerns (keys, limits, ledger),
 * moderation and metrics plug into the one pipeline instead of each protocol adapter.
 *
 * For each request every hook's `begin` runs in order before it queues; a hook refuses by
 * throwing a `SputnikError` (401, 402, 429, 400 content_policy…). Each session may wrap the event
 * stream (`transform`, applied in hook order, innermost first) and is told how the request ended
 * (`settle`, exactly once — also when a later hook refused it, or the client disconnected).
 */
import type { Context } from "hono";
import type { GenerationEvent, GenerationOutcome } from "../core/events.ts";
import type { GenerationRequest } from "../core/request.ts";
import type { ServedModel } from "./served-model.ts";

export interface HookSession {
  transform?(events: AsyncIterable<GenerationEvent>): AsyncIterable<GenerationEvent>;
  /**
   * The engine stopped (its own outcome, with the tokens it used). A transform that cuts the
   * stream short learns the usage of what was generated here. Called before `settle`.
   */
  engineEnded?(outcome: GenerationOutcome): void;
  /** The request is over; `outcome` says what the client was told (e.g. content_filter). */
  settle?(outcome: GenerationOutcome): void | Promise<void>;
}

export interface GenerationHook {
  readonly name: string;
  begin(c: Context, request: GenerationRequest, model: ServedModel): Promise<HookSession | undefined> | HookSession | undefined;
}

export const EMPTY_USAGE = Object.freeze({ promptTokens: 0, cachedPromptTokens: 0, completionTokens: 0, reasoningTokens: 0 });
