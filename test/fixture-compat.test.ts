/**
 * Loader compatibility with GGUF files made by other tools (llama.cpp's converter), from the
 * read-only ../shared/fixtures folder. They are not ours to commit, so where the folder is absent
 * this test is skipped and says so.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseServeConfig } from "../src/core/config.ts";
import { startServer } from "../src/server.ts";
import { tempDataDir } from "./helpers/test-server.ts";

const fixture = path.resolve(import.meta.dirname, "../../shared/fixtures/llama-2-tiny-random.gguf");
const present = existsSync(fixture);
if (!present) console.warn(`fixture-compat: ${fixture} is absent; skipping the third-party GGUF loader test.`);

describe("third-party GGUF (llama-2-tiny-random, SentencePiece vocabulary, no chat template)", () => {
  it.skipIf(!present)("loads, falls back to ChatML, and generates through the API", async () => {
    const config = parseServeConfig({ port: 0, gpu: "cpu", threads: 1, parallel: 1, dataDir: tempDataDir() }, {});
    await using server = await startServer(config, [{ id: "llama2", path: fixture }]);
    await server.ready;
    const response = await fetch(`${server.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "llama2", messages: [{ role: "user", content: "Hello" }], max_tokens: 5, ignore_eos: true }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { usage: { completion_tokens: number }; choices: Array<{ message: { content: string } }> };
    expect(body.usage.completion_tokens).toBe(5);
    expect(body.choices[0].message.content.length).toBeGreaterThan(0);
    const models = (await (await fetch(`${server.url}/v1/models`)).json()) as { data: Array<{ meta: { architecture: string } }> };
    expect(models.data[0].meta.architecture).toBe("llama");
  });
});
