import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parsePolicyText, PolicyFileError } from "./load-policy-file.ts";
import { PolicySource, type ReloadResult } from "./policy-source.ts";

const GOOD_YAML = `
policies:
  - name: family-safe
    models: [tiny]
    rules:
      - name: violence
        on: output
        action: block
        reason: graphic violence
        keywords: [gore, decapitate]
      - name: contact
        action: redact
        reason: no contact details
        pii: [email, phone]
privacy:
  mode: mask
audit:
  excerpt: keep
retention:
  auditDays: 30
`;

function problemsOf(text: string, file = "p.yaml"): string[] {
  try {
    parsePolicyText(text, file);
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyFileError);
    return [...(error as PolicyFileError).problems];
  }
  throw new Error("expected the policy to be rejected");
}

describe("policy file", () => {
  it("parses YAML with defaults filled in", () => {
    const policy = parsePolicyText(GOOD_YAML, "p.yaml");
    expect(policy.policies).toEqual(["family-safe"]);
    expect(policy.rules.map((r) => [r.rule, r.input, r.output, r.action])).toEqual([
      ["violence", false, true, "block"],
      ["contact", true, true, "redact"],
    ]);
    expect(policy.rules[1].marker).toBe("[redacted]");
    expect(policy.privacy).toMatchObject({ mode: "mask", scope: "remote", conversations: "keep" });
    expect(policy.audit).toEqual({ excerpt: "keep", excerptChars: 200, maskPii: true });
    expect(policy.retention).toEqual({ auditDays: 30, intervalMinutes: 60 });
  });

  it("scopes policies by model and key", () => {
    const policy = parsePolicyText(
      JSON.stringify({
        policies: [
          { name: "all", rules: [{ name: "r", action: "annotate", reason: "x", keywords: ["a"] }] },
          { name: "kids", keys: ["key_kids"], rules: [{ name: "r", action: "block", reason: "x", keywords: ["b"] }] },
          { name: "tiny-only", models: ["tiny"], rules: [{ name: "r", action: "block", reason: "x", keywords: ["c"] }] },
        ],
      }),
      "p.json",
    );
    expect(policy.rulesFor([], "big").map((r) => r.policy)).toEqual(["all"]);
    expect(policy.rulesFor(["key_kids", "kids-app"], "tiny").map((r) => r.policy)).toEqual(["all", "kids", "tiny-only"]);
  });

  it("an empty file is no policy", () => {
    expect(parsePolicyText("", "p.yaml").rules).toEqual([]);
  });

  it("names every problem by its field path", () => {
    const problems = problemsOf(`
policies:
  - name: p
    rules:
      - name: r1
        action: erase
        reason: x
        keywords: [a]
      - name: r2
        action: block
        reason: x
        regex: ["(unclosed"]
      - name: r3
        action: redact
        reason: x
        judge: { model: tiny, prompt: "no placeholder" }
      - name: r4
        action: block
        reason: x
        keyword: [typo]
privacy: { mode: sometimes }
`);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^policies\.0\.rules\.0\.action: /),
        expect.stringMatching(/^policies\.0\.rules\.1\.regex\.0: invalid regular expression/),
        expect.stringMatching(/^policies\.0\.rules\.2\.judge\.prompt: must contain \{\{text\}\}/),
        expect.stringMatching(/^policies\.0\.rules\.2\.action: a judge answers yes\/no/),
        expect.stringMatching(/^policies\.0\.rules\.3: unknown field "keyword"/),
        expect.stringMatching(/^privacy\.mode: /),
      ]),
    );
  });

  it("rejects rules that detect nothing, duplicate names and unparseable text", () => {
    expect(problemsOf(`policies: [{name: p, rules: [{name: r, action: block, reason: x}]}]`)).toEqual([
      "policies.0.rules.0: a rule needs at least one of keywords, regex, pii or judge",
    ]);
    expect(problemsOf(`policies: [{name: p, rules: [{name: r, action: block, reason: x, keywords: [a]}]}, {name: p, rules: [{name: r, action: block, reason: x, keywords: [a]}]}]`)).toEqual([
      'policies.1.name: duplicate policy name "p"',
    ]);
    expect(problemsOf("{not json", "p.json")[0]).toMatch(/^cannot parse: /);
  });
});

describe("PolicySource", () => {
  let dir: string | undefined;
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

  const policyWith = (keyword: string) => `policies: [{name: p, rules: [{name: r, action: block, reason: x, keywords: [${keyword}]}]}]`;

  it("reloads a valid file, and keeps the old policy when the new one is bad", async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "sputnik-policy-"));
    const file = path.join(dir, "policy.yaml");
    writeFileSync(file, policyWith("apple"));
    const logged: string[] = [];
    const source = await PolicySource.open(file, { log: (line) => logged.push(line) });
    const keywordOf = () => source.current.keywordIndexes[0].automaton.findAll("apple pear").length;
    expect(keywordOf()).toBe(1);

    writeFileSync(file, policyWith("pear"));
    expect(await source.reload()).toEqual({ ok: true, policies: ["p"] });
    expect(source.current.keywordIndexes[0].automaton.findAll("pear").length).toBe(1);

    writeFileSync(file, "policies: [{name: p, rules: []}]");
    const failed = await source.reload();
    expect(failed.ok).toBe(false);
    expect(source.current.keywordIndexes[0].automaton.findAll("pear").length).toBe(1);
    expect(logged.at(-1)).toMatch(/reload failed; the previous policy stays in force.*policies\.0\.rules/s);
    source.dispose();
  });

  it("reloads by itself when the file changes on disk", async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "sputnik-policy-"));
    const file = path.join(dir, "policy.yaml");
    writeFileSync(file, policyWith("apple"));
    const source = await PolicySource.open(file, { watch: true, log: () => undefined });
    const reloaded = new Promise<ReloadResult>((resolve) => source.onReload(resolve));
    writeFileSync(file, `policies: [{name: renamed, rules: [{name: r, action: block, reason: x, keywords: [a]}]}]`);
    expect(await reloaded).toEqual({ ok: true, policies: ["renamed"] });
    source.dispose();
  });

  it("a bad file at start-up is an error; no file is the empty policy", async () => {
    await expect(PolicySource.open("/nonexistent/policy.yaml")).rejects.toThrow(/cannot read: ENOENT/);
    const none = await PolicySource.open(undefined);
    expect(none.current.rules).toEqual([]);
    expect((await none.reload()).ok).toBe(false);
  });
});

describe("the README's policy example", () => {
  it("is a valid policy file", () => {
    const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
    const section = readme.slice(readme.indexOf("## Moderation and privacy"));
    const example = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(example).toBeDefined();
    const policy = parsePolicyText(example!, "README.yaml");
    expect(policy.policies).toEqual(["family-safe"]);
    expect(policy.rules.map((r) => r.rule)).toEqual(["violence", "codenames", "contact-details", "medical-advice"]);
  });
});
