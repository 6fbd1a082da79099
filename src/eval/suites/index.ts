/**
 * The built-in suites, and the resolution of `--suite` values (built-in names or JSONL files).
 */
import { fileSuiteSpec, loadSuiteFile } from "../jsonl-suite.ts";
import type { Suite } from "../types.ts";
import { codeSuite } from "./code.ts";
import { instructSuite } from "./instruct.ts";
import { knowledgeSuite } from "./knowledge.ts";
import { mathSuite } from "./math.ts";
import { refusalSuite } from "./refusal.ts";

/** Built-in suites by name. */
export const BUILTIN_SUITES: ReadonlyMap<string, Suite> = new Map(
  [mathSuite, instructSuite, codeSuite, knowledgeSuite, refusalSuite].map((suite) => [suite.name, suite]),
);

/** A `--suite` value resolved: built-in, or a file to load (stored absolute so resume finds it). */
export type SuiteRef = { kind: "builtin"; name: string } | { kind: "file"; name: string; file: string };

/**
 * Splits a `--suite` value (comma-separated; `all` = every built-in suite) into references.
 * Anything that is not a built-in name is read as a JSONL path.
 *
 * @throws Error for an unknown name that does not look like a file.
 */
export function parseSuiteList(value: string): SuiteRef[] {
  const refs: SuiteRef[] = [];
  for (const part of value.split(",").map((s) => s.trim()).filter(Boolean)) {
    if (part === "all") refs.push(...[...BUILTIN_SUITES.keys()].map((name) => ({ kind: "builtin" as const, name })));
    else if (BUILTIN_SUITES.has(part)) refs.push({ kind: "builtin", name: part });
    else if (/\.jsonl?$/i.test(part) || part.includes("/")) refs.push({ kind: "file", ...fileSuiteSpec(part) });
    else throw new Error(`Unknown suite "${part}". Built-in suites: ${[...BUILTIN_SUITES.keys()].join(", ")}; or give a path to a .jsonl file.`);
  }
  const names = refs.map((ref) => ref.name);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate) throw new Error(`Suite "${duplicate}" is named twice.`);
  return refs;
}

/** Loads the suites a run names. */
export async function loadSuites(refs: SuiteRef[]): Promise<Suite[]> {
  return Promise.all(refs.map((ref) => (ref.kind === "builtin" ? (BUILTIN_SUITES.get(ref.name) as Suite) : loadSuiteFile(ref.name, ref.file))));
}
