/**
 * The gate on the way in, over real HTTP: input rules (block → 400 content_policy, redact), the
 * privacy shield (mask, block), a judge asked in-process, and the audit and data-control APIs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getJson, startModeratedServer, type ModeratedServer } from "./moderated-server.ts";

const post = (m: ModeratedServer, body: object) =>
  getJson(m.server, "/v1/chat/completions", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const ask = (content: string, extra: object = {}) => ({ model: "chatml", messages: [{ role: "user", content }], max_tokens: 12, seed: 5, ignore_eos: true, ...extra });

describe("input moderation, privacy shield and audit API", () => {
  let m: ModeratedServer;
  beforeAll(async () => (m = await startModeratedServer()));
  afterAll(async () => m && (await m[Symbol.asyncDispose]()));

  it("blocked input gets 400 content_policy with the reason, and is audited", async () => {
    await m.setPolicy({
      policies: [{ name: "no-weapons", rules: [{ name: "explosives", on: "input", action: "block", reason: "weapons instructions", keywords: ["pipe bomb"] }] }],
      audit: { excerpt: "keep" },
    });
    const refused = await post(m, { ...ask("hello"), messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "How to build a Pipe Bomb?" }] });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toEqual({
      message: "Blocked by policy no-weapons: weapons instructions",
      type: "invalid_request_error",
      param: "messages.1.content",
      code: "content_policy",
    });
    const rows = (await getJson(m.server, "/admin/audit")).body.data;
    expect(rows[0]).toMatchObject({ policy: "no-weapons", rule: "explosives", action: "block", excerpt: "Pipe Bomb", model: "chatml" });
  });

  it("redacted input reaches the model with the marker in place", async () => {
    await m.setPolicy({ policies: [{ name: "p", rules: [{ name: "codename", on: "input", action: "redact", reason: "internal", keywords: ["Bluebird"], marker: "[x]" }] }] });
    const redacted = await post(m, ask("Project Bluebird ships soon"));
    await m.setPolicy({});
    const literal = await post(m, ask("Project [x] ships soon"));
    // The model saw exactly the same prompt: same tokens, same seeded answer.
    expect(redacted.body.usage.prompt_tokens).toBe(literal.body.usage.prompt_tokens);
    expect(redacted.body.choices[0].message.content).toBe(literal.body.choices[0].message.content);
    expect(redacted.body.choices[0].moderation).toEqual({ policy: "p", rule: "codename", action: "redact", reason: "internal" });
  });

  it("privacy mask: the model sees placeholders; the audit log never sees the value", async () => {
    await m.setPolicy({ privacy: { mode: "mask", scope: "all" }, audit: { excerpt: "keep" } });
    const masked = await post(m, ask("Write to alice@example.com about card 4111 1111 1111 1111"));
    await m.setPolicy({});
    const placeholders = await post(m, ask("Write to [EMAIL_1] about card [CARD_1]"));
    const plain = await post(m, ask("Write to alice@example.com about card 4111 1111 1111 1111"));
    expect(masked.status).toBe(200);
    expect(masked.body.usage.prompt_tokens).toBe(placeholders.body.usage.prompt_tokens);
    expect(masked.body.choices[0].message.content).toBe(placeholders.body.choices[0].message.content);
    expect(plain.body.usage.prompt_tokens).not.toBe(masked.body.usage.prompt_tokens);
    const rows = (await getJson(m.server, "/admin/audit")).body.data.filter((r: { requestId: string }) => r.requestId === masked.body.id);
    expect(rows.map((r: { rule: string; action: string; excerpt: string }) => [r.rule, r.action, r.excerpt]).sort()).toEqual([
      ["credit-card", "mask", "[CARD]"],
      ["email", "mask", "[EMAIL]"],
    ]);
  });

  it("privacy block refuses a request carrying private data", async () => {
    await m.setPolicy({ privacy: { mode: "block", scope: "all", detectors: ["kr-rrn", "cn-id"] } });
    const refused = await post(m, ask("My RRN is 850315-1234567"));
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe("content_policy");
    expect(refused.body.error.message).toMatch(/privacy: the request contains private data \(kr-rrn\)/);
    expect((await post(m, ask("No numbers here"))).status).toBe(200);
  });

  it("a judge is a served model asked in-process; its verdict drives the action", async () => {
    // A random-weight model answers the same whitespace to every question at temperature 0: the
    // operator's `yes` pattern decides what counts as yes, so the test builds one that matches.
    const judge = { model: "chatml", prompt: "Is this about cooking? Answer yes or no.\n\n{{text}}" };
    await m.setPolicy({ policies: [{ name: "j", rules: [{ name: "cooking", on: "input", action: "block", reason: "off topic", judge: { ...judge, yes: "^\\s*$" } }] }] });
    const refused = await post(m, ask("How do I bake bread?"));
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toBe("Blocked by policy j: off topic");
    await m.setPolicy({ policies: [{ name: "j", rules: [{ name: "cooking", on: "input", action: "block", reason: "off topic", judge }] }] });
    expect((await post(m, ask("How do I bake bread?"))).status).toBe(200);
    // A judge that cannot be asked follows its onError.
    await m.setPolicy({ policies: [{ name: "j", rules: [{ name: "r", on: "input", action: "block", reason: "judge down", judge: { ...judge, model: "absent", onError: "block" } }] }] });
    expect((await post(m, ask("anything"))).status).toBe(400);
  });

  it("GET /admin/audit filters by time, exports CSV, validates its parameters", async () => {
    const now = Date.now();
    const all = (await getJson(m.server, "/admin/audit")).body.data;
    expect(all.length).toBeGreaterThan(0);
    for (const row of all) expect(Object.keys(row).sort()).toEqual(["action", "excerpt", "keyId", "model", "policy", "requestId", "rule", "time"]);
    expect((await getJson(m.server, `/admin/audit?from=${now + 60_000}`)).body.data).toEqual([]);
    expect((await getJson(m.server, `/admin/audit?to=${new Date(now + 60_000).toISOString()}&limit=1`)).body.data).toHaveLength(1);
    const csv = await fetch(`${m.server.url}/admin/audit?format=csv`);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trim().split("\r\n");
    expect(lines[0]).toBe("time,requestId,keyId,model,policy,rule,action,excerpt");
    expect(lines).toHaveLength(all.length + 1);
    expect((await getJson(m.server, "/admin/audit?format=xml")).status).toBe(400);
    expect((await getJson(m.server, "/admin/audit?from=yesterday")).body.error.param).toBe("from");
  });

  it("DELETE /api/me/data removes the caller's audit rows (and conversations)", async () => {
    const deleted = await getJson(m.server, "/api/me/data", { method: "DELETE" });
    expect(deleted.status).toBe(200);
    expect(deleted.body.deleted.audit).toBeGreaterThan(0);
    expect(deleted.body.deleted.conversations).toBe(0);
    expect((await getJson(m.server, "/admin/audit")).body.data).toEqual([]);
  });
});
