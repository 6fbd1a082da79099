import { readFileSync } from "node:fs";

const packageJson = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  version: string;
  dependencies: Record<string, string>;
};

/** Sputnik's version, from package.json. */
export const SPUTNIK_VERSION = packageJson.version;
/** The node-llama-cpp version this build pins (exact pin, so the range is the version). */
export const NODE_LLAMA_CPP_VERSION = packageJson.dependencies["node-llama-cpp"];
