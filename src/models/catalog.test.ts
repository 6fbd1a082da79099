import { describe, expect, it } from "vitest";
import { CATALOG, DEFAULT_MODEL_ALIAS, catalogAliases, findCatalogEntry } from "./catalog.ts";

const REQUIRED = [
  "deepseek-r1:1.5b",
  "deepseek-r1:7b",
  "deepseek-r1:8b",
  "deepseek-r1:14b",
  "qwen2.5:0.5b",
  "qwen2.5:1.5b",
  "qwen2.5:3b",
  "qwen2.5:7b",
  "qwen2.5-coder:1.5b",
  "qwen3:0.6b",
  "qwen3:1.7b",
  "qwen3:4b",
  "qwen3:8b",
];

describe("catalog", () => {
  it("has every required alias exactly once", () => {
    const aliases = catalogAliases();
    for (const alias of REQUIRED) expect(aliases.filter((a) => a === alias)).toHaveLength(1);
    expect(new Set(aliases).size).toBe(aliases.length);
  });

  it.each(CATALOG.map((e) => [e.alias, e] as const))("%s is a well-formed single-file GGUF entry", (alias, entry) => {
    expect(alias).toBe(alias.toLowerCase());
    expect(alias.startsWith(`${entry.family}`) || alias.startsWith("qwen2.5-coder")).toBe(true);
    expect(entry.repo).toMatch(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+-GGUF$/);
    expect(entry.file).toMatch(/\.gguf$/);
    expect(entry.file).not.toMatch(/-\d{5}-of-\d{5}\.gguf$/); // no split shards
    expect(entry.file.toLowerCase()).toContain(entry.quantization.toLowerCase());
    expect(alias.split(":")[1]).toBe(entry.parameters.toLowerCase());
    expect(entry.approxBytes).toBeGreaterThan(100_000_000);
    expect(entry.description.length).toBeGreaterThan(10);
    // R1 distills and Qwen3 reason; Qwen2.5 does not.
    expect(entry.thinking).toBe(entry.family !== "qwen2.5");
  });

  it("defaults to the small thinking-capable Qwen3", () => {
    const entry = findCatalogEntry(DEFAULT_MODEL_ALIAS);
    expect(entry?.family).toBe("qwen3");
    expect(entry?.thinking).toBe(true);
    expect(entry!.approxBytes).toBeLessThan(1_000_000_000);
  });

  it("looks aliases up case-insensitively and rejects unknown ones", () => {
    expect(findCatalogEntry(" QWEN3:0.6B ")?.repo).toBe("Qwen/Qwen3-0.6B-GGUF");
    expect(findCatalogEntry("qwen3:9b")).toBeUndefined();
  });
});
