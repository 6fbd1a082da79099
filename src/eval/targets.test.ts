import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { configFromFlags, runEvalCommand } from "./eval-command.ts";
import { apiKeyFor, parsePriceSpec, parseTargetSpec } from "./targets.ts";

describe("parseTargetSpec", () => {
  it("reads NAME=BASE_URL,MODEL[,API_KEY_ENV]", () => {
    expect(parseTargetSpec("deepseek=https://api.deepseek.com/,deepseek-chat,DEEPSEEK_API_KEY")).toEqual({
      kind: "remote",
      name: "deepseek",
      baseUrl: "https://api.deepseek.com",
      model: "deepseek-chat",
      apiKeyEnv: "DEEPSEEK_API_KEY",
    });
    expect(parseTargetSpec("local=http://127.0.0.1:8080/v1,qwen3:0.6b")).toEqual({ kind: "remote", name: "local", baseUrl: "http://127.0.0.1:8080/v1", model: "qwen3:0.6b" });
  });
  it.each([
    ["https://api.deepseek.com,deepseek-chat", /NAME=BASE_URL/],
    ["x=https://api.deepseek.com", /NAME=BASE_URL/],
    ["x=not a url,m", /not a URL/],
    ["x=ftp://h/v1,m", /only http/],
    ["x=https://h/v1,m,sk-abc123-literal-key", /not an environment variable name/],
  ])("rejects %s", (value, message) => {
    expect(() => parseTargetSpec(value)).toThrow(message);
  });
  it("reads the API key from the named variable only", () => {
    const spec = parseTargetSpec("d=https://h/v1,m,MY_KEY");
    expect(apiKeyFor(spec, { MY_KEY: "sk-1" })).toBe("sk-1");
    expect(() => apiKeyFor(spec, {})).toThrow("environment variable MY_KEY is not set");
  });
});

describe("parsePriceSpec", () => {
  it("reads prices per million tokens, USD by default", () => {
    expect(parsePriceSpec("d=0.27,1.10")).toEqual({ target: "d", price: { inputPerMillion: 0.27, outputPerMillion: 1.1, currency: "USD" } });
    expect(parsePriceSpec("q=2,8,cny").price.currency).toBe("CNY");
    expect(() => parsePriceSpec("d=abc,1")).toThrow(/--price/);
    expect(() => parsePriceSpec("d=1")).toThrow(/--price/);
  });
});

describe("configFromFlags", () => {
  it("builds a run configuration with defaults", () => {
    const config = configFromFlags({ target: ["a=http://h/v1,m"], model: ["/models/tiny.gguf"], suite: "math,refusal", judge: "a", price: ["a=1,2"] });
    expect(config).toMatchObject({ seed: 1, maxTokens: 1024, concurrency: 4, temperature: 0, limit: undefined });
    expect(config.targets.map((t) => t.name)).toEqual(["a", "tiny"]);
    expect(config.judge).toMatchObject({ name: "a" });
    expect(config.suites.map((s) => s.name)).toEqual(["math", "refusal"]);
  });
  it.each([
    [{}, /Nothing to evaluate/],
    [{ target: ["a=http://h/v1,m", "a=http://h/v1,n"] }, /Two targets are named "a"/],
    [{ target: ["a=http://h/v1,m"], price: ["b=1,2"] }, /not a target/],
    [{ target: ["a=http://h/v1,m"], limit: 0 }, /--limit/],
    [{ target: ["a=http://h/v1,m"], concurrency: 100 }, /--concurrency/],
    [{ target: ["a=http://h/v1,m"], judge: "nobody" }, /--judge "nobody"/],
    [{ target: ["a=http://h/v1,m"], suite: "history" }, /Unknown suite/],
  ])("rejects %j", (flags, message) => {
    expect(() => configFromFlags(flags)).toThrow(message);
  });
});

describe("runEvalCommand flag handling", () => {
  it("lists the suites", async () => {
    let text = "";
    const stdout = { write: (chunk: string) => ((text += chunk), true) } as unknown as NodeJS.WritableStream;
    expect(await runEvalCommand({ listSuites: true }, {}, { stdout })).toBeUndefined();
    for (const name of ["math", "instruct", "code", "knowledge", "refusal"]) expect(text).toContain(name);
  });
  it("refuses to change a run's configuration on resume", async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "sputnik-flags-"));
    await expect(runEvalCommand({ resume: "x", seed: 2, dataDir }, {})).rejects.toThrow(/drop --seed/);
    await expect(runEvalCommand({ resume: "missing", dataDir }, {})).rejects.toThrow(/No evaluation run "missing"/);
  });
});
