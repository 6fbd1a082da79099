/**
 * Reads, parses and validates a policy file (YAML, or JSON — a `.json` file is parsed as strict
 * JSON so its errors read as JSON errors) into a compiled policy set. Every problem is collected
 * into one {@link PolicyFileError} whose message lists each by field path.
 */
import { readFile } from "node:fs/promises";
import { parse as parseYaml } from "yaml";
import type { z } from "zod";
import { compilePolicySet, type CompiledPolicySet } from "./compile-policy.ts";
import { policyFileSchema } from "./policy-schema.ts";

export class PolicyFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid policy file ${file}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "PolicyFileError";
  }
}

/** Parses and validates policy text; `file` names it in errors and picks JSON or YAML by extension. */
export function parsePolicyText(text: string, file = "<policy>"): CompiledPolicySet {
  let raw: unknown;
  try {
    raw = file.toLowerCase().endsWith(".json") ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new PolicyFileError(file, [`cannot parse: ${(error as Error).message.split("\n")[0]}`]);
  }
  // An empty YAML document is an empty policy file: no policies, all defaults.
  const parsed = policyFileSchema.safeParse(raw ?? {});
  if (!parsed.success) throw new PolicyFileError(file, formatIssues(parsed.error));
  return compilePolicySet(parsed.data);
}

export async function loadPolicyFile(file: string): Promise<CompiledPolicySet> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new PolicyFileError(file, [`cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`]);
  }
  return parsePolicyText(text, file);
}

function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join(".") : "(top level)";
    let message = issue.message;
    if (issue.code === "unrecognized_keys") message = `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
    return `${where}: ${message}`;
  });
}
