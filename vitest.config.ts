import { defineConfig } from "vitest/config";

// Integration tests load real models and start real servers; run files in parallel on
// separate forks but keep per-test timeouts generous for a 2-core machine.
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts", "bench/**/*.test.ts"],
    // The second builds the web app for the browser tests when web/dist is missing or stale.
    globalSetup: ["test/global-setup.ts", "test/web/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    maxWorkers: 2,
  },
});
