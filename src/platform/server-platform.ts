/**
 * The platform as `sputnik serve` configures it: database from `--data-dir` / `--database-url`,
 * auth mode from `--auth` / `--no-auth` and the bind address, prices from `--prices` and
 * `--price-per-hour`.
 */
import type { ServeConfig } from "../core/config.ts";
import type { ServedModel } from "../pipeline/served-model.ts";
import { authModeFor } from "./auth/authenticate.ts";
import { parseAmount } from "./money.ts";
import { createPlatform, type Platform } from "./platform.ts";
import { derivePrice, measureThroughput } from "./prices/derive-price.ts";
import { PriceTable } from "./prices/price-table.ts";

/** Refusing to start: serving a network address key-free must be explicit. */
export class KeylessNetworkError extends Error {
  constructor(host: string) {
    super(
      `Refusing to serve ${host} without API keys: anyone who can reach it could use it. ` +
        "Create a key first (`sputnik keys create --name NAME`), or pass --auth to require keys, or --no-auth to serve key-free on purpose.",
    );
    this.name = "KeylessNetworkError";
  }
}

export interface ServerPlatform extends Platform {
  /** Derives the model's price from `--price-per-hour` when the price table does not list it. */
  priceModel(model: ServedModel): Promise<void>;
}

export async function createServerPlatform(config: ServeConfig): Promise<ServerPlatform> {
  const prices = config.pricesFile ? PriceTable.load(config.pricesFile) : new PriceTable({ currency: config.priceCurrency });
  const mode = authModeFor({ auth: config.auth, host: config.host });
  const platform = await createPlatform({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    auth: mode === "refuse" ? "on" : mode,
    prices,
  });
  // Another address, no flag: serve only if keys exist (then they are required).
  if (mode === "refuse" && !(await platform.keys.anyExist().catch(() => false))) {
    await platform.dispose();
    throw new KeylessNetworkError(config.host);
  }
  const pricePerHour = config.pricePerHour === undefined ? undefined : parseAmount(config.pricePerHour, "--price-per-hour");
  return {
    ...platform,
    async priceModel(model) {
      if (pricePerHour === undefined || prices.hasExplicit(model.id)) return;
      const throughput = await measureThroughput(model);
      const price = derivePrice(pricePerHour, config.priceCurrency, throughput);
      prices.setDerived(model.id, price);
      console.error(
        `[sputnik] ${model.id}: priced from ${config.pricePerHour} ${config.priceCurrency}/hour at ${throughput.outputTokensPerSecond.toFixed(1)} output and ` +
          `${throughput.promptTokensPerSecond.toFixed(0)} prompt tokens/s (single stream): ${price.outputMicros / 1e6} output, ` +
          `${price.inputCacheMissMicros / 1e6} input (miss) ${price.currency} per 1M tokens`,
      );
    },
  };
}
