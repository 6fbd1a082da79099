/**
 * Key lifecycle over real HTTP on both stores: key-free until the first key, then 401 without a
 * valid one (OpenAI's error shape), both header styles, scopes, revocation and expiry seen at once,
 * keys made by the CLI, and the refusal to serve a network address key-free.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keysCreateCommand, keysListCommand, keysRevokeCommand } from "../../src/platform/cli/keys-command.ts";
import { KeyStore } from "../../src/platform/keys/key-store.ts";
import { KeylessNetworkError } from "../../src/platform/server-platform.ts";
import type { RunningServer } from "../../src/server.ts";
import { createTestStore, DIALECTS, type TestStore } from "./helpers/databases.ts";
import { call, chat, client, startPlatformServer } from "./helpers/platform-server.ts";

describe.each(DIALECTS)("keys and auth (%s)", (dialect) => {
  let store: TestStore;
  let server: RunningServer;
  let admin: string;
  let user: string;

  beforeAll(async () => {
    store = await createTestStore(dialect);
    server = await startPlatformServer(store);
  });
  afterAll(async () => {
    await server?.close(0);
    await store?.dispose();
  });

  it("is key-free on loopback until a key exists; the local caller may administer", async () => {
    const completion = await client(server, "anything-at-all").chat.completions.create(chat("hi") as never);
    expect(completion.choices[0].message.content).toBeTypeOf("string");
    expect((await call(server, "GET", "/admin/keys")).body).toEqual({ object: "list", data: [] });
    expect((await call(server, "GET", "/user/balance")).body).toEqual({ is_available: true, balance_infos: [] });
  });

  it("creates keys over HTTP (shown once), after which every API request needs one", async () => {
    const created = await call(server, "POST", "/admin/keys", { body: { name: "ops", admin: true } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ object: "api_key", name: "ops", scopes: ["chat", "admin"], revoked_at: null });
    expect(created.body.key).toMatch(/^sk-[0-9a-f]{64}$/);
    admin = created.body.key;
    user = (await call(server, "POST", "/admin/keys", { key: admin, body: { name: "app" } })).body.key;

    const missing = await call(server, "POST", "/v1/chat/completions", { body: chat("hi") });
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual({ error: { message: expect.stringContaining("didn't provide an API key"), type: "authentication_error", param: null, code: "missing_api_key" } });
    expect(missing.headers.get("www-authenticate")).toMatch(/^Bearer/);

    // The official client, Bearer header; then DeepSeek/Anthropic-style x-api-key.
    const ok = await client(server, user).chat.completions.create(chat("hi") as never);
    expect(ok.usage?.completion_tokens).toBe(4);
    expect((await call(server, "POST", "/v1/chat/completions", { body: chat("hi"), headers: { "x-api-key": user } })).status).toBe(200);
    expect((await call(server, "GET", "/v1/models", { key: user })).status).toBe(200);
    expect((await call(server, "GET", "/v1/models")).status).toBe(401);
  });

  it("never stores or lists the key itself", async () => {
    const listed = await call(server, "GET", "/admin/keys", { key: admin });
    expect(listed.body.data.map((k: { name: string }) => k.name).slice(0, 2)).toEqual(["ops", "app"]);
    expect(JSON.stringify(listed.body)).not.toContain(user);
    const rows = await server.platform.database.db.selectFrom("api_keys").selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(user.slice(3));
  });

  it.each([
    ["a malformed key", "sk-123"],
    ["a well-formed unknown key", `sk-${"0".repeat(64)}`],
    ["SQL in the key", "sk-' OR '1'='1"],
    ["SQL in the key, full length", `sk-'or 1=1;--${"a".repeat(52)}`],
    ["a very long key", `sk-${"a".repeat(5000)}`],
    ["non-ASCII", "sk-ключ"],
  ])("refuses %s with 401 in OpenAI's shape", async (_label, key) => {
    const response = await call(server, "POST", "/v1/chat/completions", { body: chat("hi"), headers: { authorization: `Bearer ${encodeURIComponent(key)}` } });
    expect(response.status).toBe(401);
    expect(response.body.error).toMatchObject({ type: "authentication_error", code: "invalid_api_key" });
  });

  it("answers 431 to a huge header without reaching the app", async () => {
    const response = await fetch(`${server.url}/v1/models`, { headers: { authorization: `Bearer sk-${"a".repeat(70_000)}` } });
    expect(response.status).toBe(431);
  });

  it("keeps /health and /version public; /metrics and /admin need the admin scope", async () => {
    expect((await call(server, "GET", "/health")).status).toBe(200);
    expect((await call(server, "GET", "/version")).status).toBe(200);
    expect((await call(server, "GET", "/metrics")).status).toBe(401);
    const forbidden = await call(server, "GET", "/metrics", { key: user });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error).toMatchObject({ type: "permission_error", code: "insufficient_scope" });
    expect((await call(server, "GET", "/admin/keys", { key: user })).status).toBe(403);
    expect((await call(server, "GET", "/metrics", { key: admin })).status).toBe(200);
    // Scopes are separate: an admin-only key administers but cannot generate.
    const adminOnly = (await call(server, "POST", "/admin/keys", { key: admin, body: { name: "auditor", scopes: ["admin"] } })).body.key;
    expect((await call(server, "GET", "/admin/keys", { key: adminOnly })).status).toBe(200);
    const refused = await call(server, "POST", "/v1/chat/completions", { key: adminOnly, body: chat("hi") });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ type: "permission_error", code: "insufficient_scope" });
  });

  it("sees keys created and revoked by the CLI at once, and refuses expired keys", async () => {
    const lines: string[] = [];
    const io = { out: (t: string) => lines.push(t), err: () => undefined };
    await keysCreateCommand({ name: "from-cli", tpm: 1000, ...store.options }, {}, io);
    const cliKey = lines.pop()!;
    expect(cliKey).toMatch(/^sk-/);
    expect((await call(server, "GET", "/v1/models", { key: cliKey })).status).toBe(200);

    await keysListCommand({ ...store.options }, {}, io);
    expect(lines.pop()).toMatch(/from-cli\s+sk-[0-9a-f]{4}…\s+chat\s+active/);
    const id = (await server.platform.keys.list()).find((k) => k.name === "from-cli")!.id;
    await keysRevokeCommand(id, { ...store.options }, {}, io);
    const revoked = await call(server, "GET", "/v1/models", { key: cliKey });
    expect(revoked.status).toBe(401);
    expect(revoked.body.error.message).toMatch(/revoked/);
    await expect(keysRevokeCommand(id, { ...store.options }, {}, io)).rejects.toThrow(/no active API key/);

    const expired = await server.platform.keys.create({ name: "old", expiresAt: Date.now() - 1000 });
    const response = await call(server, "GET", "/v1/models", { key: expired.token });
    expect(response.status).toBe(401);
    expect(response.body.error.message).toMatch(/expired/);
  });

  it("revokes over HTTP; unknown or SQL-ish ids are 404", async () => {
    const { body } = await call(server, "POST", "/admin/keys", { key: admin, body: { name: "temp" } });
    expect((await call(server, "DELETE", `/admin/keys/${body.id}`, { key: admin })).body).toEqual({ id: body.id, object: "api_key", revoked: true });
    expect((await call(server, "GET", "/v1/models", { key: body.key })).status).toBe(401);
    for (const id of [body.id, "key_x' OR '1'='1", encodeURIComponent("'; DROP TABLE api_keys; --")]) {
      const again = await call(server, "DELETE", `/admin/keys/${id}`, { key: admin });
      expect(again.status).toBe(404);
      expect(again.body.error.code).toBe("key_not_found");
    }
    expect((await server.platform.keys.list()).length).toBeGreaterThan(3);
  });

  it.each([
    [{}, "name"],
    [{ name: "" }, "name"],
    [{ name: "x\u0000y" }, "name"],
    [{ name: "x", scopes: ["root"] }, "scopes.0"],
    [{ name: "x", rpm: -1 }, "rpm"],
    [{ name: "x", rpm: 1.5 }, "rpm"],
    [{ name: "x", balance: "1e3" }, "balance"],
    [{ name: "x", balance: "-5" }, "balance"],
    [{ name: "x", balance: 0.1234567 }, "balance"],
    [{ name: "x", currency: "EUR" }, "currency"],
    [{ name: "x", expires_at: "2001-01-01" }, "expires_at"],
    [{ name: "x", expires_at: "'; DROP TABLE api_keys; --" }, "expires_at"],
    [{ name: "x", is_admin: "1; DROP TABLE api_keys" }, null],
  ])("refuses a bad key definition %j with 400 naming %s", async (body, param) => {
    const response = await call(server, "POST", "/admin/keys", { key: admin, body });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ type: "invalid_request_error", param });
  });

  it("stores SQL-ish names verbatim", async () => {
    const name = `Robert'); DROP TABLE api_keys;-- "x" \\ %_`;
    const created = await call(server, "POST", "/admin/keys", { key: admin, body: { name } });
    expect(created.status).toBe(201);
    expect((await server.platform.keys.get(created.body.id))?.name).toBe(name);
  });
});

describe.each(DIALECTS)("auth modes (%s)", (dialect) => {
  // No models needed: /v1/models answers (an empty list) once authenticated.
  it("--auth requires a key before any exists; a network bind refuses to start key-free unless --no-auth", async () => {
    await using store = await createTestStore(dialect);
    {
      await using strict = await startPlatformServer(store, { auth: true, models: [] });
      expect((await call(strict, "GET", "/v1/models")).status).toBe(401);
    }
    await expect(startPlatformServer(store, { host: "0.0.0.0", models: [] })).rejects.toThrow(KeylessNetworkError);
    {
      await using open = await startPlatformServer(store, { host: "0.0.0.0", auth: false, models: [] });
      expect((await call(open, "GET", "/v1/models", { key: "whatever" })).status).toBe(200);
    }
    let token: string;
    {
      await using database = await store.open();
      ({ token } = await new KeyStore({ db: database.db }).create({ name: "k" }));
    }
    await using network = await startPlatformServer(store, { host: "0.0.0.0", models: [] });
    expect((await call(network, "GET", "/v1/models")).status).toBe(401);
    expect((await call(network, "GET", "/v1/models", { key: token })).status).toBe(200);
  });
});
