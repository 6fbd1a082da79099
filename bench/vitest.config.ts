// Runs only the bench tests: `npx vitest run --config bench/vitest.config.ts`. Once the root
// vitest.config.ts includes "bench/**/*.test.ts", `npx vitest run bench` does the same.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    root: fileURLToPath(new URL("..", import.meta.url)),
    include: ["bench/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    maxWorkers: 2,
  },
});
