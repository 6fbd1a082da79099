/**
 * Parsing of the `--model` flag (and of `sputnik pull`'s argument).
 *
 * Accepted forms:
 *
 * | form                                   | result                                              |
 * | -------------------------------------- | --------------------------------------------------- |
 * | `./x.gguf`, `/abs/x.gguf`, `~/x.gguf`  | file; id = file name without `.gguf`                |
 * | `qwen3:0.6b`                           | remote (catalog alias); id = the alias (lower case) |
 * | `hf:org/repo/path/file.gguf[@rev]`     | remote; id = file name without `.gguf`              |
 * | `NAME=<any of the above>`              | same, but id = NAME                                 |
 *
 * The `hf:` id is the bare file name (not `repo/file`) on purpose: it is what the file
 * form gives for the same file once downloaded, so a client keeps using the same model
 * name whether the server was started with `hf:…` or with the local path.
 */
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { catalogAliases, findCatalogEntry } from "./catalog.ts";
import { ModelSpecError } from "./errors.ts";

/** Where a remote model lives on Hugging Face (or a compatible mirror). */
export interface RemoteSource {
  /** Repository, `org/name`. */
  repo: string;
  /** File path inside the repository. */
  file: string;
  /** Branch, tag or commit; `main` unless pinned with `@rev`. */
  revision: string;
  /** The catalog alias this came from, if any. */
  alias?: string;
}

/** A parsed `--model` value. */
export type ModelSpec =
  /** A GGUF file on local disk; `path` is absolute. */
  | { kind: "file"; id: string; path: string }
  /** A GGUF file to fetch (or already fetched) from Hugging Face. */
  | { kind: "remote"; id: string; source: RemoteSource };

/** Options of {@link parseModelSpec}; only tests need them. */
export interface ParseModelSpecOptions {
  /** Base directory for relative paths. Default: `process.cwd()`. */
  cwd?: string;
  /** File existence check (for bare names that are neither alias nor `*.gguf`). Default: `fs.existsSync`. */
  exists?: (absolutePath: string) => boolean;
}

/** The revision used when an `hf:` reference or a catalog alias does not pin one. */
export const DEFAULT_REVISION = "main";

// A NAME in `NAME=…`: no path separators, so `./dir=x/model.gguf` stays a path.
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._:@+-]*$/;
// Hugging Face repo ids: `org/name`, letters, digits, `-`, `_`, `.`.
const REPO_PART_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const GGUF_RE = /\.gguf$/i;

/**
 * Parses a `--model` value. See the module comment for the accepted forms.
 *
 * A value is taken as a file path when it contains `/` or `\`, starts with `~` or `.`,
 * ends with `.gguf`, or names an existing file; otherwise it must be a catalog alias.
 * (A bare `org/repo/file.gguf` is therefore a relative path: use `hf:` for Hugging Face.)
 *
 * @throws {ModelSpecError} `invalid_model_spec` for malformed values, `unknown_model_alias`
 *   (with close matches in the message and in `suggestions`) for unknown aliases.
 */
export function parseModelSpec(spec: string, options: ParseModelSpecOptions = {}): ModelSpec {
  const value = spec.trim();
  if (value === "") {
    throw new ModelSpecError("invalid_model_spec", "The model spec is empty. " + FORMS_HINT);
  }
  const cwd = options.cwd ?? process.cwd();
  const exists = options.exists ?? existsSync;

  const eq = value.indexOf("=");
  // A literal file named `a=b.gguf` wins over the NAME=PATH reading.
  if (eq > 0 && !exists(resolvePath(value, cwd))) {
    const name = value.slice(0, eq).trim();
    if (NAME_RE.test(name)) {
      const rest = value.slice(eq + 1).trim();
      if (rest === "") {
        throw new ModelSpecError("invalid_model_spec", `"${value}" has a name but nothing after "=". ` + FORMS_HINT);
      }
      return { ...parseUnnamed(rest, cwd, exists), id: name };
    }
  }
  return parseUnnamed(value, cwd, exists);
}

