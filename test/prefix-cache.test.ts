/**
 * Context caching: prefixes live in slots and on disk, survive slot eviction and restarts, and a
 * long prefill is processed in chunks so running streams keep producing tokens.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { postJson, startTestServer, tempDataDir } from "./helpers/test-server.ts";

/** About 600 prompt tokens: well above the disk cache's 256-token minimum. */
const longPrompt = (topic: string) => `${topic}: ` + Array.from({ length: 300 }, (_, i) => `word${i % 50} ${topic}`).join(" ");
const ask = (content: string) => ({ model: "chatml", messages: [{ role: "user", content }], max_tokens: 2, ignore_eos: true });

describe("disk prefix cache", () => {
  it("serves a prefix from disk after a restart", async () => {
    const dataDir = tempDataDir();
    const prompt = longPrompt("restart");
    {
      await using server = await startTestServer({ models: ["chatml"], dataDir, parallel: 1 });
      const first = await postJson(server, "/v1/chat/completions", ask(prompt));
      expect(first.body.usage.prompt_tokens).toBeGreaterThan(400);
      expect(first.body.usage.prompt_tokens_details.cached_tokens).toBe(0);
    }
    const modelDirs = readdirSync(path.join(dataDir, "cache"));
    expect(readdirSync(path.join(dataDir, "cache", modelDirs[0])).filter((f) => f.endsWith(".state"))).toHaveLength(1);
    await using server = await startTestServer({ models: ["chatml"], dataDir, parallel: 1 });
    const again = await postJson(server, "/v1/chat/completions", ask(prompt));
    expect(again.body.usage.prompt_tokens_details.cached_tokens).toBe(again.body.usage.prompt_tokens - 1);
    expect(again.body.usage.prompt_cache_hit_tokens).toBe(again.body.usage.prompt_tokens - 1);
  });

  it("brings back a prefix evicted from the only slot", async () => {
    await using server = await startTestServer({ models: ["chatml"], parallel: 1 });
    const a = longPrompt("alpha");
    await postJson(server, "/v1/chat/completions", ask(a));
    await postJson(server, "/v1/chat/completions", ask(longPrompt("beta")));
    const back = await postJson(server, "/v1/chat/completions", ask(a + " and one more question"));
    expect(back.body.usage.prompt_tokens_details.cached_tokens).toBeGreaterThan(400);
  });

  it("is off with cacheDisk false: an evicted prefix is recomputed", async () => {
    await using server = await startTestServer({ models: ["chatml"], parallel: 1, cacheDisk: false });
    const a = longPrompt("gamma");
    await postJson(server, "/v1/chat/completions", ask(a));
    await postJson(server, "/v1/chat/completions", ask(longPrompt("delta")));
    const back = await postJson(server, "/v1/chat/completions", ask(a));
    // Only the chat template's fixed opening is shared with the other prompt.
    expect(back.body.usage.prompt_tokens_details.cached_tokens).toBeLessThan(100);
  });
});

describe("chunked prefill", () => {
  it("a running stream keeps producing tokens while a long prompt is prefilled", async () => {
    await using server = await startTestServer({ models: ["chatml"], parallel: 2, cacheDisk: false, contextSize: 8192 });
    const response = await fetch(`${server.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "chatml", messages: [{ role: "user", content: "stream" }], max_tokens: 2000, ignore_eos: true, stream: true }),
    });
    const reader = response.body!.getReader();
    await reader.read();
    let during = 0;
    let prefillDone = false;
    // ~3,000 prompt tokens: several 512-token batches, each shared with the running stream.
    const long = postJson(server, "/v1/chat/completions", ask(Array.from({ length: 1200 }, (_, i) => `t${i}`).join(" "))).then((r) => {
      prefillDone = true;
      return r;
    });
    while (!prefillDone) {
      const { done, value } = await reader.read();
      if (done) break;
      // One read may carry several SSE frames.
      if (!prefillDone) during += Buffer.from(value).toString().split("data: ").length - 1;
    }
    const result = await long;
    await reader.cancel();
    expect(result.status).toBe(200);
    expect(result.body.usage.prompt_tokens).toBeGreaterThan(2000);
    // Tokens kept streaming during the other request's prefill instead of stalling until it ended.
    expect(during).toBeGreaterThan(3);
  });
});
