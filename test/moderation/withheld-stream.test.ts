/**
 * The never-silent guarantee end to end, over real HTTP with a real (tiny, random-weight) model:
 * a policy that withholds a topic mid-answer cuts the stream where the topic starts, the client
 * gets the text so far and then `content_filter` with the policy's reason, the audit log has the
 * entry — and without the policy the same seeded request streams untouched.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { streamChatCompletion } from "../../src/chat/api.ts";
import { ChatView } from "../../src/chat/render.ts";
import { runTurn } from "../../src/chat/turn.ts";
import { Capture } from "../../src/chat/fake-openai-server.ts";
import { getJson, startModeratedServer, streamChat, type ModeratedServer } from "./moderated-server.ts";

/** A seeded request whose answer is the same every time (random weights, fixed seed, no early stop). */
const REQUEST = { model: "chatml", messages: [{ role: "user", content: "Tell me a story" }], max_tokens: 40, seed: 11, ignore_eos: true };

/** A word the model emits somewhere past the first third of its answer, first occurring there. */
function wordFrom(text: string, after: number): { word: string; index: number } {
  for (const m of text.matchAll(/[A-Za-z]{5,}/g)) {
    if (m.index >= after && text.indexOf(m[0]) === m.index) return { word: m[0], index: m.index };
  }
  throw new Error(`no usable word in ${JSON.stringify(text)}`);
}

const policyBlocking = (word: string) => ({
  policies: [
    {
      name: "family-safe",
      rules: [{ name: "topic", on: "output", action: "block", reason: "this topic is not discussed here", keywords: [word], wholeWord: false }],
    },
  ],
});