/** Parses one of the forms without a `NAME=` prefix. */
function parseUnnamed(value: string, cwd: string, exists: (p: string) => boolean): ModelSpec {
  if (value.toLowerCase().startsWith("hf:")) return parseHfReference(value);

  if (looksLikePath(value) || exists(resolvePath(value, cwd))) {
    const absolute = resolvePath(value, cwd);
    return { kind: "file", id: path.basename(absolute).replace(GGUF_RE, ""), path: absolute };
  }

  const entry = findCatalogEntry(value);
  if (entry) {
    return {
      kind: "remote",
      id: entry.alias,
      source: { repo: entry.repo, file: entry.file, revision: DEFAULT_REVISION, alias: entry.alias },
    };
  }
  const suggestions = closeAliases(value);
  const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.join(", ")}?` : "";
  throw new ModelSpecError(
    "unknown_model_alias",
    `Unknown model "${value}".${hint} Known aliases: ${catalogAliases().join(", ")}. ` + FORMS_HINT,
    suggestions,
  );
}

const FORMS_HINT =
  "Use a catalog alias (e.g. qwen3:0.6b), a path to a .gguf file, NAME=PATH, " +
  "or hf:<org>/<repo>/<file>.gguf[@revision].";

function looksLikePath(value: string): boolean {
  return (
    value.includes("/") ||
    value.includes("\\") ||
    value.startsWith("~") ||
    value.startsWith(".") ||
    GGUF_RE.test(value)
  );
}

function resolvePath(value: string, cwd: string): string {
  // Shells expand `~` only at the start of a word, so `--model=~/x.gguf` arrives unexpanded.
  if (value === "~" || value.startsWith("~/")) return path.join(homedir(), value.slice(1));
  return path.resolve(cwd, value);
}

/**
 * Parses `hf:<org>/<repo>/<file>.gguf[@revision]`. The file may be in a sub-folder of
 * the repository. Everything after the first `@` is the revision (branch, tag, commit,
 * or `refs/pr/N`), since repo and file names on the Hub do not contain `@`.
 */
function parseHfReference(value: string): ModelSpec {
  const body = value.slice(3);
  const at = body.indexOf("@");
  const location = at >= 0 ? body.slice(0, at) : body;
  const revision = at >= 0 ? body.slice(at + 1) : DEFAULT_REVISION;
  const parts = location.split("/");
  const bad = (why: string): never => {
    throw new ModelSpecError(
      "invalid_model_spec",
      `Invalid Hugging Face reference "${value}": ${why}. Expected hf:<org>/<repo>/<file>.gguf[@revision], ` +
        "e.g. hf:Qwen/Qwen3-0.6B-GGUF/Qwen3-0.6B-Q8_0.gguf.",
    );
  };
  if (parts.length < 3) bad("it needs an organisation, a repository and a file");
  const [org, repo, ...fileParts] = parts;
  if (!REPO_PART_RE.test(org) || !REPO_PART_RE.test(repo)) bad(`"${org}/${repo}" is not a repository id`);
  if (fileParts.some((p) => p === "" || p === "." || p === "..")) bad("the file path has an empty, '.' or '..' segment");
  const file = fileParts.join("/");
  if (!GGUF_RE.test(file)) bad(`"${file}" is not a .gguf file`);
  if (at >= 0 && (revision === "" || revision.split("/").some((p) => p === "" || p === "." || p === ".."))) {
    bad(`"${revision}" is not a revision`);
  }
  return {
    kind: "remote",
    id: path.posix.basename(file).replace(GGUF_RE, ""),
    source: { repo: `${org}/${repo}`, file, revision },
  };
}

/**
 * Aliases close to an unknown one: same family prefix (`qwen3` → all `qwen3:*`) or a
 * small edit distance (`qwen3:0.6` → `qwen3:0.6b`). At most 5, best first.
 */
function closeAliases(input: string): string[] {
  const needle = input.trim().toLowerCase();
  const family = needle.split(":")[0];
  const scored = catalogAliases().map((alias) => {
    let score = editDistance(needle, alias);
    if (alias.split(":")[0] === family) score -= 100; // same family ranks first
    return { alias, score };
  });
  const limit = Math.max(2, Math.floor(needle.length / 3));
  return scored
    .filter((s) => s.score <= limit)
    .sort((a, b) => a.score - b.score)
    .slice(0, 5)
    .map((s) => s.alias);
}

/** Levenshtein distance (insert/delete/substitute each cost 1). */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
    }
    previous = current;
  }
  return previous[b.length];
}
