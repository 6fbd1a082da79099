/**
 * Overload and cancellation against a real server with one slot: a client that disconnects frees
 * its slot (generation stops), and a full queue refuses at once with 503 + Retry-After.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../src/server.ts";
import { postJson, startTestServer } from "./helpers/test-server.ts";

let server: RunningServer;

beforeAll(async () => {
  server = await startTestServer({ models: ["chatml"], parallel: 1, maxQueue: 1 });
});
afterAll(async () => {
  await server?.close(0);
});

const long = { model: "chatml", messages: [{ role: "user", content: "talk for a long time" }], max_tokens: 3000, ignore_eos: true, stream: true };

/** Starts a streaming request and resolves once its first frame has arrived. */
async function startStream(signal: AbortSignal): Promise<ReadableStreamDefaultReader<Uint8Array>> {
  const response = await fetch(`${server.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(long),
    signal,
  });
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  await reader.read();
  return reader;
}

describe("cancellation", () => {
  it("a client that disconnects mid-stream stops its generation and frees the slot", async () => {
    const model = server.models.get("chatml");
    const abort = new AbortController();
    const reader = await startStream(abort.signal);
    for (let i = 0; i < 3; i++) await reader.read();
    abort.abort();
    await model.scheduler.waitFor((stats) => stats.busy === 0);
    // The slot holds the prompt plus what was generated before the disconnect, far from 3000.
    const generated = model.engine.slots[0].cachedTokens.length;
    expect(generated).toBeLessThan(1000);
    const next = await postJson(server, "/v1/chat/completions", { model: "chatml", messages: [{ role: "user", content: "next" }], max_tokens: 3 });
    expect(next.status).toBe(200);
  });
});

describe("overload", () => {
  it("queues one request, refuses the next at once with 503 and Retry-After, then serves the queued one", async () => {
    const model = server.models.get("chatml");
    const abort = new AbortController();
    await startStream(abort.signal);
    const queued = postJson(server, "/v1/chat/completions", { model: "chatml", messages: [{ role: "user", content: "queued" }], max_tokens: 2 });
    await model.scheduler.waitFor((stats) => stats.queued === 1);

    const refused = await postJson(server, "/v1/chat/completions", { model: "chatml", messages: [{ role: "user", content: "refused" }], max_tokens: 2 });
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect(refused.body.error).toMatchObject({ type: "overloaded_error", code: "server_busy" });

    abort.abort();
    const served = await queued;
    expect(served.status).toBe(200);
    expect(served.body.usage.completion_tokens).toBeGreaterThan(0);
  });
});

describe("slot reuse under load", () => {
  it("a request on a used slot starts while other streams keep running", async () => {
    await using busy = await startTestServer({ models: ["chatml"], parallel: 3, cacheDisk: false });
    const model = busy.models.get("chatml");
    // Leave stale tokens in every slot, so the next request must trim one.
    await Promise.all([1, 2, 3].map((i) => postJson(busy, "/v1/chat/completions", { model: "chatml", messages: [{ role: "user", content: `warm ${i}` }], max_tokens: 4, ignore_eos: true })));
    const abort = new AbortController();
    const streams = await Promise.all([0, 1].map(async () => {
      const response = await fetch(`${busy.url}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(long), signal: abort.signal });
      const reader = response.body!.getReader();
      await reader.read();
      return reader;
    }));
    await model.scheduler.waitFor((stats) => stats.busy === 2);
    const third = await postJson(busy, "/v1/chat/completions", { model: "chatml", messages: [{ role: "user", content: "a different question" }], max_tokens: 3, ignore_eos: true });
    expect(third.status).toBe(200);
    // The two 3,000-token streams are still running: the third did not wait for them to end.
    expect(model.scheduler.stats().busy).toBe(2);
    abort.abort();
    await Promise.allSettled(streams.map((reader) => reader.cancel()));
  });
});
