/**
 * Prices per model, per million tokens: prompt tokens served from the prefix cache (cache hit),
 * prompt tokens evaluated (cache miss), and completion tokens (reasoning included) — DeepSeek's
 * three prices. Loaded from the `--prices FILE` JSON:
 *
 * ```json
 * {
 *   "currency": "USD",
 *   "models": {
 *     "qwen3:0.6b": { "input_cache_hit": "0.028", "input_cache_miss": "0.28", "output": "0.42" },
 *     "deepseek-r1:7b": { "currency": "CNY", "input_cache_hit": 0.2, "input_cache_miss": 2, "output": 8 }
 *   },
 *   "default": { "input_cache_hit": 0, "input_cache_miss": 0, "output": 0 }
 * }
 * ```
 *
 * Amounts are decimal strings or numbers with at most 6 decimals; `currency` (USD or CNY) is set
 * per model or once at the top. Models without an entry use `default`, then a price derived from
 * `--price-per-hour` (see `derive-price.ts`), then zero.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { CURRENCIES, parseAmount, type Currency, type ModelPrice } from "../money.ts";

const amount = z.union([z.string(), z.number()]);
const entrySchema = z.strictObject({
  currency: z.enum(CURRENCIES).optional(),
  input_cache_hit: amount,
  input_cache_miss: amount,
  output: amount,
});
const fileSchema = z.strictObject({
  currency: z.enum(CURRENCIES).optional(),
  models: z.record(z.string().min(1), entrySchema).default({}),
  default: entrySchema.optional(),
});

export type PriceFile = z.input<typeof fileSchema>;

export function zeroPrice(currency: Currency = "USD"): ModelPrice {
  return { currency, inputCacheHitMicros: 0, inputCacheMissMicros: 0, outputMicros: 0 };
}

export class PriceTable {
  readonly #models = new Map<string, ModelPrice>();
  #default: ModelPrice | undefined;
  readonly #derived = new Map<string, ModelPrice>();
  readonly #currency: Currency;

  constructor(file: PriceFile = {}, source = "prices") {
    const parsed = fileSchema.safeParse(file);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${source}: ${issue.path.join(".") || "(top level)"}: ${issue.message}`);
    }
    this.#currency = parsed.data.currency ?? "USD";
    for (const [model, entry] of Object.entries(parsed.data.models)) this.#models.set(model, toPrice(entry, this.#currency, `${source}: models.${model}`));
    if (parsed.data.default) this.#default = toPrice(parsed.data.default, this.#currency, `${source}: default`);
  }

  /** Reads and validates a price file; errors name the file and the field. */
  static load(path: string): PriceTable {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, "utf8"));
    } catch (error) {
      throw new Error(`Cannot read the price file ${path}: ${(error as Error).message}`, { cause: error });
    }
    return new PriceTable(json as PriceFile, path);
  }

  /** Whether the file names this model or gives a default (so no derived price is needed). */
  hasExplicit(model: string): boolean {
    return this.#models.has(model) || this.#default !== undefined;
  }

  /** Sets the price derived from `--price-per-hour` for a model without an explicit one. */
  setDerived(model: string, price: ModelPrice): void {
    this.#derived.set(model, price);
  }

  priceFor(model: string): ModelPrice {
    return this.#models.get(model) ?? this.#default ?? this.#derived.get(model) ?? zeroPrice(this.#currency);
  }
}

function toPrice(entry: z.infer<typeof entrySchema>, currency: Currency, where: string): ModelPrice {
  try {
    return {
      currency: entry.currency ?? currency,
      inputCacheHitMicros: parseAmount(entry.input_cache_hit, "input_cache_hit"),
      inputCacheMissMicros: parseAmount(entry.input_cache_miss, "input_cache_miss"),
      outputMicros: parseAmount(entry.output, "output"),
    };
  } catch (error) {
    throw new Error(`${where}: ${(error as Error).message}`, { cause: error });
  }
}
