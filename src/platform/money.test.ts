import { describe, expect, it } from "vitest";
import { costMicros, formatAmount, parseAmount } from "./money.ts";
import { PriceTable } from "./prices/price-table.ts";
import { derivePrice } from "./prices/derive-price.ts";
import { toUsageCsv } from "./usage/usage-report.ts";

describe("amounts", () => {
  it.each([
    ["0", 0],
    ["10", 10_000_000],
    ["0.1", 100_000],
    ["12.345678", 12_345_678],
    [" 7.5 ", 7_500_000],
    [0.3, 300_000],
    [110, 110_000_000],
    [1e-6, 1],
  ])("parses %j exactly", (input, micros) => {
    expect(parseAmount(input, "balance")).toBe(micros);
  });

  it.each(["-1", "1e3", "1.2345678", "abc", "", "1,5", "0x10", "Infinity", "1.", ".5", "1 OR 1=1", -1, Number.NaN, null, {}, "99999999999"])("refuses %j", (input) => {
    expect(() => parseAmount(input, "balance")).toThrow(/balance must be/);
  });

  it.each([
    [0, "0.00"],
    [110_000_000, "110.00"],
    [100_000, "0.10"],
    [123, "0.000123"],
    [12_345_678, "12.345678"],
    [-2_500_000, "-2.50"],
  ])("formats %d µ as %s", (micros, text) => {
    expect(formatAmount(micros)).toBe(text);
  });
});

describe("cost", () => {
  const price = { currency: "USD" as const, inputCacheHitMicros: 28_000, inputCacheMissMicros: 280_000, outputMicros: 420_000 };

  it("sums the three classes exactly and rounds once, half up", () => {
    // 1000 hits × 0.028 + 2000 misses × 0.28 + 500 × 0.42 per 1M = 28 + 560 + 210 = 798 µ.
    expect(costMicros(price, { cacheHitTokens: 1000, cacheMissTokens: 2000, outputTokens: 500 })).toBe(798);
    // 1 hit = 0.028 µ; 18 hits = 0.504 µ rounds up to 1, 17 hits = 0.476 µ down to 0.
    expect(costMicros(price, { cacheHitTokens: 18, cacheMissTokens: 0, outputTokens: 0 })).toBe(1);
    expect(costMicros(price, { cacheHitTokens: 17, cacheMissTokens: 0, outputTokens: 0 })).toBe(0);
  });

  it("stays exact far beyond float precision", () => {
    const big = { currency: "CNY" as const, inputCacheHitMicros: 999_999_999, inputCacheMissMicros: 999_999_999, outputMicros: 999_999_999 };
    expect(costMicros(big, { cacheHitTokens: 3_000_000, cacheMissTokens: 3_000_000, outputTokens: 3_000_000 })).toBe(8_999_999_991);
  });
});

describe("price table", () => {
  it("reads per-model entries, a top-level currency and a default", () => {
    const table = new PriceTable({
      currency: "CNY",
      models: { "qwen3:0.6b": { input_cache_hit: "0.5", input_cache_miss: 2, output: "8" }, r1: { currency: "USD", input_cache_hit: 0, input_cache_miss: 0, output: 1 } },
      default: { input_cache_hit: 0, input_cache_miss: 0, output: "0.000001" },
    });
    expect(table.priceFor("qwen3:0.6b")).toEqual({ currency: "CNY", inputCacheHitMicros: 500_000, inputCacheMissMicros: 2_000_000, outputMicros: 8_000_000 });
    expect(table.priceFor("r1").currency).toBe("USD");
    expect(table.priceFor("other").outputMicros).toBe(1);
  });

  it("is zero for unlisted models without a default, unless a price was derived", () => {
    const table = new PriceTable();
    expect(table.priceFor("x")).toEqual({ currency: "USD", inputCacheHitMicros: 0, inputCacheMissMicros: 0, outputMicros: 0 });
    table.setDerived("x", { currency: "USD", inputCacheHitMicros: 1, inputCacheMissMicros: 2, outputMicros: 3 });
    expect(table.priceFor("x").outputMicros).toBe(3);
  });

  it.each([
    [{ models: { m: { input_cache_hit: 1, input_cache_miss: 1 } } }, /models\.m\.output/],
    [{ models: { m: { input_cache_hit: 1, input_cache_miss: 1, output: -1 } } }, /models\.m: output must be/],
    [{ models: { m: { input_cache_hit: 1, input_cache_miss: 1, output: 1, currency: "EUR" } } }, /models\.m\.currency/],
    [{ modles: {} }, /modles/],
  ])("names the bad field of %j", (file, message) => {
    expect(() => new PriceTable(file as never, "prices.json")).toThrow(message);
  });

  it("derives prices from a price per hour and throughput", () => {
    // 3.6 USD/hour at 100 output tokens/s = 360,000 tokens/hour → 10 USD per 1M tokens.
    const price = derivePrice(3_600_000, "USD", { outputTokensPerSecond: 100, promptTokensPerSecond: 1000 });
    expect(price).toEqual({ currency: "USD", outputMicros: 10_000_000, inputCacheMissMicros: 1_000_000, inputCacheHitMicros: 100_000 });
  });
});

describe("usage CSV", () => {
  it("quotes separators and defuses spreadsheet formulas", () => {
    const csv = toUsageCsv(
      [{ group: "key_1", name: '=HYPERLINK("x"), "y"', currency: "USD", requests: 1, promptCacheHitTokens: 2, promptCacheMissTokens: 3, completionTokens: 4, reasoningTokens: 0, costMicros: 5 }],
      "key",
    );
    expect(csv).toBe(
      "key,name,currency,requests,prompt_cache_hit_tokens,prompt_cache_miss_tokens,completion_tokens,reasoning_tokens,cost\r\n" +
        `key_1,"'=HYPERLINK(""x""), ""y""",USD,1,2,3,4,0,0.000005\r\n`,
    );
  });
});
