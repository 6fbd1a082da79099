import { homedir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ModelSpecError } from "./errors.ts";
import { parseModelSpec, type ModelSpec } from "./model-spec.ts";

const cwd = "/srv/work";
const existing = new Set(["/srv/work/plainfile", "/srv/work/a=b.gguf"]);
const parse = (spec: string) => parseModelSpec(spec, { cwd, exists: (p) => existing.has(p) });

describe("parseModelSpec", () => {
  const cases: [string, ModelSpec][] = [
    ["./models/x.gguf", { kind: "file", id: "x", path: "/srv/work/models/x.gguf" }],
    ["/abs/dir/Qwen3-0.6B-Q8_0.gguf", { kind: "file", id: "Qwen3-0.6B-Q8_0", path: "/abs/dir/Qwen3-0.6B-Q8_0.gguf" }],
    ["model.GGUF", { kind: "file", id: "model", path: "/srv/work/model.GGUF" }],
    ["../up/m.gguf", { kind: "file", id: "m", path: "/srv/up/m.gguf" }],
    ["~/m/x.gguf", { kind: "file", id: "x", path: path.join(homedir(), "m/x.gguf") }],
    // An existing file without the .gguf suffix is still a path, not an alias.
    ["plainfile", { kind: "file", id: "plainfile", path: "/srv/work/plainfile" }],
    // A literal file name containing "=" wins over the NAME=PATH reading.
    ["a=b.gguf", { kind: "file", id: "a=b", path: "/srv/work/a=b.gguf" }],
    ["chat=/models/x.gguf", { kind: "file", id: "chat", path: "/models/x.gguf" }],
    ["chat=./x.gguf", { kind: "file", id: "chat", path: "/srv/work/x.gguf" }],
    // A path whose directory contains "=" is not NAME=PATH (names have no slashes).
    ["./dir=1/x.gguf", { kind: "file", id: "x", path: "/srv/work/dir=1/x.gguf" }],
    [
      "qwen3:0.6b",
      {
        kind: "remote",
        id: "qwen3:0.6b",
        source: { repo: "Qwen/Qwen3-0.6B-GGUF", file: "Qwen3-0.6B-Q8_0.gguf", revision: "main", alias: "qwen3:0.6b" },
      },
    ],
    [
      "  DeepSeek-R1:1.5B ",
      {
        kind: "remote",
        id: "deepseek-r1:1.5b",
        source: {
          repo: "unsloth/DeepSeek-R1-Distill-Qwen-1.5B-GGUF",
          file: "DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf",
          revision: "main",
          alias: "deepseek-r1:1.5b",
        },
      },
    ],
    [
      "fast=qwen2.5:0.5b",
      {
        kind: "remote",
        id: "fast",
        source: {
          repo: "Qwen/Qwen2.5-0.5B-Instruct-GGUF",
          file: "qwen2.5-0.5b-instruct-q4_k_m.gguf",
          revision: "main",
          alias: "qwen2.5:0.5b",
        },
      },
    ],
    [
      "hf:Qwen/Qwen3-0.6B-GGUF/Qwen3-0.6B-Q8_0.gguf",
      {
        kind: "remote",
        id: "Qwen3-0.6B-Q8_0",
        source: { repo: "Qwen/Qwen3-0.6B-GGUF", file: "Qwen3-0.6B-Q8_0.gguf", revision: "main" },
      },
    ],
    [
      "hf:org/repo/sub/dir/m.gguf@refs/pr/1",
      { kind: "remote", id: "m", source: { repo: "org/repo", file: "sub/dir/m.gguf", revision: "refs/pr/1" } },
    ],
    [
      "mine=hf:org/repo/m.gguf@abc123",
      { kind: "remote", id: "mine", source: { repo: "org/repo", file: "m.gguf", revision: "abc123" } },
    ],
  ];

  it.each(cases)("parses %j", (spec, expected) => {
    expect(parse(spec)).toEqual(expected);
  });

  const invalid: [string, string][] = [
    ["", "invalid_model_spec"],
    ["   ", "invalid_model_spec"],
    ["name=", "invalid_model_spec"],
    ["hf:org/repo", "invalid_model_spec"],
    ["hf:org/repo/readme.md", "invalid_model_spec"],
    ["hf:org/repo/../x.gguf", "invalid_model_spec"],
    ["hf:org/re po/x.gguf", "invalid_model_spec"],
    ["hf:org/repo/x.gguf@", "invalid_model_spec"],
    ["qwen3:9b", "unknown_model_alias"],
    ["llama3", "unknown_model_alias"],
    ["x=nosuchmodel", "unknown_model_alias"],
  ];

  it.each(invalid)("rejects %j with %s", (spec, code) => {
    expect(() => parse(spec)).toThrow(ModelSpecError);
    try {
      parse(spec);
    } catch (error) {
      expect((error as ModelSpecError).code).toBe(code);
    }
  });

  it("suggests close aliases and lists known ones for an unknown alias", () => {
    const error = (() => {
      try {
        parse("qwen3:0.6");
      } catch (e) {
        return e as ModelSpecError;
      }
      throw new Error("expected a ModelSpecError");
    })();
    expect(error.suggestions[0]).toBe("qwen3:0.6b");
    expect(error.message).toContain("Did you mean qwen3:0.6b");
    expect(error.message).toContain("deepseek-r1:7b"); // the full list of known aliases
  });

  it("suggests the family's tags for a bare family name", () => {
    try {
      parse("qwen3");
      expect.unreachable();
    } catch (error) {
      expect((error as ModelSpecError).suggestions).toEqual(
        expect.arrayContaining(["qwen3:0.6b", "qwen3:1.7b", "qwen3:4b", "qwen3:8b"]),
      );
      expect((error as ModelSpecError).suggestions).not.toContain("deepseek-r1:14b");
    }
  });
});
