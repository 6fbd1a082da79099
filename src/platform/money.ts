/**
 * Money as integers: amounts are micro-units (1e-6 of a yuan or dollar) and prices are
 * micro-units per million tokens. Parsing and formatting go through decimal strings, never
 * through floating point, so `0.1 + 0.2` problems cannot reach a balance.
 */
import { invalidRequest } from "../core/errors.ts";

export const CURRENCIES = ["USD", "CNY"] as const;
export type Currency = (typeof CURRENCIES)[number];
export const MICROS_PER_UNIT = 1_000_000;
/** Largest amount accepted anywhere: 1e9 currency units, so sums stay exact below 2^53 micro-units. */
export const MAX_AMOUNT_MICROS = 1e15;

export function isCurrency(value: unknown): value is Currency {
  return typeof value === "string" && (CURRENCIES as readonly string[]).includes(value);
}

/**
 * `"12.5"` → 12_500_000. Accepts a JSON number too (its shortest decimal text is parsed).
 * Throws a 400 naming `param` for anything else: signs, exponents, more than 6 decimals.
 */
export function parseAmount(value: unknown, param: string): number {
  const text = typeof value === "number" && Number.isFinite(value) ? numberToPlainString(value) : value;
  if (typeof text !== "string" || !/^\d{1,10}(\.\d{1,6})?$/.test(text.trim())) {
    throw invalidRequest(`${param} must be a non-negative decimal amount with at most 6 decimals, e.g. "10.50".`, param, "invalid_amount");
  }
  const [whole, fraction = ""] = text.trim().split(".");
  const micros = Number(whole) * MICROS_PER_UNIT + Number(fraction.padEnd(6, "0"));
  if (micros > MAX_AMOUNT_MICROS) throw invalidRequest(`${param} is too large.`, param, "invalid_amount");
  return micros;
}

/** 12_500_000 → `"12.50"`: at least two decimals (DeepSeek shows `"110.00"`), more when needed. */
export function formatAmount(micros: number): string {
  const negative = micros < 0;
  const abs = Math.abs(micros);
  const whole = Math.floor(abs / MICROS_PER_UNIT);
  let fraction = String(abs % MICROS_PER_UNIT).padStart(6, "0").replace(/0+$/, "");
  fraction = fraction.padEnd(2, "0");
  return `${negative ? "-" : ""}${whole}.${fraction}`;
}

/** Token counts priced in micro-units per million tokens. */
export interface TokenCharges {
  cacheHitTokens: number;
  cacheMissTokens: number;
  outputTokens: number;
}

export interface ModelPrice {
  currency: Currency;
  /** Micro-units per 1M prompt tokens served from the prefix cache. */
  inputCacheHitMicros: number;
  /** Micro-units per 1M prompt tokens evaluated. */
  inputCacheMissMicros: number;
  /** Micro-units per 1M completion tokens (reasoning included). */
  outputMicros: number;
}

/**
 * The exact cost of one request in micro-units: the three products summed as integers, divided
 * by one million once, rounded half up. Rounding once per request (not per token class) keeps
 * the error below half a micro-unit per request.
 */
export function costMicros(price: ModelPrice, tokens: TokenCharges): number {
  const numerator =
    BigInt(tokens.cacheHitTokens) * BigInt(price.inputCacheHitMicros) +
    BigInt(tokens.cacheMissTokens) * BigInt(price.inputCacheMissMicros) +
    BigInt(tokens.outputTokens) * BigInt(price.outputMicros);
  return Number((numerator + 500_000n) / 1_000_000n);
}

function numberToPlainString(value: number): string {
  // JSON numbers like 1e-7 print in exponent form; give them the plain form so the regex decides.
  const text = String(value);
  return /e/i.test(text) ? value.toFixed(20).replace(/0+$/, "") : text;
}
