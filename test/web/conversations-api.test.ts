/**
 * The web app's server side over real HTTP against a real server (tiny models): `/api/conversations`
 * (CRUD, branches, search, export, validation, per-key isolation), `/api/openapi.json`, the cost
 * lookup, model pulls from a mock hub, and the static files with the SPA fallback.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { startMockHub, type MockHub } from "../../src/models/hf-mock-server.ts";
import { ModelRegistry } from "../../src/pipeline/model-registry.ts";
import type { RunningServer } from "../../src/server.ts";
import type { Conversation, ConversationList, ConversationWithMessages, Message } from "../../src/webapp/conversations/wire.ts";
import { startWebTestServer } from "./helpers/web-server.ts";

let server: RunningServer;
let hub: MockHub;

beforeAll(async () => {
  hub = await startMockHub();
  hub.setFile("sputnik-test/tiny-GGUF", "tiny-pulled.gguf", readFileSync(inject("tinyModels").chatml));
  server = await startWebTestServer({ models: ["tiny"], hfEndpoint: hub.endpoint });
});
afterAll(async () => {
  await server?.close(0);
  await hub?.close();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests index freely into wire JSON
async function call<T = any>(method: string, route: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: T; headers: Headers }> {
  const response = await fetch(`${server.url}${route}`, {
    method,
    headers: { ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: parsed as T, headers: response.headers };
}

describe("/api/conversations", () => {
  it("creates, lists, renames and deletes a conversation", async () => {
    const created = await call<Conversation>("POST", "/api/conversations", { model: "tiny", system_prompt: "Be brief.", settings: { temperature: 0.5, max_tokens: 32 } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ title: "", model: "tiny", system_prompt: "Be brief.", settings: { temperature: 0.5, max_tokens: 32 }, current_leaf_id: null });
    expect(created.body.id).toMatch(/^conv_/);
    const id = created.body.id;

    const renamed = await call<Conversation>("PATCH", `/api/conversations/${id}`, { title: "Renamed" });
    expect(renamed.body.title).toBe("Renamed");
    const list = await call<ConversationList>("GET", "/api/conversations");
    expect(list.body.data.find((c) => c.id === id)?.title).toBe("Renamed");

    expect((await call("DELETE", `/api/conversations/${id}`)).status).toBe(204);
    expect((await call("GET", `/api/conversations/${id}`)).status).toBe(404);
    const gone = await call("DELETE", `/api/conversations/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error).toMatchObject({ type: "not_found_error", code: "conversation_not_found" });
  });

  it("keeps messages as a tree: edits and regenerations are branches; the title comes from the first question", async () => {
    const { body: conversation } = await call<Conversation>("POST", "/api/conversations", {});
    const add = async (parent: string | null, role: "user" | "assistant", content: string, extra: Record<string, unknown> = {}) => {
      const response = await call<Message>("POST", `/api/conversations/${conversation.id}/messages`, { parent_id: parent, role, content, ...extra });
      expect(response.status).toBe(201);
      return response.body;
    };
    const q1 = await add(null, "user", "What is a   tree?\nIn data structures.");
    const a1 = await add(q1.id, "assistant", "A graph without cycles.", {
      reasoning_content: "Think of roots.",
      model: "tiny",
      details: { finish_reason: "length", length_cause: "max_tokens", usage: { prompt_tokens: 9, cached_tokens: 0, reasoning_tokens: 3, completion_tokens: 8 }, reasoning_ms: 2100 },
    });
    const a1b = await add(q1.id, "assistant", "Regenerated answer.");
    const q1b = await add(null, "user", "Edited question");

    const { body: full } = await call<ConversationWithMessages>("GET", `/api/conversations/${conversation.id}`);
    expect(full.title).toBe("What is a tree?");
    expect(full.current_leaf_id).toBe(q1b.id);
    expect(full.messages.map((m) => m.id)).toEqual([q1.id, a1.id, a1b.id, q1b.id]);
    expect(full.messages[1]).toMatchObject({ parent_id: q1.id, reasoning_content: "Think of roots.", model: "tiny", details: { finish_reason: "length", reasoning_ms: 2100 } });

    // Switching branch is browsing: it does not move the conversation up the list.
    const switched = await call<Conversation>("PATCH", `/api/conversations/${conversation.id}`, { current_leaf_id: a1.id });
    expect(switched.body.current_leaf_id).toBe(a1.id);
    expect(switched.body.updated_at).toBe(full.updated_at);

    const markdown = await call<string>("GET", `/api/conversations/${conversation.id}/export?format=markdown`);
    expect(markdown.headers.get("content-type")).toContain("text/markdown");
    expect(markdown.headers.get("content-disposition")).toContain('filename="What-is-a-tree.md"');
    expect(markdown.body).toContain("# What is a tree?");
    expect(markdown.body).toContain("## You\n\nWhat is a   tree?\nIn data structures.");
    expect(markdown.body).toContain("<details><summary>Thought for 2 s</summary>");
    expect(markdown.body).toContain("A graph without cycles.");
    expect(markdown.body).toContain("> The answer was cut: it reached the token limit.");
    expect(markdown.body).not.toContain("Regenerated answer.");
    expect(markdown.body).not.toContain("Edited question");

    const json = await call<ConversationWithMessages>("GET", `/api/conversations/${conversation.id}/export?format=json`);
    expect(json.headers.get("content-disposition")).toContain(".json");
    expect(json.body.messages).toHaveLength(4);
  });

  it("searches titles and message text, case-insensitively, with LIKE wildcards taken literally", async () => {
    const make = async (question: string, answer: string) => {
      const { body } = await call<Conversation>("POST", "/api/conversations", {});
      const q = await call<Message>("POST", `/api/conversations/${body.id}/messages`, { parent_id: null, role: "user", content: question });
      await call("POST", `/api/conversations/${body.id}/messages`, { parent_id: q.body.id, role: "assistant", content: answer });
      return body.id;
    };
    const giraffe = await make("Tell me about Giraffes", "Tall animals.");
    const percent = await make("Discounts", "Save 100% today on ZEBRAS");
    const ids = async (q: string) => (await call<ConversationList>("GET", `/api/conversations?q=${encodeURIComponent(q)}`)).body.data.map((c) => c.id);
    expect(await ids("giraffe")).toEqual([giraffe]);
    expect(await ids("zebras")).toEqual([percent]);
    expect(await ids("100%")).toEqual([percent]);
    expect(await ids("%")).toEqual([percent]);
    expect(await ids("_")).toEqual([]);
    const page = await call<ConversationList>("GET", "/api/conversations?limit=1");
    expect(page.body.data).toHaveLength(1);
    expect(page.body.has_more).toBe(true);
    expect(page.body.data[0].id).toBe(percent);
  });

  it("refuses bad input with the field named", async () => {
    const { body: conversation } = await call<Conversation>("POST", "/api/conversations", {});
    const cases: Array<[string, unknown, string | null]> = [
      [`/api/conversations/${conversation.id}/messages`, { parent_id: null, role: "assistant", content: "x" }, "role"],
      [`/api/conversations/${conversation.id}/messages`, { parent_id: "msg_nope", role: "user", content: "x" }, "parent_id"],
      [`/api/conversations/${conversation.id}/messages`, { parent_id: null, role: "system", content: "x" }, "role"],
      [`/api/conversations/${conversation.id}/messages`, { parent_id: null, role: "user" }, "content"],
      ["/api/conversations", { settings: { temperature: 5 } }, "settings.temperature"],
      ["/api/conversations", { title: "x".repeat(201) }, "title"],
    ];
    for (const [route, body, param] of cases) {
      const response = await call("POST", route, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error.param, JSON.stringify(body)).toBe(param);
    }
    const q = await call<Message>("POST", `/api/conversations/${conversation.id}/messages`, { parent_id: null, role: "user", content: "hi" });
    const twice = await call("POST", `/api/conversations/${conversation.id}/messages`, { parent_id: q.body.id, role: "user", content: "again" });
    expect(twice.status).toBe(400);
    expect((await call("PATCH", `/api/conversations/${conversation.id}`, { current_leaf_id: "msg_other" })).status).toBe(400);
    expect((await call("GET", "/api/conversations?limit=0")).body.error.param).toBe("limit");
    expect((await call("GET", `/api/conversations/${conversation.id}/export?format=pdf`)).status).toBe(400);
    const notJson = await fetch(`${server.url}/api/conversations`, { method: "POST", body: "{" });
    expect(notJson.status).toBe(400);
  });
});

describe("/api/openapi.json", () => {
  it("describes every route with schemas that resolve", async () => {
    const { status, body } = await call("GET", "/api/openapi.json");
    expect(status).toBe(200);
    expect(body.openapi).toBe("3.1.0");
    expect(Object.keys(body.paths)).toEqual(["/api/conversations", "/api/conversations/{id}", "/api/conversations/{id}/messages", "/api/conversations/{id}/export"]);
    const refs = [...JSON.stringify(body).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) expect(body.components.schemas, ref).toHaveProperty(ref);
    expect(body.components.schemas.CreateMessage.required).toEqual(["parent_id", "role", "content"]);
    expect(body.components.schemas.Message.properties.details).toBeDefined();
  });
});

describe("static files", () => {
  it("serves the app at / and answers index.html for app routes, never for API routes", async () => {
    const root = await fetch(`${server.url}/`);
    expect(root.status).toBe(200);
    expect(root.headers.get("content-type")).toContain("text/html");
    expect(root.headers.get("content-security-policy")).toContain("default-src 'self'");
    const html = await root.text();
    expect(html).toContain('<div id="root">');
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const script = await fetch(`${server.url}${asset}`);
    expect(script.headers.get("content-type")).toContain("javascript");
    expect(script.headers.get("cache-control")).toContain("immutable");

    for (const route of ["/c/conv_123", "/manage/usage", "/some/deep/link"]) {
      const response = await fetch(`${server.url}${route}`);
      expect(response.status, route).toBe(200);
      expect(await response.text(), route).toBe(html);
    }
    for (const route of ["/v1/nope", "/api/nope", "/admin/nope", "/assets/missing-abc.js", "/favicon.ico", "/health/x"]) {
      const response = await fetch(`${server.url}${route}`);
      expect(response.status, route).toBe(404);
    }
    expect((await call("GET", "/v1/nope")).body.error.code).toBe("unknown_route");
    expect((await fetch(`${server.url}/%2e%2e/%2e%2e/package.json`)).status).not.toBe(200);
    const head = await fetch(`${server.url}/c/x`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
  });

  it("says how to build the app when web/dist is missing", async () => {
    const app = createApp({ models: new ModelRegistry(), maxBodyBytes: 1 << 20, webDistDir: mkdtempSync(path.join(os.tmpdir(), "sputnik-no-dist-")) });
    const response = await app.request("/");
    expect(response.status).toBe(503);
    expect(await response.text()).toContain("npm run build:web");
    expect((await app.request("/v1/models")).status).toBe(200);
  });
});

describe("model pulls", () => {
  it("lists the catalog and refuses local files and ids already served", async () => {
    const catalog = await call("GET", "/api/models/catalog");
    expect(catalog.body.data.map((e: { alias: string }) => e.alias)).toContain("qwen3:0.6b");
    expect(catalog.body.data[0]).toMatchObject({ downloaded: false });
    const local = await call("POST", "/api/models/pull", { spec: "/etc/passwd" });
    expect(local.status).toBe(400);
    expect(local.body.error.param).toBe("spec");
    const served = await call("POST", "/api/models/pull", { spec: "tiny=hf:sputnik-test/tiny-GGUF/tiny-pulled.gguf" });
    expect(served.status).toBe(409);
    expect((await call("POST", "/api/models/pull", { spec: "nope:1b" })).status).toBe(400);
  });

  it("downloads from the hub with progress frames, then serves the model", async () => {
    const response = await fetch(`${server.url}/api/models/pull`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ spec: "hf:sputnik-test/tiny-GGUF/tiny-pulled.gguf" }),
    });
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const frames = (await response.text()).split("\n\n").filter(Boolean).map((frame) => frame.replace(/^data: /, ""));
    expect(frames.at(-1)).toBe("[DONE]");
    const events = frames.slice(0, -1).map((frame) => JSON.parse(frame));
    const size = readFileSync(inject("tinyModels").chatml).length;
    expect(events.filter((e) => e.type === "progress").at(-1)).toEqual({ type: "progress", downloaded_bytes: size, total_bytes: size });
    expect(events.slice(-2)).toEqual([
      { type: "loading", id: "tiny-pulled" },
      { type: "done", id: "tiny-pulled" },
    ]);
    const models = await call("GET", "/v1/models");
    expect(models.body.data.find((m: { id: string }) => m.id === "tiny-pulled")?.meta.status).toBe("ready");
    const chat = await call("POST", "/v1/chat/completions", { model: "tiny-pulled", messages: [{ role: "user", content: "hi" }], max_tokens: 3 });
    expect(chat.status).toBe(200);
  });

  it("reports a failed download inside the stream", async () => {
    const response = await fetch(`${server.url}/api/models/pull`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ spec: "hf:sputnik-test/tiny-GGUF/missing.gguf" }),
    });
    const text = await response.text();
    expect(text).toContain('"type":"error"');
    expect(text).toContain('"code":"not_found"');
  });
});

// Last: creating keys turns auth on for this server (auth mode `auto`).
describe("per-key conversations", () => {
  it("shows each key only its own conversations and costs; no key is a 401", async () => {
    const chatCompletion = await call("POST", "/v1/chat/completions", { model: "tiny", messages: [{ role: "user", content: "hi" }], max_tokens: 2 });
    const local = await call("GET", `/api/usage/${chatCompletion.body.id}`);
    expect(local.body).toMatchObject({ id: chatCompletion.body.id, status: "completed", currency: "USD" });
    // Prompt tokens at $0.27 and 2 output tokens at $1.10 per million: a few micro-dollars.
    expect(local.body.cost_micros).toBeGreaterThan(0);
    expect(local.body.cost_micros).toBeLessThan(100);

    const a = (await server.platform.keys.create({ name: "alice" })).token;
    const b = (await server.platform.keys.create({ name: "bob" })).token;
    const as = (token: string) => ({ authorization: `Bearer ${token}` });
    expect((await call("GET", "/api/conversations")).status).toBe(401);
    const me = await call("GET", "/api/me", undefined, as(a));
    expect(me.body).toMatchObject({ name: "alice", scopes: ["chat"], local: false });

    const mine = await call<Conversation>("POST", "/api/conversations", { title: "Alice's" }, as(a));
    expect(mine.status).toBe(201);
    expect((await call<ConversationList>("GET", "/api/conversations", undefined, as(a))).body.data.map((c) => c.title)).toEqual(["Alice's"]);
    expect((await call<ConversationList>("GET", "/api/conversations", undefined, as(b))).body.data).toEqual([]);
    for (const [method, route] of [
      ["GET", `/api/conversations/${mine.body.id}`],
      ["DELETE", `/api/conversations/${mine.body.id}`],
      ["GET", `/api/conversations/${mine.body.id}/export`],
    ]) {
      expect((await call(method, route, undefined, as(b))).status, `${method} ${route}`).toBe(404);
    }
    expect((await call("PATCH", `/api/conversations/${mine.body.id}`, { title: "x" }, as(b))).status).toBe(404);

    const paid = await call("POST", "/v1/chat/completions", { model: "tiny", messages: [{ role: "user", content: "hi" }], max_tokens: 2 }, as(a));
    expect((await call("GET", `/api/usage/${paid.body.id}`, undefined, as(a))).status).toBe(200);
    expect((await call("GET", `/api/usage/${paid.body.id}`, undefined, as(b))).status).toBe(404);
    // A chat key may not pull models.
    expect((await call("POST", "/api/models/pull", { spec: "qwen3:0.6b" }, as(a))).status).toBe(403);
  });
});