describe("a policy that withholds a topic mid-answer", () => {
  let m: ModeratedServer;
  let baseline: Awaited<ReturnType<typeof streamChat>>;
  let topic: { word: string; index: number };

  beforeAll(async () => {
    m = await startModeratedServer();
    baseline = await streamChat(m.server, REQUEST);
    topic = wordFrom(baseline.content, Math.floor(baseline.content.length / 3));
  });
  afterAll(async () => m && (await m[Symbol.asyncDispose]()));

  it("without a policy the answer streams untouched", () => {
    expect(baseline.status).toBe(200);
    expect(baseline.finishReason).toBe("length");
    expect(baseline.moderation).toBeUndefined();
    expect(baseline.content.length).toBeGreaterThan(topic.index);
  });

  it("streams the text so far, then content_filter with the policy's reason; the audit log has the entry", async () => {
    expect((await m.setPolicy(policyBlocking(topic.word))).status).toBe(200);
    const cut = await streamChat(m.server, { ...REQUEST, stream_options: { include_usage: true } });
    expect(cut.status).toBe(200);
    expect(cut.content).toBe(baseline.content.slice(0, topic.index));
    expect(cut.finishReason).toBe("content_filter");
    expect(cut.moderation).toEqual({ policy: "family-safe", rule: "topic", action: "block", reason: "this topic is not discussed here" });
    // The stream ends properly: usage of the tokens really generated, then [DONE].
    const usage = cut.frames.at(-1)?.usage;
    expect(usage.completion_tokens).toBeGreaterThan(0);
    expect(usage.completion_tokens).toBeLessThanOrEqual(REQUEST.max_tokens);
    expect(cut.raw.trimEnd().endsWith("data: [DONE]")).toBe(true);

    const audit = await getJson(m.server, "/admin/audit");
    expect(audit.status).toBe(200);
    const row = audit.body.data.find((r: { requestId: string }) => r.requestId === cut.frames[0].id);
    expect(row).toEqual({
      time: expect.any(String),
      requestId: cut.frames[0].id,
      keyId: null,
      model: "chatml",
      policy: "family-safe",
      rule: "topic",
      action: "block",
      excerpt: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
    });

    // The ledger records what the client was told: completed, content_filter, the tokens generated.
    await m.server.platform.settlements.whenSettled(cut.frames[0].id);
    const ledger = await m.server.platform.database.db
      .selectFrom("usage_ledger")
      .select(["status", "finish_reason", "completion_tokens"])
      .where("id", "=", cut.frames[0].id)
      .executeTakeFirstOrThrow();
    expect(ledger).toEqual({ status: "completed", finish_reason: "content_filter", completion_tokens: usage.completion_tokens });
  });

  it("the non-streamed answer says the same on its choice", async () => {
    const response = await getJson(m.server, "/v1/chat/completions", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(REQUEST),
    });
    const choice = response.body.choices[0];
    expect(choice.message.content).toBe(baseline.content.slice(0, topic.index));
    expect(choice.finish_reason).toBe("content_filter");
    expect(choice.moderation).toMatchObject({ policy: "family-safe", action: "block", reason: "this topic is not discussed here" });
  });

  it("the terminal chat shows what was withheld and why", async () => {
    const out = new Capture();
    const abort = new AbortController();
    const result = await runTurn({ chunks: streamChatCompletion(m.server.url, REQUEST, abort.signal), signal: abort.signal, view: new ChatView(out) });
    expect(result.finishReason).toBe("content_filter");
    expect(out.text).toContain("Withheld by policy family-safe: this topic is not discussed here");
  });

  it("redact replaces the span and annotate attaches a note; the answer goes on", async () => {
    const later = wordFrom(baseline.content, topic.index + topic.word.length);
    await m.setPolicy({
      policies: [
        {
          name: "tidy",
          rules: [
            { name: "mask-word", on: "output", action: "redact", reason: "house style", keywords: [topic.word], wholeWord: false, marker: "[…]" },
            { name: "note", on: "output", action: "annotate", reason: "mentions a product", keywords: [later.word], wholeWord: false },
          ],
        },
      ],
    });
    const result = await streamChat(m.server, REQUEST);
    expect(result.content).toBe(baseline.content.split(topic.word).join("[…]"));
    expect(result.finishReason).toBe("length");
    // The most severe decision is the one on the final chunk; the audit log has both.
    expect(result.moderation).toEqual({ policy: "tidy", rule: "mask-word", action: "redact", reason: "house style" });
    const rows = (await getJson(m.server, "/admin/audit")).body.data.filter((r: { requestId: string }) => r.requestId === result.frames[0].id);
    expect(rows.map((r: { action: string }) => r.action).sort()).toEqual(["annotate", "redact"]);
  });

  it("completions are withheld the same way", async () => {
    const body = { model: "chatml", prompt: "Once upon a time", max_tokens: 40, seed: 3, ignore_eos: true };
    await m.setPolicy({});
    const free = await getJson(m.server, "/v1/completions", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const word = wordFrom(free.body.choices[0].text, 10);
    await m.setPolicy(policyBlocking(word.word));
    const cut = await getJson(m.server, "/v1/completions", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    expect(cut.body.choices[0].text).toBe(free.body.choices[0].text.slice(0, word.index));
    expect(cut.body.choices[0].finish_reason).toBe("content_filter");
    expect(cut.body.choices[0].moderation.policy).toBe("family-safe");
  });

  it("a bad policy file is refused and the policy in force stays", async () => {
    await m.setPolicy(policyBlocking(topic.word));
    const refused = await m.setPolicy({ policies: [{ name: "broken", rules: [{ name: "r", action: "explode", reason: "x", keywords: ["a"] }] }] });
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/policies\.0\.rules\.0\.action/);
    expect((await streamChat(m.server, REQUEST)).finishReason).toBe("content_filter");
  });

  it("after the policy is removed, the same request streams untouched again", async () => {
    expect((await m.setPolicy({})).status).toBe(200);
    const again = await streamChat(m.server, REQUEST);
    expect(again.content).toBe(baseline.content);
    expect(again.finishReason).toBe("length");
    expect(again.moderation).toBeUndefined();
  });
});
