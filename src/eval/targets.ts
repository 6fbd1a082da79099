/**
 * Parsing of `--target NAME=BASE_URL,MODEL[,API_KEY_ENV]` and `--price TARGET=IN,OUT[,CURRENCY]`.
 * API keys are never stored: a run records the environment variable's name and reads its value
 * again on resume.
 */

/** A remote endpoint as the run records it (no secrets). */
export interface RemoteTargetSpec {
  kind: "remote";
  name: string;
  baseUrl: string;
  model: string;
  /** Name of the environment variable that holds the API key. */
  apiKeyEnv?: string;
}

/** A local model started in-process (`--model`). */
export interface LocalTargetSpec {
  kind: "local";
  name: string;
  /** The `--model` value: path, NAME=PATH or catalog alias. */
  spec: string;
}

/** Anything `sputnik eval` can evaluate. */
export type TargetSpec = RemoteTargetSpec | LocalTargetSpec;

/** Price per million tokens. */
export interface Price {
  inputPerMillion: number;
  outputPerMillion: number;
  currency: string;
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._:@+-]*$/;

/** A `--target`, `--price` or `--judge` value that does not parse. */
export class TargetSpecError extends Error {
  override name = "TargetSpecError";
}

/**
 * Parses `NAME=BASE_URL,MODEL[,API_KEY_ENV]`.
 *
 * @example parseTargetSpec("deepseek=https://api.deepseek.com,deepseek-chat,DEEPSEEK_API_KEY")
 */
export function parseTargetSpec(value: string): RemoteTargetSpec {
  const eq = value.indexOf("=");
  const name = eq > 0 ? value.slice(0, eq).trim() : "";
  if (!NAME_RE.test(name)) throw new TargetSpecError(`--target "${value}": expected NAME=BASE_URL,MODEL[,API_KEY_ENV]`);
  const [baseUrl, model, apiKeyEnv, ...rest] = value.slice(eq + 1).split(",").map((part) => part.trim());
  if (!baseUrl || !model || rest.length > 0) throw new TargetSpecError(`--target "${value}": expected NAME=BASE_URL,MODEL[,API_KEY_ENV]`);
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TargetSpecError(`--target ${name}: "${baseUrl}" is not a URL (e.g. http://127.0.0.1:8080/v1)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new TargetSpecError(`--target ${name}: only http and https URLs`);
  if (apiKeyEnv !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(apiKeyEnv)) {
    throw new TargetSpecError(`--target ${name}: "${apiKeyEnv}" is not an environment variable name (give the variable's name, not the key)`);
  }
  return { kind: "remote", name, baseUrl: baseUrl.replace(/\/+$/, ""), model, ...(apiKeyEnv ? { apiKeyEnv } : {}) };
}

/** Parses `TARGET=IN_PER_M,OUT_PER_M[,CURRENCY]` (USD by default). */
export function parsePriceSpec(value: string): { target: string; price: Price } {
  const eq = value.indexOf("=");
  const target = eq > 0 ? value.slice(0, eq).trim() : "";
  const [input, output, currency, ...rest] = value.slice(eq + 1).split(",").map((part) => part.trim());
  const inputPerMillion = Number(input);
  const outputPerMillion = Number(output);
  if (!target || rest.length > 0 || !(inputPerMillion >= 0) || !(outputPerMillion >= 0) || input === "" || output === "") {
    throw new TargetSpecError(`--price "${value}": expected TARGET=INPUT_PER_MILLION,OUTPUT_PER_MILLION[,CURRENCY], e.g. deepseek=0.27,1.10,USD`);
  }
  return { target, price: { inputPerMillion, outputPerMillion, currency: (currency || "USD").toUpperCase() } };
}

/** Reads a target's API key from the environment. @throws TargetSpecError when the variable is unset. */
export function apiKeyFor(spec: RemoteTargetSpec, env: Record<string, string | undefined>): string | undefined {
  if (!spec.apiKeyEnv) return undefined;
  const key = env[spec.apiKeyEnv];
  if (!key) throw new TargetSpecError(`--target ${spec.name}: environment variable ${spec.apiKeyEnv} is not set`);
  return key;
}
