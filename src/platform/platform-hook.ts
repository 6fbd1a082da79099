/**
 * The platform's generation hook: before a request queues, admit it (limits, balance, budget,
 * reservation, pending ledger row); when it ends — completed, cancelled by a disconnect, failed
 * part-way or refused by a later hook — settle its ledger row with the tokens it really used.
 */
import type { Context } from "hono";
import type { GenerationRequest } from "../core/request.ts";
import type { GenerationHook, HookSession } from "../pipeline/generation-hooks.ts";
import type { ServedModel } from "../pipeline/served-model.ts";
import type { Kysely } from "kysely";
import { admit } from "./ledger/admission.ts";
import { estimateTokens } from "./ledger/estimate.ts";
import type { SettlementQueue } from "./ledger/settlement-queue.ts";
import type { PriceTable } from "./prices/price-table.ts";
import type { DatabaseSchema } from "./store/schema.ts";
import { storeUnavailable } from "./store/store-errors.ts";
import { keyOfRequest, setResponseHeaders } from "./request-state.ts";
import { permissionError } from "./auth/principal.ts";

export interface PlatformHookDeps {
  db: Kysely<DatabaseSchema>;
  prices: PriceTable;
  settlements: SettlementQueue;
  /** This server's id in the `instances` table; owns its pending rows. */
  instanceId: string;
  /** Clock in epoch ms. Defaults to `Date.now`. */
  now?: () => number;
}

export function platformHook(deps: PlatformHookDeps): GenerationHook {
  const now = deps.now ?? Date.now;
  return {
    name: "platform",
    async begin(c: Context, request: GenerationRequest, model: ServedModel): Promise<HookSession> {
      const key = keyOfRequest(c) ?? null;
      // Generation needs the `chat` scope; an admin-only key administers but does not spend.
      if (key && !key.scopes.includes("chat")) throw permissionError("chat");
      // Fair queueing per key rather than per connection.
      if (key) request.clientId = key.id;
      const estimate = estimateTokens(request, model);
      let reservation;
      try {
        reservation = await admit(deps.db, {
          id: request.id,
          key,
          model: model.id,
          price: deps.prices.priceFor(model.id),
          estimatedPromptTokens: estimate.promptTokens,
          maxOutputTokens: estimate.maxOutputTokens,
          instanceId: deps.instanceId,
          now: now(),
        });
      } catch (error) {
        throw storeUnavailable(error);
      }
      if (Object.keys(reservation.rateLimitHeaders).length > 0) setResponseHeaders(c, reservation.rateLimitHeaders);
      const admitted = reservation;
      return { settle: (outcome) => void deps.settlements.settle(admitted, outcome) };
    },
  };
}
