import { defineConfig } from "vitest/config";

// Integration tests load real models and start real servers; run files in parallel on
// separate forks but keep per-test timeouts generous for a 2-core machine.
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts", "bench/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    maxWorkers: 2,
  },
});
